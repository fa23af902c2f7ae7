import type { RoleName } from '../model/inventory.js';
import type { ConnectionKey } from './connection-keys.js';
import type { NodeVars } from '../model/vars.js';

/**
 * The words of the inventory reference (docs/inventory.md and the JSON Schema's descriptions). Everything else in
 * them (keys, types, allowed values, patterns, defaults, which patterns use what) is generated from schema.ts,
 * variables.ts, names.ts, patterns/ and roles/. A key or variable without an entry here fails `npm run gen:docs`.
 */
export interface KeyDoc {
  readonly summary: string;
  /** A YAML value as one writes it. */
  readonly example?: string;
  /** For a default the schema cannot state (derived from other keys). */
  readonly defaultText?: string;
}

/**
 * The login keys (src/inventory/connection-keys.ts), as Ansible names them. Each may be written under `defaults`,
 * `datacenters.<dc>` and `hosts.<host>`; what none says is left to ssh_config, then to the default given here.
 */
const CONNECTION_DOCS: { readonly [K in ConnectionKey]: KeyDoc } = {
  user: { summary: 'SSH login user.', defaultText: 'ssh_config User, else root', example: 'deploy' },
  port: { summary: 'SSH port.', defaultText: 'ssh_config Port, else 22' },
  ssh_key: { summary: 'Private key file, relative to the inventory file or `~/`; the SSH agent (SSH_AUTH_SOCK) is tried first.', defaultText: 'ssh_config IdentityFile, else ~/.ssh/id_ed25519, id_ecdsa, id_rsa', example: '~/.ssh/id_ed25519' },
  ssh_key_passphrase: { summary: 'Passphrase of ssh_key, as a `${NAME}` reference to the dotenv file (asked on a terminal when missing).', example: '"${SSH_KEY_PASSPHRASE}"' },
  known_hosts: { summary: 'known_hosts file that host keys are checked against.', defaultText: 'ssh_config UserKnownHostsFile, else ~/.ssh/known_hosts' },
  ssh_config: { summary: 'ssh_config file read for Host entries (HostName, User, Port, IdentityFile, ProxyJump, UserKnownHostsFile); the inventory wins where both say something.', defaultText: '--ssh-config, else ~/.ssh/config' },
  proxy_jump: { summary: 'Jump hosts, in order: inventory host names or user@host:port, as a list or comma-separated; `none` for a direct login.', defaultText: 'ssh_config ProxyJump, else none', example: '[bastion-1]' },
  become: { summary: 'Run commands through sudo: `sudo` (or true); false switches off what a wider level set.', defaultText: 'false: commands run as the login user', example: 'sudo' },
  become_user: { summary: 'The user sudo runs commands as.', defaultText: 'root' },
  become_password: { summary: 'The sudo password, as a `${NAME}` reference to the dotenv file.', example: '"${SUDO_PASSWORD}"' },
};

/** The connection keys at one level; `wider` names where a value comes from when this level does not say it. */
function connectionDocs(level: string, wider?: string): Record<string, KeyDoc> {
  return Object.fromEntries(Object.entries(CONNECTION_DOCS).map(([k, d]) => [
    `${level}.${k}`,
    wider && d.defaultText ? { ...d, defaultText: `${wider}, else ${d.defaultText}` } : wider ? { ...d, defaultText: wider } : d,
  ]));
}

