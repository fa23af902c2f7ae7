import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { loadInventory } from '../../../src/inventory/load.js';

const dir = mkdtempSync(join(tmpdir(), 'inv-rules-'));
writeFileSync(join(dir, 'x.env'), 'ADMIN_PASSWORD=pw-admin\nDB_PASSWORD=pw-db\n');

const HEAD = `name: t
apim:
  version: 4.6.0
  distributions:
    acp: { path: a.zip }
    universal-gw: { path: g.zip }
    tm: { path: t.zip }
    all-in-one: { path: aio.zip }
  jdk: { path: j.tgz }
  jdbc_driver: { path: d.jar }
vars:
  admin_password: \${ADMIN_PASSWORD}
  database: { type: postgresql, host: db.example.internal, user: apim, password: "\${DB_PASSWORD}" }
`;

let n = 0;
/** Loads HEAD + body from a temp file; resolves to the inventory or to the list of "path: message" issues. */
async function load(body: string, head = HEAD): Promise<string[] | 'ok'> {
  const file = join(dir, `inv-${n++}.yaml`);
  writeFileSync(file, head + body);
  try {
    await loadInventory(file, { envFile: join(dir, 'x.env'), requireArtifacts: false });
    return 'ok';
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.issues.map((i) => `${i.path}: ${i.message}`);
  }
}

const P3 = `pattern: 3
hosts:
  cp: { address: 10.0.0.1 }
  tm: { address: "fd00::2" }
  gw: { address: gw.example.internal }
roles:
  control-plane: [cp]
  traffic-manager: [tm]
  gateway: [gw]
`;

