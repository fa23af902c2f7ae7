/**
 * Issue 16 item 12 on a lab host over real SSH, for both ways of logging in (root, and deploy + sudo as the lab's
 * enterprise VMs do, where uploads land in deploy's private temp directory and are then moved as root): root never
 * chowns, chmods or renames by path inside a directory a service user controls. Root's own files go only into
 * directories only root can change; a service user's file is placed by that user from a copy only root can reach, so a
 * link it swaps in leads only where it could write anyway.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { TransportError } from '../../src/errors.js';
import type { HostSpec } from '../../src/model/inventory.js';
import { closeAll, openTransports, type TransportMap } from '../../src/transport/open.js';
import type { Transport } from '../../src/transport/transport.js';
import { startLab, type TestLab } from './support/index.js';

let lab: TestLab;

beforeAll(async () => {
  lab = await startLab({ name: 't-hostile', names: ['h1'], subnet: '10.213.216.0/24', rootLogin: true });
  await lab.sh('h1', [
    'getent group svc >/dev/null || groupadd --system svc',
    'id -u svc >/dev/null 2>&1 || useradd --system --gid svc --no-create-home --shell /usr/sbin/nologin svc',
    'echo precious > /opt/victim',
  ].join(' && '));
}, 180_000);

afterAll(async () => {
  await lab?.down();
}, 120_000);

const stat = (path: string) => lab.sh('h1', `stat -c '%U:%G %a' -- '${path}'`).then((s) => s.trim());

const LOGINS: readonly [string, Partial<HostSpec>][] = [
  ['root', { user: 'root' }],
  ['deploy + sudo', { user: 'deploy', become: { method: 'sudo', user: 'root' } }],
];

describe.each(LOGINS)('item 12, logged in as %s: uploads are placed without following anything a service user could swap', (label, login) => {
  const base = `/opt/t-${label.split(' ')[0]}`;
  let map: TransportMap;
  let t: Transport;

  beforeAll(async () => {
    const host: HostSpec = {
      name: 'h1', address: lab.address('h1'), connection: 'ssh', port: 22, sshKey: lab.sshKey, knownHosts: lab.knownHosts,
      roles: ['gateway'], pos: { file: 'test', line: 1, col: 1 }, ...login,
    };
    map = await openTransports([host], { sshConfig: false, connectAttempts: 1 });
    const opened = map.get('h1');
    if (!opened || opened instanceof TransportError) throw opened ?? new Error('no transport for h1');
    t = opened;
    expect((await t.exec({ argv: ['id', '-un'] })).stdout).toBe('root\n');
    await lab.sh('h1', `rm -rf ${base} && mkdir -p ${base}/root ${base}/rel/conf ${base}/shared && chown -R svc:svc ${base}/rel && chmod 775 ${base}/shared`);
  }, 120_000);

  afterAll(async () => {
    if (map) await closeAll(map);
  });

  it('a root file into a root-only directory: written beside, owner and mode set, renamed', async () => {
    await t.put('root data\n', `${base}/root/a.conf`, { mode: '0640', owner: 'root:root' });
    expect(await stat(`${base}/root/a.conf`)).toBe('root:root 640');
    await t.put('no owner\n', `${base}/root/b.conf`, { mode: '0644' });
    expect(await stat(`${base}/root/b.conf`)).toBe('root:root 644');
    expect(await lab.sh('h1', `ls -A ${base}/root`)).toBe('a.conf\nb.conf\n');
  });

  it('a distribution-size file (putFile) into a root-only directory: exact bytes, owner and mode, and nothing left beside it or in the home temp directory', async () => {
    // 9 MB: with sudo, at least 8 MB goes through a login-owned directory root makes beside the destination (/opt and
    // /home are two mounts in the lab, so the move from /home would be a second full copy).
    const localDir = mkdtempSync(join(tmpdir(), 'hostile-big-'));
    onTestFinished(() => rmSync(localDir, { recursive: true, force: true }));
    const local = join(localDir, 'pack.zip');
    const bytes = randomBytes(9 * 1024 * 1024);
    writeFileSync(local, bytes);
    await t.putFile(local, `${base}/root/pack.zip`, { mode: '0644', owner: 'root:root' });
    expect(await stat(`${base}/root/pack.zip`)).toBe('root:root 644');
    expect((await lab.sh('h1', `sha256sum -- ${base}/root/pack.zip`)).split(' ')[0]).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await lab.sh('h1', `ls -A ${base}/root; find /home/deploy/.apim-deploy -type f 2>/dev/null || true`)).toBe('a.conf\nb.conf\npack.zip\n');
  });

  it('the service user\'s file in its own directory is placed by that user, from a copy only root can reach', async () => {
    await t.put('password = "x"\n', `${base}/rel/conf/deployment.toml`, { mode: '0600', owner: 'svc:svc' });
    expect(await stat(`${base}/rel/conf/deployment.toml`)).toBe('svc:svc 600');
    expect(await lab.sh('h1', `cat ${base}/rel/conf/deployment.toml`)).toBe('password = "x"\n');
    expect(await lab.sh('h1', `ls -A ${base}/rel/conf`)).toBe('deployment.toml\n');
    // Nothing left behind where the copy waited (root's staging directory, or deploy's private temp directory).
    expect(await lab.sh('h1', 'stat -c "%U %a" /var/lib/apim-deploy/.staging; ls -A /var/lib/apim-deploy/.staging; find /home/deploy/.apim-deploy -type f 2>/dev/null || true')).toBe('root 700\n');
  });

  it('a directory swapped for a link to /etc: the user cannot write there, so nothing lands in /etc', async () => {
    await lab.sh('h1', `runuser -u svc -- sh -c 'cd ${base}/rel && mv conf conf.old && ln -s /etc conf'`);
    await expect(t.put('x\n', `${base}/rel/conf/deployment.toml`, { mode: '0600', owner: 'svc:svc' })).rejects.toThrow(/cannot (place|move) .*deployment\.toml/);
    expect(await lab.sh('h1', 'ls -A /etc | grep -c -e deployment.toml -e "^.apim-" || true')).toBe('0\n');
    await lab.sh('h1', `runuser -u svc -- sh -c 'cd ${base}/rel && rm conf && mv conf.old conf'`);
  });

  it('a link planted at the file name is replaced, its target untouched', async () => {
    await lab.sh('h1', `runuser -u svc -- sh -c 'ln -sf /opt/victim ${base}/rel/conf/deployment.toml'`);
    await t.put('new\n', `${base}/rel/conf/deployment.toml`, { mode: '0600', owner: 'svc:svc' });
    expect(await lab.sh('h1', `cat /opt/victim; stat -c %F ${base}/rel/conf/deployment.toml`)).toBe('precious\nregular file\n');
    expect(await stat('/opt/victim')).toBe('root:root 644');
  });

  it('a root file into the service user\'s directory is refused (root would work by path in there)', async () => {
    await expect(t.put('x\n', `${base}/rel/conf/root-owned.conf`, { mode: '0644', owner: 'root:root' })).rejects.toThrow(/svc controls .*\/rel\/conf/);
    await expect(t.put('x\n', `${base}/rel/conf/no-owner.conf`, { mode: '0644' })).rejects.toThrow(/svc controls/);
    expect(await lab.sh('h1', `ls -A ${base}/rel/conf`)).toBe('deployment.toml\n');
  });

  it('a directory its group may write is refused for anyone', async () => {
    await expect(t.put('x\n', `${base}/shared/f`, { mode: '0644', owner: 'root:root' })).rejects.toThrow(/may be written by its group or by others/);
    expect(await lab.sh('h1', `ls -A ${base}/shared`)).toBe('');
  });

  it('two users controlling directories on the way, and a directory that is not there, are refused', async () => {
    await lab.sh('h1', `mkdir -p ${base}/rel/other/x && chown svc:svc ${base}/rel/other && chown daemon ${base}/rel/other/x`);
    await expect(t.put('x\n', `${base}/rel/other/x/f`, { mode: '0600', owner: 'svc:svc' })).rejects.toThrow(/both (svc and daemon|daemon and svc) control directories on the way/);
    await expect(t.put('x\n', `${base}/nowhere/f`, { mode: '0600' })).rejects.toThrow(/nowhere does not exist/);
    expect(await lab.sh('h1', `ls -A ${base}/rel/other/x`)).toBe('');
  });

  it('a sticky directory others may write (like /tmp) takes root\'s file: nobody can replace it there', async () => {
    await lab.sh('h1', `mkdir -p ${base}/sticky && chmod 1777 ${base}/sticky`);
    await t.put('s\n', `${base}/sticky/f`, { mode: '0644', owner: 'root:root' });
    expect(await stat(`${base}/sticky/f`)).toBe('root:root 644');
  });

  it('a link on the way is judged by where it leads: through it, the service user\'s directory takes only its own files', async () => {
    await lab.sh('h1', `ln -sfn ${base}/rel ${base}/via`);
    await expect(t.put('x\n', `${base}/via/conf/root-via.conf`, { mode: '0644', owner: 'root:root' })).rejects.toThrow(/svc controls .*\/via\/conf/);
    await t.put('y\n', `${base}/via/conf/svc-via.conf`, { mode: '0600', owner: 'svc:svc' });
    expect(await stat(`${base}/rel/conf/svc-via.conf`)).toBe('svc:svc 600');
    expect(await lab.sh('h1', `ls -A ${base}/rel/conf | grep -c root-via || true`)).toBe('0\n');
  });
});
