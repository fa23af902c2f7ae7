/** Variables are layered and defaulted once, in src/inventory: the precedence, mapping merges, and issues at validate. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeOf, type Inventory, type RoleName } from '../../../src/model/inventory.js';
import { writtenInventories } from './written-inventory.js';

const dir = mkdtempSync(join(tmpdir(), 'inv-vars-'));
writeFileSync(join(dir, 'x.env'), 'ADMIN_PASSWORD=pw-admin\nDB_PASSWORD=pw-db\nHEAP=2g\n');

const HEAD = `name: t
apim: { version: 4.6.0,
  distributions: { acp: { path: a.zip }, universal-gw: { path: g.zip }, tm: { path: t.zip } },
  jdk: { path: j.tgz }, jdbc_driver: { path: d.jar } }
# (the positions the tests expect count these 5 lines)
`;

const { load, issues } = writtenInventories(dir, HEAD);
const vars = (inv: Inventory, host: string, role: RoleName) => nodeOf(inv, { host, role }).vars;

const TWO_DCS = `pattern: multi-dc-active-passive
vars:
  admin_password: \${ADMIN_PASSWORD}
  database: { type: postgresql, host: eu-db, user: apim, password: "\${DB_PASSWORD}" }
  jvm_heap: 2g
role_vars:
  gateway: { jvm_heap: 3g }
hosts:
  eu-cp: { address: 10.1.0.1 }
  eu-tm: { address: 10.1.0.2 }
  eu-gw: { address: 10.1.0.3 }
  eu-db: { address: 10.1.0.4 }
  us-tm: { address: 10.2.0.1 }
  us-gw-1: { address: 10.2.0.2 }
  us-gw-2: { address: 10.2.0.3, vars: { jvm_heap: 5g } }
  us-lb: { address: 10.2.0.4 }
datacenters:
  eu:
    roles: { control-plane: [eu-cp], traffic-manager: [eu-tm], gateway: [eu-gw], database: [eu-db] }
  us:
    vars: { jvm_heap: 4g, gateway_environment: us-east }
    roles: { traffic-manager: [us-tm], gateway: [us-gw-1, us-gw-2], load-balancer: [us-lb] }
`;

describe('node variables', () => {
  it('apply defaults < vars < role_vars < datacenter vars < host vars', async () => {
    const inv = await load(TWO_DCS);
    expect(vars(inv, 'eu-cp', 'control-plane').jvm_heap).toBe('2g'); // vars
    expect(vars(inv, 'eu-gw', 'gateway').jvm_heap).toBe('3g'); // role_vars over vars
    expect(vars(inv, 'us-tm', 'traffic-manager').jvm_heap).toBe('4g'); // datacenter vars
    expect(vars(inv, 'us-gw-1', 'gateway').jvm_heap).toBe('4g'); // datacenter vars over role_vars
    expect(vars(inv, 'us-gw-2', 'gateway').jvm_heap).toBe('5g'); // host vars over everything
    expect(vars(inv, 'eu-cp', 'control-plane')).toMatchObject({ service_manager: 'script', java_home: '/opt/wso2/jdk/current', gateway_environment: 'Default' });
    expect(vars(inv, 'us-gw-1', 'gateway').gateway_environment).toBe('us-east');
  });

  it('merge a mapping key by key: a datacenter may change only database.host, and java_home follows install_dir', async () => {
    const body = TWO_DCS.replace('pattern: multi-dc-active-passive', 'pattern: multi-dc-active-active')
      .replace('password: "${DB_PASSWORD}" }', 'password: "${DB_PASSWORD}", replicated: true }')
      .replace('  us-lb: { address: 10.2.0.4 }', '  us-lb: { address: 10.2.0.4 }\n  us-cp: { address: 10.2.0.5 }\n  us-db: { address: 10.2.0.6, vars: { install_dir: /srv/wso2 } }')
      .replace('    vars: { jvm_heap: 4g, gateway_environment: us-east }', '    vars: { database: { host: us-db } }')
      .replace('load-balancer: [us-lb] }', 'load-balancer: [us-lb], control-plane: [us-cp], database: [us-db] }');
    const inv = await load(body);
    expect(vars(inv, 'us-cp', 'control-plane').database).toMatchObject({ type: 'postgresql', host: 'us-db', user: 'apim', port: 5432, replicated: true });
    expect(vars(inv, 'eu-cp', 'control-plane').database.host).toBe('eu-db');
    expect(vars(inv, 'us-db', 'database')).toMatchObject({ install_dir: '/srv/wso2', java_home: '/srv/wso2/jdk/current' });
  });

  it('default database.host to the one database host of the layout', async () => {
    const inv = await load(TWO_DCS.replace('host: eu-db, ', ''));
    expect(vars(inv, 'us-gw-1', 'gateway').database.host).toBe('eu-db');
  });

  it('are checked at validate, every problem at once with its position (nothing is found later by the render)', async () => {
    const body = TWO_DCS.replace('  gateway: { jvm_heap: 3g }', '  gateway: { jvm_heap: 3g, database: { type: h2 } }')
      .replace('vars: { jvm_heap: 5g }', 'vars: { jvm_heap: "${HEAP}", service_manager: upstart }')
      .replace('vars: { jvm_heap: 4g, gateway_environment: us-east }', 'vars: { jvm_hep: 4g, public_hostname: { gateway: "bad name" } }');
    expect(await issues(body)).toEqual([
      'inv.yaml:12:28: role_vars.gateway.database: database is one per deployment: move it to vars (or datacenters.<dc>.vars)',
      'inv.yaml:20:51: hosts.us-gw-2.vars.jvm_heap: secret references (${NAME}) are for passwords: write this value itself',
      "inv.yaml:20:79: hosts.us-gw-2.vars.service_manager: must be one of script, systemd, got 'upstart'",
      "inv.yaml:26:13: datacenters.us.vars.jvm_hep: unknown variable 'jvm_hep' (did you mean 'jvm_heap'?); known: admin_username, admin_password, keystore_password, truststore_password, database, public_hostname, jvm_heap, install_dir, service_user, service_group, service_manager, gateway_environment, java_home, load_balancer, keystores, truststore, load_balancer_tls, files, deployment_toml, deployment_toml_force, deployment_toml_replace, jvm_options, secure_vault, secure_vault_persist_password",
      "inv.yaml:26:54: datacenters.us.vars.public_hostname.gateway: 'bad name' is not valid here: use an IPv4 address, an IPv6 address without a %zone, or a DNS name",
    ]);
  });
});
