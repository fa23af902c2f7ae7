import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRoleCatalog } from '../../../src/catalog/roles.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { nodeOf, type Inventory, type RoleName } from '../../../src/model/inventory.js';
import { isSecret } from '../../../src/model/secret.js';
import { buildNodeContext } from '../../../src/topology/context.js';

const GOOD = resolve(import.meta.dirname, '../../fixtures/inventories/good');
const varsOf = (inv: Inventory, host: string, role: RoleName) => nodeOf(inv, { host, role }).vars;
/** The public names topology derives for a node when public_hostname leaves them unset. */
const publicHost = (inv: Inventory, host: string, role: RoleName) => buildNodeContext(inv, defaultRoleCatalog(), { host, role }).publicHost;
const DIST = resolve(GOOD, '../dist');

describe('good inventories load cleanly, one per pattern', () => {
  const files = readdirSync(GOOD).filter((f) => f.endsWith('.yaml'));
  it('cover every pattern', async () => {
    const patterns = await Promise.all(files.map(async (f) => (await loadInventory(join(GOOD, f))).pattern));
    expect(new Set(patterns)).toEqual(new Set(['0', '1', '2', '3', '4', '5', 'multi-dc-active-active', 'multi-dc-active-passive']));
  });
});

describe('pattern 3 normalization', async () => {
  const inv = await loadInventory(join(GOOD, 'pattern-3.yaml'));

  it('resolves distribution paths against the inventory file with {version}', () => {
    expect(inv.file).toBe(join(GOOD, 'pattern-3.yaml'));
    expect(inv.apim.version).toBe('4.6.0');
    expect(inv.apim.distributions.acp?.path).toBe(join(DIST, 'wso2am-acp-4.6.0.zip'));
    expect(inv.apim.distributions['universal-gw']?.path).toBe(join(DIST, 'wso2am-universal-gw-4.6.0.zip'));
    expect(inv.apim.distributions['all-in-one']).toBeUndefined();
    expect(inv.apim.jdk).toMatchObject({ path: join(DIST, 'jdk-21.tar.gz'), version: '21.0.5' });
    expect(inv.apim.jdbcDriver?.path).toBe(join(DIST, 'postgresql-42.7.4.jar'));
    expect(inv.apim.distributions.tm?.pos).toMatchObject({ line: 8 });
  });

  it('applies host defaults and keeps file order', () => {
    expect(inv.hosts.map((h) => h.name)).toEqual(['cp-1', 'cp-2', 'tm-1', 'tm-2', 'gw-1', 'gw-2', 'lb-1', 'db-1']);
    const db = inv.hosts.find((h) => h.name === 'db-1')!;
    expect(db).toMatchObject({ address: 'db.example.internal', port: 2222, user: 'root', connection: 'ssh', roles: ['database'] });
    expect(db.sshKey).toBe(join(DIST, 'id_ed25519'));
    expect(db.knownHosts).toBe(join(DIST, 'known_hosts'));
    expect(db.datacenter).toBeUndefined();
    expect(inv.hosts[0]!.pos).toMatchObject({ line: 18, col: 3 });
  });

  it('maps roles both ways', () => {
    expect(inv.roles).toEqual({
      database: ['db-1'],
      'control-plane': ['cp-1', 'cp-2'],
      'traffic-manager': ['tm-1', 'tm-2'],
      gateway: ['gw-1', 'gw-2'],
      'load-balancer': ['lb-1'],
    });
    expect(inv.datacenters).toEqual([]);
  });

  it('fills variable defaults; unset public names are derived from the load balancer', () => {
    expect(varsOf(inv, 'cp-1', 'control-plane')).toMatchObject({
      admin_username: 'admin',
      jvm_heap: '1g',
      install_dir: '/opt/wso2',
      service_user: 'wso2carbon',
      service_group: 'wso2',
      service_manager: 'script',
      gateway_environment: 'Default',
      java_home: '/opt/wso2/jdk/current',
      public_hostname: { control_plane: null, gateway: null },
    });
    expect(publicHost(inv, 'cp-1', 'control-plane')).toEqual({ controlPlane: '10.213.7.17', gateway: '10.213.7.17' });
    expect(varsOf(inv, 'gw-2', 'gateway').database).toMatchObject({ type: 'postgresql', host: 'db-1', port: 5432, apim_db: 'apim_db', shared_db: 'shared_db', user: 'apim' });
  });

  it('resolves secrets from the dotenv file into Secrets that print as ***', () => {
    const admin = varsOf(inv, 'cp-1', 'control-plane').admin_password;
    expect(isSecret(admin) && admin.reveal()).toBe('Adm1n-S3cret!"quote');
    const db = varsOf(inv, 'cp-1', 'control-plane').database.password;
    expect(isSecret(db) && db.reveal()).toBe('db$ecret\\with\\backslash');
    expect(String(admin)).toBe('***');
    expect(JSON.stringify(inv)).not.toContain('Adm1n');
    // both references, plus the default keystore and truststore passwords
    expect(inv.secrets.map((s) => s.reveal())).toEqual(expect.arrayContaining(['Adm1n-S3cret!"quote', 'db$ecret\\with\\backslash', 'wso2carbon']));
  });

  it('layers variables host > role > global over the defaults', () => {
    expect(varsOf(inv, 'gw-1', 'gateway').jvm_heap).toBe('3g');
    expect(varsOf(inv, 'gw-2', 'gateway').jvm_heap).toBe('2g');
    expect(varsOf(inv, 'cp-1', 'control-plane').jvm_heap).toBe('1g');
  });

  it('lists every node once: hosts in file order, roles in ROLE_NAMES order, offsets 0 by default', () => {
    expect(inv.nodes.map((n) => `${n.host}/${n.role}`)).toEqual([
      'cp-1/control-plane', 'cp-2/control-plane', 'tm-1/traffic-manager', 'tm-2/traffic-manager',
      'gw-1/gateway', 'gw-2/gateway', 'lb-1/load-balancer', 'db-1/database',
    ]);
    expect(inv.nodes.every((n) => n.offset === 0 && n.datacenter === null)).toBe(true);
  });
});

