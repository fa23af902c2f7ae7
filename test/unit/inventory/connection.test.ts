import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadInventory } from '../../../src/inventory/load.js';
import type { HostSpec, Inventory } from '../../../src/model/inventory.js';
import { explainConnection } from '../../../src/workflows/explain-connection.js';

const GOOD = resolve(import.meta.dirname, '../../fixtures/inventories/good');
const DIST = resolve(GOOD, '../dist');
const dir = mkdtempSync(join(tmpdir(), 'apim-conn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The multi-DC fixture with connection keys at defaults, datacenter and host level, and a bastion per datacenter. */
async function load(edit: (doc: Record<string, any>) => void): Promise<Inventory> {
  const doc = parse(readFileSync(join(GOOD, 'multi-dc-active-passive.yaml'), 'utf8')) as Record<string, any>;
  for (const d of Object.values(doc.apim.distributions) as { path: string }[]) d.path = d.path.replace('../dist', DIST);
  doc.apim.jdk.path = doc.apim.jdk.path.replace('../dist', DIST);
  if (doc.apim.jdbc_driver) doc.apim.jdbc_driver.path = doc.apim.jdbc_driver.path.replace('../dist', DIST);
  edit(doc);
  const file = join(dir, 'inv.yaml');
  writeFileSync(file, stringify(doc));
  writeFileSync(join(dir, 'inv.env'), 'ADMIN_PASSWORD=a\nDB_PASSWORD=b\nSUDO_PASSWORD=sudo-pw\n');
  return loadInventory(file);
}

const host = (inv: Inventory, name: string): HostSpec => inv.hosts.find((h) => h.name === name)!;

describe('connection keys', () => {
  it('take host over datacenter over defaults, each remembering the key that gave it', async () => {
    const inv = await load((doc) => {
      doc.defaults = { user: 'deploy', become: 'sudo', become_password: '${SUDO_PASSWORD}', proxy_jump: 'eu-bastion', ssh_key: 'keys/id' };
      doc.datacenters.us.proxy_jump = 'ops@203.0.113.7:2222';
      doc.datacenters.us.become_user = 'apim';
      doc.hosts['eu-bastion'] = { address: '198.51.100.10', user: 'jump' };
      doc.hosts['us-gw-2'].port = 2200;
      doc.hosts['us-gw-2'].become = false;
      doc.hosts['eu-db'].proxy_jump = 'none';
    });
    const euGw = host(inv, 'eu-gw-1');
    expect(euGw).toMatchObject({ user: 'deploy', sshKey: join(dir, 'keys/id'), become: { method: 'sudo', user: 'root' } });
    expect(euGw.become?.password?.reveal()).toBe('sudo-pw');
    expect(euGw.proxyJump).toEqual([{ label: 'eu-bastion', address: '198.51.100.10', user: 'jump', sshKey: join(dir, 'keys/id') }]);
    expect(euGw.connectionOrigins).toMatchObject({ user: 'defaults.user', proxy_jump: 'defaults.proxy_jump', become: 'defaults.become' });
    const usGw = host(inv, 'us-gw-1');
    expect(usGw.proxyJump).toEqual([{ label: 'ops@203.0.113.7:2222', address: '203.0.113.7', user: 'ops', port: 2222 }]);
    expect(usGw.become).toMatchObject({ user: 'apim' });
    expect(usGw.connectionOrigins).toMatchObject({ proxy_jump: 'datacenters.us.proxy_jump', become_user: 'datacenters.us.become_user' });
    expect(host(inv, 'us-gw-2')).toMatchObject({ port: 2200 });
    expect(host(inv, 'us-gw-2').become).toBeUndefined();
    expect(host(inv, 'eu-db').proxyJump).toEqual([]);
    // The bastion plays no role: it is no target, only a hop.
    expect(inv.hosts.map((h) => h.name)).not.toContain('eu-bastion');
    // The sudo password is redacted wherever the inventory's secrets are.
    expect(inv.secrets.map((s) => s.reveal())).toContain('sudo-pw');
  });

  it('chains jump hosts: a hop that has its own proxy_jump comes after it', async () => {
    const inv = await load((doc) => {
      doc.hosts['outer'] = { address: '198.51.100.1' };
      doc.hosts['inner'] = { address: '10.1.0.99', proxy_jump: 'outer' };
      doc.hosts['eu-gw-1'].proxy_jump = ['inner'];
    });
    expect(host(inv, 'eu-gw-1').proxyJump?.map((j) => j.label)).toEqual(['outer', 'inner']);
  });

  it('explains where each login value came from, without printing a secret', async () => {
    writeFileSync(join(dir, 'ssh.cfg'), 'Host 10.1.*\n  Port 2222\n  User ignored-the-inventory-wins\n');
    const inv = await load((doc) => {
      doc.defaults = { user: 'deploy', become: 'sudo', become_password: '${SUDO_PASSWORD}', ssh_config: 'ssh.cfg' };
      doc.hosts['eu-bastion'] = { address: '198.51.100.10' };
      doc.datacenters.eu.proxy_jump = 'eu-bastion';
    });
    const text = explainConnection(inv, 'eu-gw-1');
    expect(text).toMatch(/^  user +deploy +defaults\.user$/m);
    expect(text).toMatch(new RegExp(`^  port +2222 +${join(dir, 'ssh.cfg')}, Host 10\\.1\\.\\*$`, 'm'));
    expect(text).toMatch(/^  ssh_config +.*ssh\.cfg +defaults\.ssh_config$/m);
    expect(text).toMatch(/^  proxy_jump +eu-bastion \(deploy@198\.51\.100\.10:22\) +datacenters\.eu\.proxy_jump$/m);
    expect(text).toMatch(/^  become +sudo as root, password from SUDO_PASSWORD in .*inv\.env +defaults\.become$/m);
    expect(text).not.toContain('sudo-pw');
    expect(() => explainConnection(inv, 'nope')).toThrow(/no host 'nope'/);
    expect(() => explainConnection(inv, 'eu-gw1')).toThrow(/no host 'eu-gw1' plays a role in .* \(did you mean 'eu-gw-1'\?\)/);
  });

  it('refuses ssh keys on a local host and secrets outside become_password and ssh_key_passphrase', async () => {
    await expect(load((doc) => {
      doc.hosts['eu-db'] = { connection: 'local', user: 'x' };
    })).rejects.toThrow(/problem/);
    const err = await load((doc) => {
      doc.defaults = { user: '${SUDO_PASSWORD}' };
    }).catch((e: { issues: { message: string }[] }) => e);
    expect((err as { issues: { message: string }[] }).issues.map((i) => i.message).join('\n')).toMatch(/secret references .* become_password and ssh_key_passphrase/);
  });
});
