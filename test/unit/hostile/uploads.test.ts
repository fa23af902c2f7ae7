import { describe, expect, it } from 'vitest';
import { TransportError } from '../../../src/errors.js';
import { CHAIN_SCRIPT, CHECK_REFUSED, chownAndRenameArgv, parseChain, placeAsOwnerArgv, STAGING_DIR } from '../../../src/transport/atomic-write.js';
import { FilePlacer, type PlaceIo } from '../../../src/transport/place-file.js';
import type { RemoteCommand } from '../../../src/transport/transport.js';

/** A host that answers the directory check with `chain` and records every call. */
function fakeIo(chain: string) {
  const calls: string[] = [];
  const io: PlaceIo = {
    host: 'h1',
    exec: async (cmd: RemoteCommand) => {
      const argv = cmd.argv.map(String);
      calls.push(argv[3] === 'dir-chain' ? 'exec dir-chain' : argv[2]!.startsWith('chown -h') ? 'exec chown-rename' : `exec place-as ${argv[4]}`);
      return { exitCode: 0, signal: null, stdout: argv[3] === 'dir-chain' ? `${chain}\n` : '', stderr: '', durationMs: 0 };
    },
    write: async (path) => void calls.push(`write ${path.startsWith(STAGING_DIR) ? 'staging' : path.includes('.apim-') ? 'beside' : path}`),
    chmod: async (path, mode) => void calls.push(`chmod ${mode.toString(8)} ${path.includes('.apim-') ? 'beside' : path}`),
    rename: async () => void calls.push('rename'),
    unlink: async () => void calls.push('unlink'),
  };
  return { io, calls };
}

