import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatIssue, type ConfigIssue } from '../../../src/errors.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { cliTimeout } from '../cli/run-cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const BAD = join(ROOT, 'test/fixtures/inventories/bad');
const COMMON_ENV = join(BAD, 'common.env');

/** [fixture, line, dotted path, message fragment]. Each fixture is the same small pattern-3 inventory with one fault. */
const CASES: readonly (readonly [string, number, string, string])[] = [
  ['yaml-syntax', 22, '', 'YAML syntax: Flow sequence in block collection must be sufficiently indented'],
  ['duplicate-host', 17, '', "key 'cp-1' is already defined above"],
  ['unknown-top-key', 3, 'hostz', "unknown key 'hostz' (did you mean 'hosts'?)"],
  ['unknown-host-key', 15, 'hosts.tm-1.adress', "unknown key 'adress' (did you mean 'address'?)"],
  ['wrong-type-port', 16, 'hosts.gw-1.port', "expected a number, got the string 'twenty-two'"],
  ['wrong-type-roles-list', 21, 'roles.gateway', "expected a list like [a, b], got the string 'gw-1'"],
  ['missing-version', 4, 'apim.version', "required key 'version' is missing: add the APIM version, like 4.6.0"],
  ['missing-address', 16, 'hosts.gw-1', "required key 'address' is missing"],
  ['unknown-pattern', 2, 'pattern', "unknown pattern '7'"],
  ['unknown-role', 21, 'roles.gatway', "unknown role 'gatway' (did you mean 'gateway'?)"],
  ['host-in-no-role', 18, 'hosts.spare-1', "host 'spare-1' plays no role"],
  ['undefined-host', 21, 'roles.gateway[1]', "host 'gw-9' is not defined under hosts: (did you mean 'gw-1'?)"],
  ['same-host-twice', 21, 'roles.gateway[1]', "host 'gw-1' is listed twice for gateway"],
  ['too-many-control-planes', 22, 'roles.control-plane', 'pattern 3 allows at most 2 control-plane host(s), got 3'],
  ['role-not-in-pattern', 24, 'roles.all-in-one', 'role all-in-one is not part of pattern 3'],
  ['required-role-missing', 20, 'roles.traffic-manager', 'pattern 3 needs at least 1 traffic-manager host(s), got 0'],
  ['never-share', 14, 'hosts.cp-1', "control-plane and key-manager must not share host 'cp-1' in pattern 4"],
  ['offsets-missing', 14, 'hosts.cp-1', 'both need port 9443: give them distinct port offsets, e.g. port_offsets: { traffic-manager: 1 }'],
  ['offsets-overlap', 14, 'hosts.cp-1.port_offsets.traffic-manager', 'both need port 9711'],
  ['offset-for-role-not-played', 16, 'hosts.gw-1.port_offsets.traffic-manager', "host 'gw-1' does not play traffic-manager"],
  ['invalid-address', 16, 'hosts.gw-1.address', "'10.0.0.300' is not a valid address"],
  ['duplicate-address', 16, 'hosts.gw-1.address', "address 10.0.0.2 port 22 is also used by host 'tm-1'"],
  ['two-local-hosts', 17, 'hosts.db-1.connection', "only one host may use connection: local (already 'gw-1')"],
  ['unsafe-host-name', 16, 'hosts.gw-1;reboot', "host name 'gw-1;reboot' is not allowed"],
  ['unsafe-install-dir', 12, 'vars.install_dir', 'is not valid here: use an absolute path like /opt/wso2'],
  ['bad-heap', 12, 'vars.jvm_heap', 'use a JVM heap size like 512m or 2g'],
  ['unknown-variable', 12, 'vars.jvm_heapp', "unknown variable 'jvm_heapp' (did you mean 'jvm_heap'?)"],
  ['reference-outside-vars', 16, 'hosts.gw-1.address', 'secret references (${NAME}) work only in variables'],
  ['database-host-not-database-role', 12, 'vars.database.host', "host 'gw-1' is in the inventory but does not play the database role"],
  ['database-missing-password', 12, 'vars.database', "required key 'password' is missing from database"],
  ['bad-database-type', 12, 'vars.database.type', "got 'postgres' (did you mean 'postgresql'?)"],
  ['h2-with-several-nodes', 12, 'vars.database.type', 'h2 is an embedded single-node database and pattern 3 shares one database'],
  ['admin-password-missing', 10, 'vars', 'admin_password is not set for cp-1 (control-plane), tm-1 (traffic-manager), gw-1 (gateway)'],
  ['missing-secret', 12, 'vars.database.password', 'secret DB_PASSWORD_TYPO is not defined in test/fixtures/inventories/bad/common.env'],
  ['missing-dotenv', 11, 'vars.admin_password', 'the dotenv file test/fixtures/inventories/bad/missing-dotenv.env does not exist'],
  ['unsupported-version', 4, 'apim.version', 'APIM 3.2.0 is not supported'],
  ['missing-distribution', 5, 'apim.distributions', 'APIM 4.6.0 needs the tm distribution for traffic-manager'],
  ['distribution-file-missing', 8, 'apim.distributions.tm.path', `file not found: ${ROOT}/test/fixtures/inventories/dist/wso2am-tm-4.6.1.zip`],
  ['extra-distribution-before-4.5', 7, 'apim.distributions.acp', 'APIM 4.3.0 ships one all-in-one pack'],
  ['load-balancer-required', 22, 'roles.gateway', '2 gateway nodes need a load balancer in front'],
  ['dc-missing-gateways', 24, 'datacenters.us.roles', "requires role gateway in datacenter 'us'"],
  ['dc-control-plane-not-central', 25, 'datacenters.us.roles.control-plane', "runs only in the central datacenter ('eu'"],
  ['dc-top-level-roles', 25, 'roles', 'multi-datacenter patterns assign roles per datacenter'],
  ['jdbc-driver-missing', 3, 'apim', 'database.type postgresql: control-plane, traffic-manager, gateway open the database and the packs ship no postgresql JDBC driver: add jdbc_driver'],
  ['dc-active-active-not-replicated', 12, 'vars.database', 'needs a bi-directionally replicated database per datacenter'],
  ['proxy-jump-unknown', 16, 'hosts.gw-1.proxy_jump', "jump host 'ops@bad host' is neither a host of this inventory nor user@host:port"],
  ['proxy-jump-cycle', 14, 'hosts.cp-1.proxy_jump', 'proxy_jump goes round in a circle: cp-1 → tm-1 → cp-1'],
  ['become-user-without-become', 16, 'hosts.gw-1.become_user', "'become_user' needs become: sudo on this host (or in defaults)"],
  ['become-unknown-method', 16, 'hosts.gw-1.become', "'su' is not a become method apim-deploy knows: write become: sudo (or false)"],
];

