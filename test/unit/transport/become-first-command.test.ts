/**
 * The become check's first command (openBecome): a read every host answers anyway runs inside the sudo that checks
 * become, so it costs no command of its own. The check script runs through a real sh, with a stand-in `sudo` on PATH
 * that asks for a password when FAKE_SUDO_PW is set (as sudo -n refuses then, and -S reads it from stdin).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Secret } from '../../../src/model/secret.js';
import { openBecome } from '../../../src/transport/become.js';
import { commandBatch } from '../../../src/transport/command-batch.js';
import { LocalTransport } from '../../../src/transport/local.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';

const FAKE_SUDO = `#!/bin/sh
n=0
while [ $# -gt 0 ]; do
  case $1 in -n) n=1 ;; -S|-k|-H) ;; -p|-u) shift ;; --) shift; break ;; esac
  shift
done
if [ -n "$FAKE_SUDO_PW" ]; then
  [ $n = 1 ] && { echo "sudo: a password is required" >&2; exit 1; }
  IFS= read -r line
  [ "$line" = "$FAKE_SUDO_PW" ] || { echo "Sorry, try again." >&2; echo "sudo: 1 incorrect password attempt" >&2; exit 1; }
fi
exec "$@"
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'become-first-'));
  writeFileSync(join(dir, 'sudo'), FAKE_SUDO);
  chmodSync(join(dir, 'sudo'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

const withFakeSudo = (password?: string) => {
  vi.stubEnv('PATH', `${dir}:${process.env['PATH'] ?? '/usr/bin:/bin'}`);
  vi.stubEnv('HOME', dir);
  vi.stubEnv('FAKE_SUDO_PW', password ?? '');
};
const root = { method: 'sudo' as const, user: 'root' };

describe('the become check with a first command, through a real sh', () => {
  it('runs the command once, as the become user, and hands back its output and exit code, its own failure not taken for sudo\'s', async () => {
    withFakeSudo();
    const t = new LocalTransport('h1');
    const opened = await openBecome(t, root, 'deploy', ['sh', '-c', 'echo systemd; printf "script-installed gateway"; exit 3']);
    expect(opened.first).toEqual({ exitCode: 3, stdout: 'systemd\nscript-installed gateway' });
    await opened.transport.close();
  });

  it('a batch of reads rides as the first command: each answered on its own, none reading the password', async () => {
    withFakeSudo('s3cret');
    const batch = commandBatch([['sh', '-c', 'echo systemd'], ['sh', '-c', 'cat; echo "$1"; exit 4', 'probe', 'a b'], ['id', '-u']]);
    const opened = await openBecome(new LocalTransport('h1'), { ...root, password: new Secret('s3cret', 'test') }, 'deploy', batch.argv, 120_000);
    expect(batch.split(opened.first!.stdout)).toEqual([
      { exitCode: 0, stdout: 'systemd\n' }, { exitCode: 4, stdout: 'a b\n' }, { exitCode: 0, stdout: `${process.getuid!()}\n` },
    ]);
    expect(opened.first!.exitCode).toBe(0);
    await opened.transport.close();
  });

  it('with a password: the same answer, the password never reaching the command', async () => {
    withFakeSudo('s3cret');
    const t = new LocalTransport('h1');
    const opened = await openBecome(t, { ...root, password: new Secret('s3cret', 'test') }, 'deploy', ['sh', '-c', 'cat; echo read-done']);
    expect(opened.first).toEqual({ exitCode: 0, stdout: 'read-done\n' });
    await opened.transport.close();
  });

  it('a wrong password stops the check with its reason; the command\'s output is not taken for an answer', async () => {
    withFakeSudo('s3cret');
    const err = await openBecome(new LocalTransport('h1'), { ...root, password: new Secret('wrong', 'test') }, 'deploy', ['echo', 'never']).catch((e: unknown) => e);
    expect(String(err)).toContain('sudo refused the become_password for deploy (wrong password)');
  });

  it('without a first command nothing runs and no answer comes back', async () => {
    withFakeSudo();
    const opened = await openBecome(new LocalTransport('h1'), root, 'deploy');
    expect(opened.first).toBeUndefined();
    await opened.transport.close();
  });
});

describe('the answer of the first command', () => {
  it('is required when a first command was given', async () => {
    const t = new RecordingTransport('cp-1').on('become-check', { exitCode: 0, stdout: 'sudo nopasswd\n' });
    await expect(openBecome(t, root, 'deploy', ['true'])).rejects.toThrow(/the become check ran without the first command's answer/);
  });

  it('rides on the check\'s own command line, after the become user and the password flag', async () => {
    const t = new RecordingTransport('cp-1').on('become-check', { exitCode: 0, stdout: 'x y\n\napim-deploy-first-exit 0\nsudo nopasswd\n' });
    const opened = await openBecome(t, root, 'deploy', ['sh', '-c', 'echo "$1"', 'probe', 'a b']);
    expect(t.lines).toHaveLength(1);
    expect(t.lines[0]).toMatch(/ become-check root no sh -c 'echo "\$1"' probe 'a b'$/);
    expect(opened.first).toEqual({ exitCode: 0, stdout: 'x y\n' });
  });
});