/** Keys by path; `<host>`, `<role>`, `<dc>`, `<name>` stand for a mapping's own keys. */
export const KEY_DOCS: Readonly<Record<string, KeyDoc>> = {
  name: { summary: 'The environment name: in the audit log, the lock owner and rendered labels.', example: 'eu-prod' },
  pattern: { summary: 'The deployment pattern (patterns/*.yaml): which roles are required, how many, and which may share a host.', example: '3' },
  apim: { summary: 'The API Manager version and the files installed on the hosts.' },
  'apim.version': { summary: 'The API Manager version to install (MAJOR.MINOR.PATCH).', example: '4.6.0' },
  'apim.distributions': { summary: 'The distribution zips, by pack name; the roles in use at this version say which packs are needed.', example: '{ acp: { path: "../dist/wso2am-acp-{version}.zip" } }' },
  'apim.distributions.<name>': { summary: 'One distribution zip on this machine.' },
  'apim.distributions.<name>.path': { summary: 'Path of the zip, relative to the inventory file; `{version}` is replaced by apim.version.', example: '"../dist/wso2am-universal-gw-{version}.zip"' },
  'apim.distributions.<name>.sha256': { summary: 'Expected sha256 of the file: a different file is refused before any upload.' },
  'apim.jdk': { summary: 'The JDK tarball unpacked on every WSO2 node.', example: '{ path: ../dist/jdk-21.0.5.tar.gz }' },
  'apim.jdk.path': { summary: 'Path of the JDK tarball, relative to the inventory file.', example: '../dist/jdk-21.0.5.tar.gz' },
  'apim.jdk.sha256': { summary: 'Expected sha256 of the tarball.' },
  'apim.jdk.version': { summary: 'The JDK version, shown by status and checked by preflight when given.', example: '"21.0.5"' },
  'apim.jdbc_driver': { summary: 'The JDBC driver jar copied into every node that opens the database (the packs ship none).', example: '{ path: ../dist/postgresql-42.7.4.jar }' },
  'apim.jdbc_driver.path': { summary: 'Path of the driver jar, relative to the inventory file.' },
  'apim.jdbc_driver.sha256': { summary: 'Expected sha256 of the jar.' },
  defaults: { summary: 'Connection settings (the keys below) for every host that does not set its own; datacenters and hosts may set them too, the most specific wins.', example: '{ user: deploy, ssh_key: ~/.ssh/id_ed25519, become: sudo }' },
  vars: { summary: 'Variables for every node (see Variables below); role, datacenter and host vars override them.' },
  role_vars: { summary: 'Variables per role, over `vars`.', example: '{ gateway: { jvm_heap: 2g } }' },
  'role_vars.<role>': { summary: 'The variables of every node playing this role.' },
  hosts: { summary: 'The machines, by name (a DNS label: lower-case letters, digits, inner hyphens).', example: '{ cp-1: { address: 10.0.1.11 } }' },
  'hosts.<host>': { summary: 'One machine.' },
  'hosts.<host>.address': { summary: 'Where to reach it: IPv4, IPv6 or DNS name (required unless connection is local).', example: '10.0.1.11' },
  'hosts.<host>.connection': { summary: '`ssh`, or `local` to run on this machine without SSH.', defaultText: 'ssh' },
  'hosts.<host>.vars': { summary: 'Variables of every node on this host: the last word over every other layer.', example: '{ jvm_heap: 3g }' },
  'hosts.<host>.port_offsets': { summary: 'WSO2 port offset per role on this host (`[server] offset`): roles sharing a host need distinct ports.', example: '{ gateway: 1 }' },
  'hosts.<host>.port_offsets.<role>': { summary: 'The offset added to every port of the role.' },
  roles: { summary: 'Which hosts play which role (single-datacenter patterns).', example: '{ control-plane: [cp-1, cp-2], gateway: [gw-1] }' },
  'roles.<role>': { summary: 'The hosts playing this role.' },
  datacenters: { summary: 'Multi-datacenter patterns: roles and variables per datacenter; the first one listed is the central one.', example: '{ eu: { roles: { control-plane: [eu-cp-1] } } }' },
  'datacenters.<dc>': { summary: 'One datacenter.' },
  'datacenters.<dc>.roles': { summary: 'Which hosts of this datacenter play which role.' },
  'datacenters.<dc>.roles.<role>': { summary: 'The hosts playing this role in this datacenter.' },
  ...connectionDocs('datacenters.<dc>', 'defaults'),
  ...connectionDocs('defaults'),
  ...connectionDocs('hosts.<host>', 'datacenters.<dc> or defaults'),
  'datacenters.<dc>.vars': { summary: 'Variables of every node in this datacenter, over role_vars.', example: '{ gateway_environment: eu-west }' },
  green: { summary: '`migrate --to V`: the machine each blue host that runs WSO2 roles hands over to (every one of them, none else); the database server and the balancers stay. See docs/migrate.md.', example: '{ cp-1: { address: 10.0.1.21 } }' },
  'green.<host>': { summary: 'The green partner of this blue host; it logs in as the blue host does.' },
  'green.<host>.name': { summary: 'Its name in output and state.', defaultText: '<host>-green' },
  'green.<host>.address': { summary: 'Where to reach it: IPv4, IPv6 or DNS name; no blue host may have it.', example: '10.0.1.21' },
};

/** What a variable is for, and which nodes read it (which patterns use it is derived from that). */
export interface VariableDoc extends KeyDoc {
  /** Who reads it: `wso2` is every role whose role.yaml runs a WSO2 server; a role name is that role's nodes. */
  readonly readBy: readonly ('wso2' | RoleName)[];
}