function envFor(name: string): string | undefined {
  return name === 'missing-dotenv' ? undefined : COMMON_ENV;
}

async function issuesOf(name: string): Promise<readonly ConfigIssue[]> {
  try {
    await loadInventory(join(BAD, `${name}.yaml`), { envFile: envFor(name) });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues;
  }
  throw new Error(`${name}.yaml loaded without an error`);
}

describe('bad inventories: each gives its specific message at its line', () => {
  it('has at least 30 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(30));

  it.each(CASES)('%s → line %i, %s', async (name, line, path, fragment) => {
    const cwd = process.cwd();
    process.chdir(ROOT); // file names in messages are relative to the working directory
    try {
      const issues = await issuesOf(name);
      const match = issues.find((i) => i.message.includes(fragment));
      expect(match, `no issue mentions "${fragment}"; got:\n${issues.map(formatIssue).join('\n')}`).toBeDefined();
      expect(match!.file).toBe(`test/fixtures/inventories/bad/${name}.yaml`);
      expect(match!.line).toBe(line);
      expect(match!.path).toBe(path);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('apim-deploy validate on bad inventories', { timeout: cliTimeout(1) }, () => {
  it.each(['unknown-host-key', 'offsets-missing', 'missing-secret', 'yaml-syntax', 'dc-missing-gateways'])('%s exits 3 with file:line:col: path: message', (name) => {
    const [, line, path, fragment] = CASES.find((c) => c[0] === name)!;
    const r = spawnSync(join(ROOT, 'bin/apim-deploy'), ['validate', '-i', `test/fixtures/inventories/bad/${name}.yaml`, '--env-file', COMMON_ENV], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    const prefix = `test/fixtures/inventories/bad/${name}.yaml:${line}:`;
    const lineOut = r.stderr.split('\n').find((l) => l.startsWith(prefix) && l.includes(fragment));
    expect(lineOut, r.stderr).toBeDefined();
    if (path) expect(lineOut).toMatch(new RegExp(`^${prefix}\\d+: ${path.replace(/[.[\]]/g, '\\$&')}: `));
    expect(r.stderr).toContain(`hint: fix them, then run: apim-deploy validate -i test/fixtures/inventories/bad/${name}.yaml`);
  });
});
