import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRoleCatalog, loadRoleFile, ROLES_DIR, TEMPLATES_DIR } from '../../../src/catalog/roles.js';
import { resolveNodeRuntime } from '../../../src/catalog/runtime.js';
import { wso2Variant } from '../../../src/catalog/variants.js';
import { satisfies, rangeProblem } from '../../../src/catalog/semver.js';
import { ConfigError } from '../../../src/errors.js';
import { ROLE_NAMES } from '../../../src/model/inventory.js';
import { buildNodeContext } from '../../../src/topology/context.js';
import { loadExample } from '../render/examples.js';
import { issuesOf } from './config-issues.js';

function brokenRole(role: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'apim-roles-'));
  cpSync(join(ROLES_DIR, role), join(dir, role), { recursive: true });
  const file = join(dir, role, 'role.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return file;
}

describe('role catalog', () => {
  it('loads a valid definition for every role', () => {
    const catalog = loadRoleCatalog();
    expect(Object.keys(catalog).sort()).toEqual([...ROLE_NAMES].sort());
  });

  it('ships health checks of the node\'s own view only: none needs a route from the controller when the node\'s sshd forwards nothing', () => {
    const checks = Object.entries(loadRoleCatalog()).flatMap(([role, def]) => def.health.checks
      .filter((c) => c.kind === 'http' || c.kind === 'tcp').map((c) => `${role} ${c.kind} ${'from' in c ? c.from : '(controller)'}`));
    expect(checks.length).toBeGreaterThan(10);
    expect(checks.filter((c) => !c.endsWith(' host'))).toEqual([]);
  });

  it('reports a wrong type with file, line and dotted path', () => {
    const file = brokenRole('traffic-manager', (t) => t.replace('upgrade: { maxBatch: 1 }', 'upgrade: { maxBatch: "one" }'));
    const [issue] = issuesOf(() => loadRoleFile(file, TEMPLATES_DIR));
    expect(issue).toMatchObject({ file, path: 'upgrade.maxBatch' });
    expect(issue!.line).toBe(readFileSync(file, 'utf8').split('\n').findIndex((l) => l.startsWith('upgrade:')) + 1);
  });

  it('refuses unknown keys, unknown placeholders, missing templates and bad version ranges at once', () => {
    const file = brokenRole('traffic-manager', (t) =>
      t
        .replace('dependsOn:', 'dependson: [gateway]\ndependsOn:')
        .replace('{address}:{port:http}', '{adress}:{port:http}')
        .replace('traffic-manager/deployment.toml.eta', 'traffic-manager/missing.toml.eta')
        .replace('">=4.5.0"', '"4.5+"'),
    );
    const messages = issuesOf(() => loadRoleFile(file, TEMPLATES_DIR)).map((i) => `${i.path}: ${i.message}`);
    expect(messages.join('\n')).toMatch(/dependson/);
    expect(messages.join('\n')).toMatch(/version range/);
    // zod stops before the semantic pass; fix the schema errors to see the rest.
    const file2 = brokenRole('traffic-manager', (t) =>
      t
        .replace('{address}:{port:http}', '{adress}:{port:htp}')
        .replace('traffic-manager/deployment.toml.eta', 'traffic-manager/missing.toml.eta')
        .replace('port: binary, from: host }', 'port: binari, from: host }'),
    );
    const rest = issuesOf(() => loadRoleFile(file2, TEMPLATES_DIR)).map((i) => `${i.path}: ${i.message}`);
    expect(rest).toContain('files[0].template: template not found: templates/traffic-manager/missing.toml.eta');
    expect(rest.some((m) => m.startsWith('health.checks[0].url: unknown placeholder {adress}'))).toBe(true);
    // Port names come from the role's own `ports`.
    expect(rest.some((m) => m.startsWith('health.checks[0].url: unknown placeholder {port:htp}'))).toBe(true);
    expect(rest).toContain("health.checks[2].port: 'binari' is not one of this role's ports: https, http, amqp, binary, binary_ssl");
  });

  it('expands a shared setup of wso2-server.yaml in the role own order, under the role name', () => {
    const km = loadRoleFile(join(ROLES_DIR, 'key-manager', 'role.yaml'), TEMPLATES_DIR);
    expect(km.setup.map((s) => s.name)).toEqual(['key-manager-trusts-internal-ca', 'key-manager-profile', 'key-manager-installs-keystores']);
    const ca = km.setup[0]!;
    expect(ca).toMatchObject({ when: { internalCa: true }, stdin: 'truststore_password', marker: '{home}/.apim-deploy-ca-trusted', whileRunning: false, inRelease: true });
    // Every WSO2 role gets the same commands: one definition, not five copies.
    const gw = loadRoleFile(join(ROLES_DIR, 'gateway', 'role.yaml'), TEMPLATES_DIR);
    expect(gw.setup.find((s) => s.name === 'gateway-trusts-internal-ca')!.argv).toEqual(ca.argv);
  });

  it('reports a wrong shared setup reference at its line, and refuses one outside a WSO2 role', () => {
    const file = brokenRole('gateway', (t) => t.replace('- shared: installs-keystores', '- shared: installs-keystore'));
    const [issue] = issuesOf(() => loadRoleFile(file, TEMPLATES_DIR));
    expect(issue).toMatchObject({ file, path: 'setup[1].shared' });
    expect(issue!.message).toBe('wso2-server.yaml has no setup "installs-keystore"; it has: trusts-internal-ca, installs-keystores');
    expect(issue!.line).toBe(readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('- shared: installs-keystore')) + 1);
    const extra = brokenRole('gateway', (t) => t.replace('- shared: installs-keystores', '- { shared: installs-keystores, marker: /tmp/x }'));
    expect(issuesOf(() => loadRoleFile(extra, TEMPLATES_DIR)).map((i) => `${i.path}: ${i.message}`))
      .toEqual(["setup[1].marker: a shared setup entry holds only 'shared'; change wso2-server.yaml setups, or write the whole entry here"]);
    const db = brokenRole('database', (t) => t.replace(/^setup:\n/m, 'setup:\n  - shared: trusts-internal-ca\n'));
    expect(issuesOf(() => loadRoleFile(db, TEMPLATES_DIR)).map((i) => i.message))
      .toEqual(['only a WSO2 server role (runtime kind: wso2) may use the setups of wso2-server.yaml']);
  });

  it('refuses an inRelease setup that runs while the component is up, or keeps its marker outside the release', () => {
    const both = brokenRole('key-manager', (t) => t.replace('    inRelease: true', '    inRelease: true\n    whileRunning: true'));
    expect(issuesOf(() => loadRoleFile(both, TEMPLATES_DIR)).map((i) => `${i.path}: ${i.message}`))
      .toEqual(['setup[1].inRelease: a setup that runs while the component is up cannot also be inRelease (done before it starts)']);
    const outside = brokenRole('key-manager', (t) => t.replace('marker: "{home}/.km_profile_setup_complete"', 'marker: "{state_dir}/km-profile"'));
    expect(issuesOf(() => loadRoleFile(outside, TEMPLATES_DIR)).map((i) => `${i.path}: ${i.message}`))
      .toEqual(['setup[1].marker: an inRelease setup keeps its marker in the release: {home}/…']);
  });

  it('reports YAML syntax errors with a position', () => {
    const file = brokenRole('database', (t) => `${t}\nports: [5432\n`);
    const [issue] = issuesOf(() => loadRoleFile(file, TEMPLATES_DIR));
    expect(issue!.file).toBe(file);
    expect(issue!.line).toBeGreaterThan(1);
  });
});