const WSO2 = ['wso2'] as const;
const DB = ['wso2', 'database'] as const;
const PUBLIC = ['wso2', 'load-balancer'] as const;

type VariableDocs = { readonly [K in keyof NodeVars]: VariableDoc } & Readonly<Record<string, VariableDoc>>;

export const VARIABLE_DOCS: VariableDocs = {
  admin_username: { summary: 'The WSO2 super admin user.', readBy: WSO2 },
  admin_password: { summary: 'The super admin password (required on every WSO2 node).', example: '${ADMIN_PASSWORD}', readBy: WSO2 },
  keystore_password: { summary: 'Password of the primary keystore (wso2carbon.jks) and its key.', example: '${KEYSTORE_PASSWORD}', readBy: WSO2 },
  truststore_password: { summary: 'Password of client-truststore.jks.', example: '${TRUSTSTORE_PASSWORD}', readBy: WSO2 },
  database: { summary: 'The shared databases apim_db and shared_db: one per deployment (vars or datacenter vars only).', example: '{ type: postgresql, host: pg-1, user: apimadmin, password: "${DB_PASSWORD}" }', readBy: DB },
  'database.type': { summary: 'The database server. h2 is embedded, for a single node in development.', defaultText: 'h2 where the pattern allows it with one WSO2 node, else required', readBy: DB },
  'database.host': { summary: 'An inventory host name (the database role) or an outside server.', defaultText: 'the host of the database role, when there is one', readBy: DB },
  'database.port': { summary: 'Database port.', defaultText: '3306 for mysql, else 5432', readBy: DB },
  'database.apim_db': { summary: 'Name of the APIM database.', readBy: DB },
  'database.shared_db': { summary: 'Name of the shared (registry and user store) database.', readBy: DB },
  'database.user': { summary: 'Database user, created by the database role.', example: 'apimadmin', readBy: DB },
  'database.password': { summary: 'Database password.', example: '"${DB_PASSWORD}"', readBy: DB },
  'database.replicated': { summary: 'Active-active: this datacenter\'s database is a replica of a bi-directionally replicated one.', readBy: DB },
  public_hostname: { summary: 'The names clients use; unset ones are derived from the layout (the load balancer, else the first node).', example: '{ control_plane: api-portal.example.com, gateway: api.example.com }', readBy: PUBLIC },
  'public_hostname.control_plane': { summary: 'Name of the portals and management APIs.', defaultText: 'the load balancer, else the first control plane', readBy: PUBLIC },
  'public_hostname.gateway': { summary: 'Name of the API gateway.', defaultText: 'the load balancer, else the first gateway', readBy: PUBLIC },
  'public_hostname.key_manager': { summary: 'Name of an outside balancer in front of separate key managers (patterns 4 and 5); required for two key managers without a load-balancer role.', defaultText: 'the load balancer, else the key manager itself', readBy: PUBLIC },
  jvm_heap: { summary: 'JVM heap (-Xms and -Xmx).', example: '2g', readBy: WSO2 },
  install_dir: { summary: 'Where releases, data and the JDK go on the host.', readBy: WSO2 },
  service_user: { summary: 'Unix user the server runs as (created when missing).', readBy: WSO2 },
  service_group: { summary: 'Unix group of the service user.', readBy: WSO2 },
  service_manager: { summary: '`script`: the pack\'s start script, supervised by apim-deploy; `systemd`: a unit per node, enabled so it starts at boot.', defaultText: '`systemd` on a host that runs systemd (`/run/systemd/system` exists, sd_booted(3)), else `script`; a node the start script already runs (installed, no unit file) keeps `script` until the inventory says `systemd`', readBy: WSO2 },
  gateway_environment: { summary: 'Name of the gateway environment the gateways register in (one per datacenter in multi-DC).', example: 'eu-west', readBy: WSO2 },
  java_home: { summary: 'JAVA_HOME of the server.', defaultText: '<install_dir>/jdk/current', readBy: WSO2 },
  keystores: { summary: 'Bring-your-own keystores (JKS or PKCS12, on the controller, relative to the inventory): the 4.x split into `primary` (signing, encryption), `tls` (what 9443 and 8243 serve; default: primary) and `internal` (secure vault, default: primary). Checked at validate: file, password, alias holding a private key, expiry, host names.', example: '{ tls: { file: certs/gw.p12, type: PKCS12, alias: gw, password: "${GW_KS_PASSWORD}" } }', readBy: WSO2 },
  'keystores.primary': { summary: 'The primary keystore ([keystore.primary]); unset: the pack\'s wso2carbon.jks.', readBy: WSO2 },
  'keystores.tls': { summary: 'The keystore the HTTPS ports serve ([keystore.tls]); unset: the primary one.', readBy: WSO2 },
  'keystores.internal': { summary: 'The internal keystore ([keystore.internal]); unset: the primary one.', readBy: WSO2 },
  truststore: { defaultText: 'none', summary: 'Extra CA certificates (PEM files) every node adds to client-truststore.jks, besides the internal CA and the peers\' own keystore certificates.', example: '[certs/corporate-ca.pem]', readBy: WSO2 },
  load_balancer_tls: { summary: 'The balancer\'s certificate and key (PEM files), served instead of the one the internal CA issues.', example: '{ certificate: certs/lb.crt, key: certs/lb.key }', readBy: ['load-balancer'] },
  load_balancer: { summary: 'The balancer the load-balancer role runs: `nginx` (drained by re-rendering and reloading) or `haproxy` (drained through its runtime API, no reload, so keep-alive clients lose no request).', example: 'haproxy', readBy: ['load-balancer'] },
  files: {
    summary: 'Drop-in files for WSO2 nodes (JARs for repository/components/dropins or lib, log4j2.properties, a userstore, a sequence): `src` on this machine (relative to the inventory), `dest` relative to `dest_root` (`release`: the release dir, the default, so the file follows every upgrade; `data`: the node\'s persistent data dir; `absolute`), `mode` (quoted octal, default "0644"), `owner` (default the service user and group), `template: true` to render it with eta like our templates (else copied byte for byte). A dest ending in / keeps the source name. Layers merge by destination, the later one wins. A change restarts only the nodes that hold the file. A dest apim-deploy renders itself (deployment.toml, wso2.env, ...) is refused.',
    defaultText: 'none',
    example: '[{ src: files/audit.jar, dest: repository/components/dropins/ }, { src: files/log4j2.properties.eta, dest: repository/conf/log4j2.properties, template: true }]',
    readBy: WSO2,
  },
  deployment_toml: { summary: 'Any deployment.toml keys, merged over what apim-deploy writes (docs/deployment-toml.md): tables key by key, a layer above wins (host over datacenter over role_vars over vars); a list of mappings is an array of tables appended to what is below, any other list replaces. Keys apim-deploy wires (roles/wso2-server.yaml `deploymentToml.owned`) need deployment_toml_force. Strings take `${NAME}` secrets; write `$${` for a literal `${`.', example: '{ apim: { cors: { allow_origins: "https://portal.example.com" } } }', readBy: WSO2 },
  deployment_toml_force: { defaultText: 'none', summary: 'Keys apim-deploy wires (event hub, throttling, databases, keystores, server hostname and offset) that the deployment_toml of the same vars block may still set.', example: '[apim.throttling.url_group]', readBy: WSO2 },
  deployment_toml_replace: { defaultText: 'none', summary: 'Arrays of tables the deployment_toml of the same vars block replaces (what apim-deploy and lower layers wrote is dropped) instead of appending to.', example: '[event_listener]', readBy: WSO2 },
  jvm_options: { defaultText: 'none', summary: 'JVM options beyond the heap: the start script\'s JAVA_OPTS. Each starts with `-` and holds no blank; every layer\'s list is appended, lowest first (the JVM takes the last of a repeated option). -DportOffset and -Xmx are refused: port_offsets and jvm_heap set them.', example: '["-XX:+UseG1GC", "-Dhttp.keepAlive=false"]', readBy: WSO2 },
  secure_vault: { summary: 'WSO2 secure vault: every password apim-deploy writes into deployment.toml becomes `$secret{alias}`, encrypted on this machine with the node\'s internal keystore (else its primary one, else the pack\'s wso2carbon.jks) under `[secrets]`, so no host file holds it in clear. The keystore password reaches the node as Carbon\'s `password-tmp`, written just before each start apim-deploy performs and deleted by Carbon as it starts. The key must be RSA.', example: 'true', readBy: WSO2 },
  secure_vault_persist_password: { summary: 'With secure_vault: keep the keystore password in `password-persist` (0600, the service user\'s) so a start apim-deploy does not perform (systemd after a reboot) can open the keystore. Off: such a start waits for the password at a console and the node stays down until the next provision.', example: 'true', readBy: WSO2 },
};
