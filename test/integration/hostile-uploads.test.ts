/**
 * Issue 16 item 12 on a lab host over real SSH: root never chowns, chmods or renames by path inside a directory a
 * service user controls. Root's own files go only into directories only root can change; a service user's file is
 * placed by that user from root's private staging copy, so a link it swaps in leads only where it could write anyway.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostSpec } from '../../src/model/inventory.js';
import { connectSsh, type SshTransport } from '../../src/transport/ssh.js';
import { startLab, type TestLab } from './support/index.js';

let lab: TestLab;
let t: SshTransport;

beforeAll(async () => {
  lab = await startLab({ name: 't-hostile', names: ['h1'], subnet: '10.213.216.0/24' });
  const host: HostSpec = {
    name: 'h1', address: lab.address('h1'), connection: 'ssh', port: 22, user: 'root', sshKey: lab.sshKey, knownHosts: lab.knownHosts,
    roles: ['gateway'], pos: { file: 'test', line: 1, col: 1 },
  };
  t = await connectSsh(host);
  await lab.sh('h1', [
    'getent group svc >/dev/null || groupadd --system svc',
    'id -u svc >/dev/null 2>&1 || useradd --system --gid svc --no-create-home --shell /usr/sbin/nologin svc',
    'rm -rf /opt/t && mkdir -p /opt/t/root /opt/t/rel/conf /opt/t/shared && chown -R svc:svc /opt/t/rel && chmod 775 /opt/t/shared',
    'rm -f /etc/deployment.toml /etc/.apim-* ; echo precious > /opt/t/victim',
  ].join(' && '));
}, 180_000);

afterAll(async () => {
  await t?.close();
  await lab?.down();
}, 120_000);

const stat = (path: string) => lab.sh('h1', `stat -c '%U:%G %a' -- '${path}'`).then((s) => s.trim());

describe('item 12: uploads are placed without following anything a service user could swap', () => {
  it('a root file into a root-only directory: written beside, owner and mode set, renamed', async () => {
    await t.put('root data\n', '/opt/t/root/a.conf', { mode: '0640', owner: 'root:root' });
    expect(await stat('/opt/t/root/a.conf')).toBe('root:root 640');
  });

  it('the service user\'s file in its own directory is placed by that user, from root\'s private staging copy', async () => {
    await t.put('password = "x"\n', '/opt/t/rel/conf/deployment.toml', { mode: '0600', owner: 'svc:svc' });
    expect(await stat('/opt/t/rel/conf/deployment.toml')).toBe('svc:svc 600');
    expect(await lab.sh('h1', 'cat /opt/t/rel/conf/deployment.toml')).toBe('password = "x"\n');
    expect(await lab.sh('h1', 'stat -c "%U %a" /var/lib/apim-deploy/.staging; ls -A /var/lib/apim-deploy/.staging')).toBe('root 700\n');
  });

  it('a directory swapped for a link to /etc: the user cannot write there, so nothing lands in /etc', async () => {
    await lab.sh('h1', "runuser -u svc -- sh -c 'cd /opt/t/rel && mv conf conf.old && ln -s /etc conf'");
    await expect(t.put('x\n', '/opt/t/rel/conf/deployment.toml', { mode: '0600', owner: 'svc:svc' })).rejects.toThrow(/cannot place .* as svc/);
    expect(await lab.sh('h1', 'ls -A /etc | grep -c -e deployment.toml -e "^.apim-" || true')).toBe('0\n');
    await lab.sh('h1', "runuser -u svc -- sh -c 'cd /opt/t/rel && rm conf && mv conf.old conf'");
  });

  it('a link planted at the file name is replaced, its target untouched', async () => {
    await lab.sh('h1', "runuser -u svc -- sh -c 'ln -sf /opt/t/victim /opt/t/rel/conf/deployment.toml'");
    await t.put('new\n', '/opt/t/rel/conf/deployment.toml', { mode: '0600', owner: 'svc:svc' });
    expect(await lab.sh('h1', 'cat /opt/t/victim; stat -c %F /opt/t/rel/conf/deployment.toml')).toBe('precious\nregular file\n');
    expect(await stat('/opt/t/victim')).toBe('root:root 644');
  });

  it('a root file into the service user\'s directory is refused (root would work by path in there)', async () => {
    await expect(t.put('x\n', '/opt/t/rel/conf/root-owned.conf', { mode: '0644', owner: 'root:root' })).rejects.toThrow(/svc controls \/opt\/t\/rel\/conf/);
    await expect(t.put('x\n', '/opt/t/rel/conf/no-owner.conf', { mode: '0644' })).rejects.toThrow(/svc controls/);
  });

  it('a directory its group may write is refused for anyone', async () => {
    await expect(t.put('x\n', '/opt/t/shared/f', { mode: '0644', owner: 'root:root' })).rejects.toThrow(/may be written by its group or by others/);
  });
});