describe('other layouts', () => {
  it('pattern 0: local connection, embedded h2 by default, public names from the only node', async () => {
    const inv = await loadInventory(join(GOOD, 'pattern-0.yaml'));
    expect(inv.hosts[0]).toMatchObject({ name: 'local-1', connection: 'local', address: '127.0.0.1', roles: ['all-in-one'] });
    expect(varsOf(inv, 'local-1', 'all-in-one').database).toMatchObject({ type: 'h2', host: null, user: null, password: null });
    expect(publicHost(inv, 'local-1', 'all-in-one')).toEqual({ controlPlane: '127.0.0.1', gateway: '127.0.0.1' });
  });

  it('pattern 2: roles sharing a host come in ROLE_NAMES order; a given public name is kept', async () => {
    const inv = await loadInventory(join(GOOD, 'pattern-2.yaml'));
    expect(inv.hosts.find((h) => h.name === 'aio-1')!.roles).toEqual(['database', 'all-in-one', 'load-balancer']);
    expect(varsOf(inv, 'gw-1', 'gateway').public_hostname).toEqual({ gateway: 'api.example.com', control_plane: null, key_manager: null });
    expect(publicHost(inv, 'gw-1', 'gateway')).toEqual({ gateway: 'api.example.com', controlPlane: '10.0.1.1' });
    expect(varsOf(inv, 'aio-1', 'all-in-one').database).toMatchObject({ host: 'aio-1', port: 5432 });
  });

  it('pattern 4: port offsets land on the nodes', async () => {
    const inv = await loadInventory(join(GOOD, 'pattern-4.yaml'));
    expect(inv.hosts.find((h) => h.name === 'cp-1')).toMatchObject({ roles: ['control-plane', 'traffic-manager'] });
    expect(nodeOf(inv, { host: 'cp-1', role: 'traffic-manager' }).offset).toBe(1);
    expect(nodeOf(inv, { host: 'cp-1', role: 'control-plane' }).offset).toBe(0);
  });

  it('multi-dc active-passive: datacenters in file order, hosts know theirs, regional public names', async () => {
    const inv = await loadInventory(join(GOOD, 'multi-dc-active-passive.yaml'));
    expect(inv.datacenters.map((d) => d.name)).toEqual(['eu', 'us']);
    expect(inv.datacenters[1]!.roles).toEqual({ 'traffic-manager': ['us-tm-1'], gateway: ['us-gw-1', 'us-gw-2'], 'load-balancer': ['us-lb'] });
    expect(inv.hosts.find((h) => h.name === 'us-gw-2')!.datacenter).toBe('us');
    expect(inv.roles.gateway).toEqual(['eu-gw-1', 'us-gw-1', 'us-gw-2']);
    expect(publicHost(inv, 'eu-gw-1', 'gateway')).toEqual({ controlPlane: '10.1.0.5', gateway: '10.1.0.5' });
    // A regional datacenter reaches the central control plane through the central balancer, its gateways through its own.
    expect(publicHost(inv, 'us-gw-1', 'gateway')).toEqual({ controlPlane: '10.1.0.5', gateway: '10.2.0.4' });
    expect(varsOf(inv, 'us-gw-1', 'gateway').gateway_environment).toBe('us-east');
    expect(varsOf(inv, 'eu-gw-1', 'gateway').gateway_environment).toBe('Default');
    expect(nodeOf(inv, { host: 'us-gw-2', role: 'gateway' }).datacenter).toBe('us');
  });

  it('multi-dc active-active: each datacenter keeps its own replicated database', async () => {
    const inv = await loadInventory(join(GOOD, 'multi-dc-active-active.yaml'));
    expect(varsOf(inv, 'a-cp', 'control-plane').database).toMatchObject({ host: 'a-db', replicated: true, port: 5432 });
    expect(varsOf(inv, 'b-cp', 'control-plane').database).toMatchObject({ host: 'b-db', replicated: true });
  });

  it('requireArtifacts: false skips the on-disk check (rendering examples without dist/)', async () => {
    const bad = join(GOOD, '../bad/distribution-file-missing.yaml');
    const env = join(GOOD, '../bad/common.env');
    await expect(loadInventory(bad, { envFile: env })).rejects.toThrow();
    await expect(loadInventory(bad, { envFile: env, requireArtifacts: false })).resolves.toMatchObject({ pattern: '3' });
  });
});