describe('inventory rules', () => {
  it('accepts IPv4, IPv6 and DNS addresses and an external database', async () => {
    expect(await load(P3)).toBe('ok');
  });

  it('pattern 1 needs two all-in-one nodes', async () => {
    const issues = await load('pattern: 1\nhosts:\n  a: { address: 10.0.0.1 }\nroles:\n  all-in-one: [a]\n');
    expect(issues).toEqual(['roles.all-in-one: pattern 1 needs at least 2 all-in-one host(s), got 1: add more']);
  });

  it('no load balancer needed when public_hostname names an outside one', async () => {
    const body = `pattern: 3
hosts:
  cp: { address: 10.0.0.1 }
  tm: { address: 10.0.0.2 }
  gw1: { address: 10.0.0.3 }
  gw2: { address: 10.0.0.4 }
roles:
  control-plane: [cp]
  traffic-manager: [tm]
  gateway: [gw1, gw2]
`;
    expect(await load(body)).toEqual([expect.stringContaining('roles.gateway: 2 gateway nodes need a load balancer')]);
    expect(await load(body, `${HEAD}  public_hostname: { control_plane: cp.example.com, gateway: api.example.com }\n`)).toBe('ok');
  });

  it('two key managers behind an outside balancer need public_hostname.key_manager', async () => {
    const body = `pattern: 4
hosts:
  cp: { address: 10.0.0.1 }
  tm: { address: 10.0.0.2 }
  gw: { address: 10.0.0.3 }
  km1: { address: 10.0.0.4 }
  km2: { address: 10.0.0.5 }
roles:
  control-plane: [cp]
  traffic-manager: [tm]
  gateway: [gw]
  key-manager: [km1, km2]
`;
    const portals = `${HEAD}  public_hostname: { control_plane: cp.example.com, gateway: api.example.com }\n`;
    expect(await load(body, portals)).toEqual([
      expect.stringContaining('roles.key-manager: 2 key-manager nodes need a load balancer in front: add a load-balancer role, or set vars.public_hostname.key_manager'),
    ]);
    expect(await load(body, `${portals.trimEnd().slice(0, -2)}, key_manager: km.example.com }\n`)).toBe('ok');
  });

  it('a host lives in one datacenter', async () => {
    const body = `pattern: multi-dc-active-passive
hosts:
  cp: { address: 10.0.0.1 }
  tm: { address: 10.0.0.2 }
  gw: { address: 10.0.0.3 }
datacenters:
  eu: { roles: { control-plane: [cp], traffic-manager: [tm], gateway: [gw] } }
  us: { roles: { traffic-manager: [tm], gateway: [gw] } }
`;
    const issues = await load(body);
    expect(issues).toContain("datacenters.us.roles.traffic-manager[0]: host 'tm' is already in datacenter 'eu': a host lives in one datacenter");
  });

  describe('active-active regions', () => {
    const aa = (euVars: string, usVars: string) => `pattern: multi-dc-active-active
hosts:
  eu-cp: { address: 10.0.1.1 }
  eu-tm: { address: 10.0.1.2 }
  eu-gw: { address: 10.0.1.3 }
  us-cp: { address: 10.0.2.1 }
  us-tm: { address: 10.0.2.2 }
  us-gw: { address: 10.0.2.3 }
datacenters:
  eu:
    vars: { database: { type: postgresql, host: db-eu.example.internal, user: apim, password: "\${DB_PASSWORD}", replicated: true }${euVars} }
    roles: { control-plane: [eu-cp], traffic-manager: [eu-tm], gateway: [eu-gw] }
  us:
    vars: { database: { type: postgresql, host: db-us.example.internal, user: apim, password: "\${DB_PASSWORD}", replicated: true }${usVars} }
    roles: { control-plane: [us-cp], traffic-manager: [us-tm], gateway: [us-gw] }
`;
    it('are identical: one gateway environment name in every datacenter', async () => {
      expect(await load(aa(', gateway_environment: emea', ', gateway_environment: emea'))).toBe('ok');
      expect(await load(aa('', ', gateway_environment: americas'))).toEqual([
        "datacenters.us.vars.gateway_environment: multi-dc-active-active: datacenter 'us' names gateway environment 'americas' and 'eu' names 'Default'; " +
        'active-active regions are identical (WSO2 multi-DC pattern 1): give every datacenter the same gateway_environment',
      ]);
    });

    it('refuse an admin password the cross-region JMS URL cannot carry, naming its origin and never its value', async () => {
      writeFileSync(join(dir, 'x.env'), 'ADMIN_PASSWORD=pw@admin\nDB_PASSWORD=pw-db\n');
      try {
        const issues = await load(aa('', ''));
        expect(issues).toEqual([expect.stringMatching(/^vars\.admin_password: the password \(.*ADMIN_PASSWORD.*\) contains one of .*Qpid connection URL/)]);
        expect(JSON.stringify(issues)).not.toContain('pw@admin');
        // The same password is fine where no cross-region URL carries it.
        expect(await load(P3)).toBe('ok');
      } finally {
        writeFileSync(join(dir, 'x.env'), 'ADMIN_PASSWORD=pw-admin\nDB_PASSWORD=pw-db\n');
      }
    });
  });

  it('a multi-DC pattern needs two datacenters', async () => {
    const body = `pattern: multi-dc-active-passive
hosts:
  cp: { address: 10.0.0.1 }
  tm: { address: 10.0.0.2 }
  gw: { address: 10.0.0.3 }
datacenters:
  eu: { roles: { control-plane: [cp], traffic-manager: [tm], gateway: [gw] } }
`;
    expect(await load(body)).toEqual([expect.stringContaining('datacenters: multi-dc-active-passive needs at least 2 datacenters, got 1')]);
  });

  it('4.7 and malformed versions are refused; unknown distribution kinds and bad sha256 too', async () => {
    expect(await load(P3, HEAD.replace('4.6.0', '4.7.0'))).toEqual(['apim.version: APIM 4.7.0 is not supported: apim-deploy installs 4.0.0 to 4.6.x']);
    expect((await load(P3, HEAD.replace('4.6.0', '"4.6"')))[0]).toContain("'4.6' is not a version");
    const odd = HEAD.replace('tm: { path: t.zip }', 'tm: { path: t.zip, sha256: abc }\n    gw: { path: x.zip }');
    expect(await load(P3, odd)).toEqual([
      'apim.distributions.tm.sha256: sha256 must be 64 hexadecimal digits',
      "apim.distributions.gw: unknown distribution 'gw'; kinds are acp, all-in-one, tm, universal-gw",
    ]);
  });

  it('checks host sharing with every role.yaml port, suggesting an offset whose ports are all free', async () => {
    const shared = (offsets: string) => P3.replace('  cp: { address: 10.0.0.1 }', `  cp: { address: 10.0.0.1${offsets} }`).replace('traffic-manager: [tm]', 'traffic-manager: [cp]').replace('  tm: { address: "fd00::2" }\n', '');
    expect(await load(shared(''))).toEqual([
      "hosts.cp: control-plane and traffic-manager on host 'cp' both need port 9443: give them distinct port offsets, e.g. port_offsets: { traffic-manager: 1 }",
    ]);
    expect(await load(shared(', port_offsets: { traffic-manager: 1 }'))).toBe('ok');
    expect((await load(shared(', port_offsets: { traffic-manager: 100 }')))[0]).toContain('both need port 9711'); // 9611 + 100
  });

  it('a load balancer on a control plane or gateway host needs an offset on the WSO2 side (both bind 9443, 8243, 8280)', async () => {
    const withLb = (host: string, offsets = '') =>
      P3.replace(`  ${host}: { address: `, `  ${host}: { ${offsets}address: `).replace('roles:\n', `roles:\n  load-balancer: [${host}]\n`);
    expect(await load(withLb('cp'))).toEqual([
      "hosts.cp: load-balancer and control-plane on host 'cp' both need port 9443: load-balancer takes no offset: give control-plane one, e.g. port_offsets: { control-plane: 1 }, or put them on different hosts",
    ]);
    expect(await load(withLb('gw'))).toEqual([
      "hosts.gw: load-balancer and gateway on host 'gw' both need port 9443: load-balancer takes no offset: give gateway one, e.g. port_offsets: { gateway: 1 }, or put them on different hosts",
    ]);
    expect(await load(withLb('gw', 'port_offsets: { gateway: 1 }, '))).toBe('ok');
    expect((await load(withLb('tm')))[0]).toContain("load-balancer and traffic-manager on host 'tm' both need port 9443");
  });

  it('role_vars and host vars may not set the database', async () => {
    const issues = await load(P3.replace('  gw: { address: gw.example.internal }', '  gw: { address: gw.example.internal, vars: { database: { type: h2 } } }'));
    expect(issues).toEqual(['hosts.gw.vars.database: database is one per deployment: move it to vars (or datacenters.<dc>.vars)']);
  });

  it('a missing inventory file is a ConfigError naming it', async () => {
    await expect(loadInventory(join(dir, 'absent.yaml'))).rejects.toThrow(/inventory file not found: .*absent\.yaml/);
  });
});