describe('semver ranges', () => {
  it('matches comparators and alternatives', () => {
    expect(satisfies('4.6.0', '>=4.5.0')).toBe(true);
    expect(satisfies('4.4.9', '>=4.0.0 <4.5.0')).toBe(true);
    expect(satisfies('4.5.0', '>=4.0.0 <4.5.0')).toBe(false);
    expect(satisfies('3.2.0', '<4.0.0 || >=5.0.0')).toBe(true);
    expect(rangeProblem('>=4.5')).toMatch(/comparator/);
  });
});

describe('resolveNodeRuntime', () => {
  it('starts a 4.6 key manager from the ACP pack with a guarded one-time profile setup', async () => {
    const inv = await loadExample('pattern-4');
    const catalog = loadRoleCatalog();
    const ctx = buildNodeContext(inv, catalog, { host: 'km-1', role: 'key-manager' });
    const rt = resolveNodeRuntime(catalog['key-manager'], ctx);
    expect(rt.distribution).toBe('acp');
    expect(rt.start).toEqual(['runuser', '-u', 'wso2carbon', '--', '/opt/wso2/key-manager/current/bin/key-manager.sh', 'start']);
    // With a load balancer the internal CA goes into its truststore first (key-manager-trusts-internal-ca, tested with the other roles).
    expect(rt.setup.map((s) => s.name)).toEqual(['key-manager-trusts-internal-ca', 'key-manager-profile']);
    expect(rt.setup.filter((s) => s.name === 'key-manager-profile')).toEqual([
      {
        name: 'key-manager-profile',
        argv: ['runuser', '-u', 'wso2carbon', '--', '/opt/wso2/key-manager/current/bin/profileSetup.sh', '-Dprofile=key-manager', '--skipConfigOptimization'],
        marker: '/opt/wso2/key-manager/current/.km_profile_setup_complete',
        upload: null,
        rerunWhenChanged: [],
        whileRunning: false,
        inRelease: true,
        stdin: null,
      },
    ]);
    const inRelease = resolveNodeRuntime(catalog['key-manager'], ctx, { home: '/opt/wso2/key-manager/releases/4.6.0-abcdef12' });
    expect(inRelease.setup.map((s) => s.marker)).toEqual([
      '/opt/wso2/key-manager/releases/4.6.0-abcdef12/.apim-deploy-ca-trusted',
      '/opt/wso2/key-manager/releases/4.6.0-abcdef12/.km_profile_setup_complete',
    ]);
  });

  it('uses the all-in-one pack and a profile before 4.5', () => {
    const catalog = loadRoleCatalog();
    expect(wso2Variant(catalog.gateway, '4.3.0')).toMatchObject({ distribution: 'all-in-one', args: ['-Dprofile=gateway-worker'] });
    expect(wso2Variant(catalog['key-manager'], '4.4.0').args).toEqual(['-Dprofile=api-key-manager-node']);
    expect(wso2Variant(catalog['key-manager'], '4.5.0')).toMatchObject({ distribution: 'acp', script: 'bin/key-manager.sh' });
    expect(() => wso2Variant(catalog.gateway, '3.2.0')).toThrow(ConfigError);
  });

  it('adds the port offset to health checks and ports', async () => {
    const inv = await loadExample('lab');
    const shifted = { ...inv, nodes: inv.nodes.map((n) => (n.host === 'gw-1' ? { ...n, offset: 3 } : n)) };
    const catalog = loadRoleCatalog();
    const rt = resolveNodeRuntime(catalog.gateway, buildNodeContext(shifted, catalog, { host: 'gw-1', role: 'gateway' }));
    expect(rt.checks).toEqual([
      { kind: 'http', url: 'http://10.213.7.15:9766/services/Version', expectStatus: [200], from: 'host', insecureTls: false, bodyContains: 'getVersionResponse' },
      { kind: 'http', url: 'https://10.213.7.15:9446/api/am/gateway/v2/server-startup-healthcheck', expectStatus: [200], from: 'host', insecureTls: true },
    ]);
    expect(rt.ports).toEqual([9446, 9766, 8283, 8246, 9102, 8102]);
    expect(rt.env).toEqual({ JAVA_HOME: '/opt/wso2/jdk/current', JVM_MEM_OPTS: '-Xms512m -Xmx512m' });
  });

  it('expresses PostgreSQL setup as guarded argv with the dbscripts named inside the distribution', async () => {
    const inv = await loadExample('lab');
    const catalog = loadRoleCatalog();
    const rt = resolveNodeRuntime(catalog.database, buildNodeContext(inv, catalog, { host: 'db-1', role: 'database' }));
    expect(rt.start).toEqual(['pg_ctlcluster', '15', 'main', 'start']);
    expect(rt.setup.map((s) => s.name)).toEqual(['create-databases', 'load-shared-db', 'load-apim-db']);
    const shared = rt.setup[1]!;
    expect(shared.upload).toEqual({ pathInDistribution: 'dbscripts/postgresql.sql', remotePath: '/var/lib/apim-deploy/database/4.6.0/dbscripts/postgresql.sql' });
    expect(shared.argv).toEqual([
      'runuser', '-u', 'postgres', '--', 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-1', '-d', 'shared_db',
      '-c', 'SET ROLE "apimadmin"', '-f', '/var/lib/apim-deploy/database/4.6.0/dbscripts/postgresql.sql',
    ]);
    expect(rt.setup[0]!.rerunWhenChanged).toEqual(['/var/lib/apim-deploy/database/create-databases.sql']);
  });
});
