import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlaceDriftError, TransportError } from '../../../src/errors.js';
import type { BecomeSpec } from '../../../src/model/inventory.js';
import { isSecret, Secret } from '../../../src/model/secret.js';
import { commandLine } from '../../../src/transport/quote.js';
import { becomeCommand } from '../../../src/transport/become-command.js';
import { withBecome } from '../../../src/transport/become.js';
import { CHECK_SCRIPT } from '../../../src/transport/become-check.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';

const root: BecomeSpec = { method: 'sudo', user: 'root' };
const pw = new Secret('s3cret-pw', 'SUDO_PASSWORD in lab.env');

describe('becomeCommand', () => {
  it('puts sudo -n in front of a plain argv when no password is needed', () => {
    const c = becomeCommand({ argv: ['install', '-d', '-m', '0755', '--', '/opt/wso2'] }, root, undefined);
    expect(commandLine(c).wire).toBe('sudo -n -H -u root -- install -d -m 0755 -- /opt/wso2');
    expect(c.stdin).toBeUndefined();
  });

  it('applies cwd and env on the far side of sudo, keeping secrets masked in the display', () => {
    const c = becomeCommand({ argv: ['bin/start.sh'], cwd: '/opt/wso2/gw', env: { JAVA_OPTS: '-Xmx1g', DB_PW: pw } }, { ...root, user: 'wso2' }, undefined);
    const { wire, display } = commandLine(c);
    expect(wire).toBe(`sudo -n -H -u wso2 -- sh -c 'cd -- "$1" || exit; shift; exec "$@"' sh /opt/wso2/gw env 'JAVA_OPTS=-Xmx1g' 'DB_PW=s3cret-pw' bin/start.sh`);
    expect(display).toContain(`env 'JAVA_OPTS=-Xmx1g' *** bin/start.sh`);
    expect(display).not.toContain('s3cret');
  });

  it('kills a timed-out command as the become user too, and keeps the transport timeout', () => {
    const c = becomeCommand({ argv: ['curl', 'http://x'], timeoutMs: 4500 }, root, undefined);
    expect(commandLine(c).wire).toBe('sudo -n -H -u root -- timeout -s KILL 6 curl http://x');
    expect(c.timeoutMs).toBe(4500);
  });

  it('feeds the password on stdin in front of the command\'s own input, never on the command line', () => {
    const c = becomeCommand({ argv: ['sh', '-c', 'cat > "$1"', 'sh', '/var/lib/lock'], stdin: '{"holder":1}\n' }, root, pw);
    const { wire } = commandLine(c);
    expect(wire).toBe(`sudo -S -k -p '' -H -u root -- sh -c 'cat > "$1"' sh /var/lib/lock`);
    expect(wire).not.toContain('s3cret');
    expect(isSecret(c.stdin)).toBe(true);
    expect((c.stdin as Secret).reveal()).toBe('s3cret-pw\n{"holder":1}\n');
    expect(String(c.stdin)).toBe('***');
  });
});

function sudoHost(reply: { exitCode: number; stdout?: string; stderr?: string }): RecordingTransport {
  return new RecordingTransport('cp-1').on('become-check', reply);
}