describe('item 12: the placement decision', () => {
  it('reads the directory check', () => {
    expect(parseChain('root\n')).toEqual({ kind: 'root' });
    expect(parseChain('user wso2carbon\n')).toEqual({ kind: 'user', user: 'wso2carbon' });
    expect(parseChain('missing\n')).toEqual({ kind: 'missing' });
    expect(parseChain('self\n')).toEqual({ kind: 'self' });
    expect(parseChain('unsafe /opt may be written by its group or by others (mode 775)\n')).toEqual({ kind: 'unsafe', why: '/opt may be written by its group or by others (mode 775)' });
    expect(parseChain('')).toMatchObject({ kind: 'unsafe' });
  });

  it('root-only directory: temp beside, chmod, then chown -h and mv -T (a swapped link is changed itself, never its target)', async () => {
    const { io, calls } = fakeIo('root');
    await new FilePlacer().place(io, '/etc/nginx/nginx.conf', 0o644, 'root:root');
    expect(calls).toEqual(['exec dir-chain', 'write beside', 'chmod 644 beside', 'exec chown-rename']);
    expect(chownAndRenameArgv('root:root', '/a/.t', '/a/f')[2]).toMatch(/^chown -h -- .* && mv -f -T -- /);
  });

  it('a service user\'s directory: staged privately, placed by that user with runuser; no root chown or chmod by path', async () => {
    const { io, calls } = fakeIo('user wso2carbon');
    await new FilePlacer().place(io, '/opt/wso2/gateway/releases/x/repository/conf/deployment.toml', 0o600, 'wso2carbon:wso2');
    expect(calls).toEqual(['exec dir-chain', 'write staging', 'exec place-as wso2carbon']);
    const argv = placeAsOwnerArgv('wso2carbon', `${STAGING_DIR}/abc`, '/d/f', '0600', 'wso2');
    expect(argv[2]).toContain('runuser -u "$user" --');
    expect(argv[3]).not.toMatch(/chown/);
    expect(argv.slice(4)).toEqual(['wso2carbon', `${STAGING_DIR}/abc`, '0600', 'wso2', '/d/f']);
  });

  it('refuses another owner\'s file in a user\'s directory, a directory others may write, and checks each directory once', async () => {
    await expect(new FilePlacer().place(fakeIo('user wso2carbon').io, '/r/conf/x', 0o644, 'root:root')).rejects.toThrow(/wso2carbon controls \/r\/conf/);
    await expect(new FilePlacer().place(fakeIo('unsafe /opt may be written by its group or by others (mode 775)').io, '/opt/x', 0o644, undefined))
      .rejects.toThrow(TransportError);
    const { io, calls } = fakeIo('root');
    const placer = new FilePlacer();
    await placer.place(io, '/etc/a', 0o644, undefined);
    await placer.place(io, '/etc/b', 0o644, undefined);
    expect(calls.filter((c) => c === 'exec dir-chain')).toHaveLength(1);
  });

  it('a check that does not run as root (the login user\'s own temp directory before a sudo\'d move) writes beside and renames', async () => {
    const { io, calls } = fakeIo('self');
    await new FilePlacer().place(io, '/home/deploy/.apim-deploy/tmp.q/upload-1', 0o600, undefined);
    expect(calls).toEqual(['exec dir-chain', 'write beside', 'chmod 600 beside', 'rename']);
    expect(CHAIN_SCRIPT.split('\n').findIndex((l) => l.includes('id -u'))).toBeLessThan(CHAIN_SCRIPT.split('\n').findIndex((l) => l.includes('mkdir')));
  });

  it('an upload moved in as root (sudo): the check and the placement it allows in one command, then the move alone in a checked directory', async () => {
    const sent: string[][] = [];
    const host = (answer: (argv: string[]) => { stdout: string; exitCode?: number; stderr?: string }) => ({
      host: 'h1',
      exec: async (cmd: RemoteCommand) => {
        const argv = cmd.argv.map(String);
        sent.push(argv);
        const a = answer(argv);
        return { exitCode: a.exitCode ?? 0, signal: null, stdout: a.stdout, stderr: a.stderr ?? '', durationMs: 0 };
      },
    });
    const placer = new FilePlacer();
    const io = host(() => ({ stdout: 'user wso2carbon\n' }));
    await placer.placeFrom(io, '/home/deploy/.t/upload-1', '/r/conf/a.toml', 0o600, 'wso2carbon:wso2');
    expect(sent.map((a) => a[3])).toEqual(['check-and-place']);
    // The scripts travel as arguments, the values after them; the owner's user and group are split on the controller.
    expect(sent[0]!.slice(4, 8)).toEqual([CHAIN_SCRIPT, expect.stringContaining('mv -f -T'), expect.stringContaining('runuser -u'), expect.stringContaining('cat >')]);
    expect(sent[0]!.slice(8)).toEqual(['/r/conf', STAGING_DIR, '/home/deploy/.t/upload-1', '/r/conf/a.toml', '0600', 'wso2carbon:wso2', 'wso2carbon', 'wso2']);
    await placer.placeFrom(io, '/home/deploy/.t/upload-2', '/r/conf/b.toml', 0o600, 'wso2carbon:wso2');
    // The directory's verdict was remembered: the second upload is the owner's placement alone, no check.
    expect(sent).toHaveLength(2);
    expect(sent[1]![2]).toContain('runuser -u');
    expect(sent[1]!.slice(-5)).toEqual(['wso2carbon', '/home/deploy/.t/upload-2', '0600', 'wso2', '/r/conf/b.toml']);

    // Refusals are worded from the verdict, as the separate check words them; the host removed the upload itself.
    const refuse = (verdict: string) => new FilePlacer().placeFrom(host(() => ({ stdout: `${verdict}\n${CHECK_REFUSED}\n` })), '/u', '/r/conf/c', 0o644, 'root:root');
    await expect(refuse('user wso2carbon')).rejects.toThrow(/will not write \/r\/conf\/c as root's file: wso2carbon controls \/r\/conf/);
    await expect(refuse('missing')).rejects.toThrow(/cannot write \/r\/conf\/c: \/r\/conf does not exist/);
    await expect(refuse('unsafe /r may be written by its group or by others (mode 775)')).rejects.toThrow(/will not write \/r\/conf\/c: \/r may be written/);
    // A check that failed printed no verdict; a placement that failed exits non-zero after it.
    await expect(new FilePlacer().placeFrom(host(() => ({ stdout: '', exitCode: 1, stderr: 'stat: cannot statx' })), '/u', '/r/conf/c', 0o644, 'root:root'))
      .rejects.toThrow(/cannot check who may change \/r\/conf: stat: cannot statx/);
    await expect(new FilePlacer().placeFrom(host(() => ({ stdout: 'root\n', exitCode: 1, stderr: 'mv: No space left on device' })), '/u', '/r/conf/c', 0o644, 'root:root'))
      .rejects.toThrow(/cannot move \/r\/conf\/c into place \(owner root:root, mode 0644\): mv: No space left/);
  });

  it('a directory found unsafe on a later check loses the verdict kept before: the next placement checks it again', async () => {
    const answers = ['root\n', 'unsafe /r/conf may be written by its group or by others (mode 775)\n'];
    const sent: string[] = [];
    const io = {
      host: 'h1',
      exec: async (cmd: RemoteCommand) => {
        const argv = cmd.argv.map(String);
        sent.push(argv[3]!);
        // The first check answers root and places; dirBeside's second check finds the directory opened to others.
        const stdout = argv[3] === 'check-and-place' ? (sent.length === 1 ? answers[0]! : `${answers[1]!}${CHECK_REFUSED}\n`) : answers[1]!;
        return { exitCode: 0, signal: null, stdout, stderr: '', durationMs: 0 };
      },
    };
    const placer = new FilePlacer();
    await placer.placeFrom(io, '/u1', '/r/conf/a', 0o644, 'root:root');
    expect(await placer.dirBeside(io, '/r/conf/pack.zip', '/home/deploy/.t')).toBeNull();
    await expect(placer.placeFrom(io, '/u2', '/r/conf/b', 0o644, 'root:root')).rejects.toThrow(/will not write \/r\/conf\/b: \/r\/conf may be written/);
    expect(sent).toEqual(['check-and-place', 'upload-dir', 'check-and-place']);
  });

  it('the check walks both the path written and its real path, and treats a sticky directory as safe', () => {
    expect(CHAIN_SCRIPT).toContain('realpath -e');
    expect(CHAIN_SCRIPT).toContain('for start in "$dir" "$real"');
    expect(CHAIN_SCRIPT).toContain('01000');
  });
});