describe('the become preflight', () => {
  it('finds password-less sudo, and never sends the password then', async () => {
    const t = sudoHost({ exitCode: 0, stdout: 'sudo nopasswd\n' });
    const b = await withBecome(t, { ...root, password: pw }, 'deploy');
    await b.exec({ argv: ['id', '-u'] });
    const last = t.calls.at(-1)!;
    expect(last.op === 'exec' && last.line).toBe('sudo -n -H -u root -- id -u');
    expect(last.op === 'exec' && last.command.stdin).toBeUndefined();
  });

  it('uses the password when sudo asks for it', async () => {
    const t = sudoHost({ exitCode: 0, stdout: 'sudo password\n' });
    const check = t.calls;
    const b = await withBecome(t, { ...root, password: pw }, 'deploy');
    expect(check[0]!.op === 'exec' && (check[0]!.command.stdin as Secret).reveal()).toBe('s3cret-pw\n');
    await b.exec({ argv: ['true'] });
    const last = t.calls.at(-1)!;
    expect(last.op === 'exec' && (last.command.stdin as Secret).reveal()).toBe('s3cret-pw\n');
  });

  it.each([
    [{ exitCode: 93, stderr: 'Sorry, try again.\nsudo: no password was provided\nsudo: 1 incorrect password attempt\n' }, true, 'cp-1: sudo refused the become_password for deploy (wrong password)'],
    [{ exitCode: 93, stderr: 'deploy is not in the sudoers file.\n' }, true, 'cp-1: deploy may not run commands as root with sudo (deploy is not in the sudoers file.)'],
    [{ exitCode: 92, stderr: 'sudo: a password is required\n' }, false, 'cp-1: sudo asks deploy for a password and no become_password is set (or deploy may not use sudo at all)'],
    [{ exitCode: 91, stderr: 'sudo: command not found\n' }, false, 'cp-1: become: sudo, but sudo is not installed on the host'],
  ])('stops with one line saying why (%#)', async (reply, withPassword, message) => {
    const t = sudoHost(reply);
    const err = await withBecome(t, withPassword ? { ...root, password: pw } : root, 'deploy').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).kind).toBe('become');
    expect((err as TransportError).message).toBe(message);
    expect((err as TransportError).message).not.toContain('\n');
    // The check made its trial temp directory and removed it in the same command: nothing is left to remove.
    expect(t.lines).toHaveLength(1);
  });

  it('stops when the login user cannot make a private temp directory, before sudo is tried', async () => {
    const t = sudoHost({ exitCode: 90, stderr: 'mkdir: cannot create directory \'/home/deploy/.apim-deploy\': Read-only file system\n' });
    const err = await withBecome(t, root, 'deploy').catch((e: unknown) => e);
    expect((err as TransportError).message).toBe("cp-1: cannot create a private temp directory under the login user's home: mkdir: cannot create directory '/home/deploy/.apim-deploy': Read-only file system");
  });

  it('proves the temp directory can be made and removes the trial one in the same command, as the login user', async () => {
    const t = sudoHost({ exitCode: 0, stdout: 'sudo nopasswd\n' });
    await withBecome(t, root, 'deploy');
    expect(t.lines).toHaveLength(1);
    expect(t.lines[0]).toMatch(/ become-check root no$/);
  });

  it('makes the login user\'s .apim-deploy private and leaves nothing in it, on this machine\'s sh (sudo stands in as a pass-through)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'become check '));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'sudo'), '#!/bin/sh\nwhile [ "$1" != -- ]; do shift; done; shift; exec "$@"\n', { mode: 0o755 });
    const check = (home: string) => spawnSync('/bin/sh', ['-c', CHECK_SCRIPT, 'become-check', 'root', 'no', 'echo', 'first'],
      { env: { HOME: home, PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf8' });
    const home = join(dir, 'home');
    mkdirSync(home);
    const ok = check(home);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe('first\n\napim-deploy-first-exit 0\nsudo nopasswd\n');
    expect(statSync(join(home, '.apim-deploy')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(home, '.apim-deploy'))).toEqual([]);
    // A home where nothing can be made (a path under a file): exit 90, with mkdir's own complaint.
    const bad = check(join(dir, 'bin', 'sudo', 'home'));
    expect(bad.status).toBe(90);
    expect(bad.stderr).toMatch(/mkdir: .*Not a directory/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('BecomeTransport files', () => {
  async function opened() {
    const t = sudoHost({ exitCode: 0, stdout: 'sudo nopasswd\n' });
    t.on('private-tmp', { exitCode: 0, stdout: '/home/deploy/.apim-deploy/tmp.q\n' });
    return { t, b: await withBecome(t, root, 'deploy') };
  }
  const PRIVATE_TMP = /^sh -c .*mktemp -d -- "\$HOME\/\.apim-deploy\/tmp\.XXXXXXXX".* private-tmp$/s;

  it('uploads into the login user\'s private temp place, then has root move it into a root-only directory with owner and mode', async () => {
    const { t, b } = await opened();
    t.on('dir-chain', { exitCode: 0, stdout: 'root\n' });
    await b.put('x', '/etc/nginx/nginx.conf', { mode: '0644' });
    await b.put('y', '/etc/nginx/mime.types', { mode: '0644', owner: 'root:root' });
    const [made, put1, checkAndMove, put2, mv2, ...rest] = t.calls.slice(1);
    expect(rest).toEqual([]);
    // The private temp directory is made by the first upload, as the login user (no sudo), once.
    expect(made?.op === 'exec' && made.line).toMatch(PRIVATE_TMP);
    expect(put1).toMatchObject({ op: 'put', path: '/home/deploy/.apim-deploy/tmp.q/upload-1', opts: { mode: '0600' } });
    // The directory is checked once, as root (through sudo), in the command that then moves the first upload in.
    expect(checkAndMove?.op === 'exec' && checkAndMove.line).toMatch(
      /^sudo -n -H -u root -- sh -c .* check-and-place .* \/etc\/nginx \/var\/lib\/apim-deploy\/\.staging \/home\/deploy\/\.apim-deploy\/tmp\.q\/upload-1 \/etc\/nginx\/nginx\.conf 0644 root: root ''$/s);
    expect(put2).toMatchObject({ op: 'put', path: '/home/deploy/.apim-deploy/tmp.q/upload-2' });
    // The verdict was remembered: the second upload is the move alone.
    expect(mv2?.op === 'exec' && mv2.line).toMatch(/^sudo -n -H -u root -- sh -c .*chown -h -- .* move-into-place \/home\/deploy\/\.apim-deploy\/tmp\.q\/upload-2 \/etc\/nginx\/mime\.types 0644 root:root$/s);
  });

  it('a service user\'s directory: that user places the upload with runuser, root never chowns there; another owner\'s file is refused and its upload removed', async () => {
    const { t, b } = await opened();
    t.on('dir-chain', { exitCode: 0, stdout: 'user wso2\n' });
    await b.put('key=value\n', '/opt/wso2/gw/conf/deployment.toml', { mode: '0640', owner: 'wso2:wso2' });
    const place = t.calls.at(-1)!;
    expect(place.op === 'exec' && place.line).toMatch(
      /^sudo -n -H -u root -- sh -c .* check-and-place .* \/home\/deploy\/\.apim-deploy\/tmp\.q\/upload-1 \/opt\/wso2\/gw\/conf\/deployment\.toml 0640 wso2:wso2 wso2 wso2$/s);
    // The verdict `user wso2` runs the owner's placement (runuser), which has no chown; root's move (with its chown)
    // is for root-only directories.
    const argv = place.op === 'exec' ? place.command.argv.map(String) : [];
    const at = argv.indexOf('check-and-place');
    const [script, , , move, asOwner, ownerScript] = argv.slice(at - 1);
    expect(script).toMatch(/^ {2}"user \$user"\) exec sh -c "\$place" "\$as_owner" "\$user" /m);
    expect(script).toMatch(/^ {2}root\|self\) exec sh -c "\$move" /m);
    expect(move).toContain('chown -h');
    expect(asOwner).toContain('runuser -u "$user" --');
    expect(`${asOwner}${ownerScript}`).not.toMatch(/chown/);
    await expect(b.put('x', '/opt/wso2/gw/conf/other.conf', { mode: '0644' })).rejects.toThrow(/as root's file: wso2 controls \/opt\/wso2\/gw\/conf/);
    expect(t.lines.at(-1)).toBe('sudo -n -H -u root -- rm -f -- /home/deploy/.apim-deploy/tmp.q/upload-2');
  });

  describe('a large file (a distribution)', () => {
    const big = join(mkdtempSync(join(tmpdir(), 'become-big-')), 'pack.zip');
    writeFileSync(big, Buffer.alloc(9 * 1024 * 1024));

    it('into a root-only directory: uploaded into a login-owned directory beside it (one filesystem: the move is a rename), which the move removes', async () => {
      const { t, b } = await opened();
      t.on('upload-dir', { exitCode: 0, stdout: 'root\n/opt/apim/dist/.apim-upload-Ab12\n' });
      await b.putFile(big, '/opt/apim/dist/wso2am-acp-4.6.0.zip', { mode: '0644' });
      const [made, dir, put, mv, ...rest] = t.calls.slice(1);
      expect(rest).toEqual([]);
      expect(made?.op === 'exec' && made.line).toMatch(PRIVATE_TMP);
      // One command checks the directory and, its verdict root, makes the one beside it, owned like the login user's
      // private temp directory.
      expect(dir?.op === 'exec' && dir.line).toMatch(
        /^sudo -n -H -u root -- sh -c .*dir-chain.*chown -h --reference=.* upload-dir '.*' \/opt\/apim\/dist \/var\/lib\/apim-deploy\/\.staging \/opt\/apim\/dist\/wso2am-acp-4\.6\.0\.zip \/home\/deploy\/\.apim-deploy\/tmp\.q$/s);
      expect(put).toMatchObject({ op: 'putFile', localPath: big, path: '/opt/apim/dist/.apim-upload-Ab12/upload', opts: { mode: '0600' } });
      expect(mv?.op === 'exec' && mv.line).toMatch(
        / move-into-place \/opt\/apim\/dist\/\.apim-upload-Ab12\/upload \/opt\/apim\/dist\/wso2am-acp-4\.6\.0\.zip 0644 root: \/opt\/apim\/dist\/\.apim-upload-Ab12$/s);
    });

    it('the directory beside it is removed when the upload fails too', async () => {
      const { t, b } = await opened();
      t.on('upload-dir', { exitCode: 0, stdout: 'root\n/opt/apim/dist/.apim-upload-Cd34\n' });
      t.putFile = () => Promise.reject(new TransportError('cp-1', 'protocol', 'No space left on device'));
      await expect(b.putFile(big, '/opt/apim/dist/x.zip', { mode: '0644' })).rejects.toThrow(/No space left/);
      expect(t.lines.at(-1)).toMatch(/^sudo -n -H -u root -- timeout -s KILL \d+ rm -rf -- \/opt\/apim\/dist\/\.apim-upload-Cd34$/);
    });

    it('into a service user\'s directory, or when root cannot make the directory: the login user\'s temp directory, as before', async () => {
      const { t, b } = await opened();
      t.on('upload-dir', { exitCode: 0, stdout: 'user wso2\n' });
      await b.putFile(big, '/opt/wso2/gw/lib/driver.jar', { mode: '0644', owner: 'wso2:wso2' });
      expect(t.calls.find((c) => c.op === 'putFile')).toMatchObject({ path: '/home/deploy/.apim-deploy/tmp.q/upload-1' });
      // The verdict came with the directory's check: the owner's placement follows, with no check of its own.
      expect(t.lines.slice(1).map((l) => (l.includes(' upload-dir ') ? 'upload-dir' : l.includes('runuser') ? 'place-as-owner' : l.startsWith('putFile') ? 'putFile' : l)))
        .toEqual([expect.stringMatching(PRIVATE_TMP), 'upload-dir', 'putFile', 'place-as-owner']);
      const other = await opened();
      other.t.on('upload-dir', { exitCode: 3, stdout: 'root\n' });
      await other.b.putFile(big, '/opt/apim/dist/y.zip', { mode: '0644' });
      expect(other.t.calls.find((c) => c.op === 'putFile')).toMatchObject({ path: '/home/deploy/.apim-deploy/tmp.q/upload-1' });
    });
  });

  it('runs a command marked asLoginUser as the login user, without sudo; every other command through sudo', async () => {
    const { t, b } = await opened();
    await b.exec({ argv: ['curl', '-q', '-s', 'http://10.0.0.1:8280/'], asLoginUser: true });
    await b.exec({ argv: ['grep', '-c', 'x', '/opt/wso2/log'] });
    expect(t.lines.slice(-2)).toEqual(['curl -q -s http://10.0.0.1:8280/', 'sudo -n -H -u root -- grep -c x /opt/wso2/log']);
  });

  it('reads exact bytes through sudo (base64) and says absent on exit 3', async () => {
    const { t, b } = await opened();
    const bytes = Buffer.from([0, 255, 10, 13, 32]);
    t.on('read-file /etc/shadow', { exitCode: 0, stdout: bytes.toString('base64') });
    t.on('read-file /nope', { exitCode: 3 });
    expect(Buffer.from((await b.read('/etc/shadow'))!)).toEqual(bytes);
    expect(await b.read('/nope')).toBeUndefined();
    expect(t.lines.at(-1)).toMatch(/^sudo -n -H -u root -- sh -c .* read-file \/nope$/s);
  });

  it('removes its temp directory as the login user on close', async () => {
    const { t, b } = await opened();
    t.on('dir-chain', { exitCode: 0, stdout: 'root\n' });
    await b.put('x', '/etc/nginx/nginx.conf', { mode: '0644' });
    await b.close();
    expect(t.lines.at(-1)).toBe('rm -rf -- /home/deploy/.apim-deploy/tmp.q');
  });

  it('a run that uploads nothing makes no temp directory and runs no command to close', async () => {
    const { t, b } = await opened();
    await b.exec({ argv: ['true'] });
    await b.read('/etc/hostname');
    await b.close();
    expect(t.lines.some((l) => PRIVATE_TMP.test(l) || l.startsWith('rm '))).toBe(false);
    expect(t.calls.at(-1)).toEqual({ op: 'close' });
  });

  it('a guarded put checks the destination in the same sudo that places it: first use of a directory and after', async () => {
    const { t, b } = await opened();
    t.on('dir-chain', { exitCode: 0, stdout: 'root\n' });
    const [expected, planned] = ['a'.repeat(64), 'b'.repeat(64)];
    await b.guardedPut('x', '/etc/nginx/nginx.conf', { mode: '0644' }, [expected, planned]);
    await b.guardedPut('y', '/etc/nginx/mime.types', { mode: '0644' }, [null, planned]);
    const sudo = t.calls.filter((c) => c.op === 'exec' && c.line.startsWith('sudo ')).map((c) => (c.op === 'exec' ? c.line : ''));
    expect(sudo).toHaveLength(2);
    expect(sudo[0]).toMatch(new RegExp(`^sudo -n -H -u root -- sh -c .* guard /etc/nginx/nginx\\.conf /home/deploy/\\.apim-deploy/tmp\\.q/upload-1 '${expected} ${planned}' sh -c .* check-and-place `, 's'));
    expect(sudo[1]).toMatch(/ guard \/etc\/nginx\/mime\.types \/home\/deploy\/\.apim-deploy\/tmp\.q\/upload-2 'absent b+' sh -c .* move-into-place /s);
  });

  it('a guarded put the destination refuses throws PlaceDriftError with what is there', async () => {
    const { t, b } = await opened();
    const found = 'c'.repeat(64);
    t.on(' guard ', { exitCode: 65, stdout: `drift ${found}\n` });
    const err = await b.guardedPut('x', '/etc/nginx/nginx.conf', { mode: '0644' }, [null]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlaceDriftError);
    expect(err).toMatchObject({ host: 'cp-1', path: '/etc/nginx/nginx.conf', found });
    t.on(' guard ', { exitCode: 65, stdout: 'drift absent\n' });
    await expect(b.guardedPut('x', '/etc/nginx/nginx.conf', { mode: '0644' }, ['a'.repeat(64)])).rejects.toMatchObject({ found: null });
  });

  it('uploads in parallel share one temp directory; one that could not be made is said, and the next upload tries again', async () => {
    const { t, b } = await opened();
    t.on('dir-chain', { exitCode: 0, stdout: 'root\n' });
    await Promise.all(['a', 'b', 'c'].map((n) => b.put(n, `/etc/nginx/${n}.conf`, { mode: '0644' })));
    expect(t.lines.filter((l) => PRIVATE_TMP.test(l))).toHaveLength(1);

    const full = sudoHost({ exitCode: 0, stdout: 'sudo nopasswd\n' });
    full.on('dir-chain', { exitCode: 0, stdout: 'root\n' });
    let made = 0;
    full.on('private-tmp', () => (++made === 1 ? { exitCode: 1, stderr: 'mktemp: failed to create directory via template: No space left on device\n' } : { exitCode: 0, stdout: '/home/deploy/.apim-deploy/tmp.r\n' }));
    const c = await withBecome(full, root, 'deploy');
    await expect(c.put('x', '/etc/nginx/x.conf', { mode: '0644' })).rejects.toThrow("cp-1: cannot create a private temp directory under the login user's home: mktemp: failed to create directory via template: No space left on device");
    await c.put('x', '/etc/nginx/x.conf', { mode: '0644' });
    expect(full.calls.find((call) => call.op === 'put')).toMatchObject({ path: '/home/deploy/.apim-deploy/tmp.r/upload-2' });
  });
});
