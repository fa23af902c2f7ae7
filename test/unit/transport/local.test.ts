import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../../src/errors.js';
import { Secret } from '../../../src/model/secret.js';
import { LocalTransport } from '../../../src/transport/local.js';
import { alive as running } from '../../support/processes.js';
import { waitFor } from '../../support/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'local transport '));
const t = new LocalTransport('me');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('LocalTransport.exec', () => {
  it('returns exit code and exact output; a failing command is data', async () => {
    const r = await t.exec({ argv: ['sh', '-c', 'printf "a\\n\\n"; printf e >&2; exit 7'] });
    expect(r).toMatchObject({ exitCode: 7, signal: null, stdout: 'a\n\n', stderr: 'e' });
  });

  it('applies cwd, env and stdin, and keeps arguments whole', async () => {
    const r = await t.exec({
      argv: ['sh', '-c', 'pwd; printf "%s|" "$1" "$K"; cat', 'sh', '$(id) `x` *'], cwd: dir,
      env: { K: new Secret('v w', 'test') }, stdin: 'in',
    });
    expect(r.stdout).toBe(`${dir}\n$(id) \`x\` *|v w|in`);
  });

  it('kills the whole process group on timeout', async () => {
    const pids = join(dir, 'group.pids');
    const script = 'sleep 30 & echo $! >> "$0"; sleep 30 & echo $! >> "$0"; wait';
    const err = await t.exec({ argv: ['sh', '-c', script, pids], timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).kind).toBe('timeout');
    // Both background sleeps were in the group: gone (or zombies awaiting their reaper), not left running 30 s.
    const children = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    expect(children).toHaveLength(2);
    await waitFor('the sleeps to be killed', () => children.every((pid) => !running(pid)));
    expect(children.filter(running)).toEqual([]);
  });

  it('rejects with the abort reason', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('operator pressed ^C')), 100);
    await expect(t.exec({ argv: ['sleep', '30'] }, ac.signal)).rejects.toThrow('operator pressed ^C');
  });
});

describe('LocalTransport files', () => {
  it('put writes beside the destination then renames, with mode and owner', async () => {
    const dest = join(dir, 'conf.toml');
    writeFileSync(dest, 'old');
    await t.put('new\n\n', dest, { mode: '0600', owner: 'nobody' });
    expect(readFileSync(dest, 'utf8')).toBe('new\n\n');
    expect(await t.stat(dest)).toEqual({ kind: 'file', mode: '0600', owner: 'nobody', size: 5 });
    expect(statSync(dest).mode & 0o7777).toBe(0o600);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('putFile copies, read returns exact bytes or undefined', async () => {
    const src = join(dir, 'src.bin');
    writeFileSync(src, Buffer.from([0, 1, 2, 255, 10, 10]));
    await t.putFile(src, join(dir, 'dst.bin'), { mode: '0644' });
    expect([...(await t.read(join(dir, 'dst.bin')))!]).toEqual([0, 1, 2, 255, 10, 10]);
    expect(await t.read(join(dir, 'absent'))).toBeUndefined();
    expect(await t.stat(join(dir, 'absent'))).toBeUndefined();
  });

  it('a missing directory is a TransportError naming the host, with no temp file left', async () => {
    await expect(t.put('x', join(dir, 'nope', 'f'), { mode: '0644' })).rejects.toThrow(/^me: cannot write/);
  });

  it('a bad owner fails and removes the temp file', async () => {
    await expect(t.put('x', join(dir, 'g'), { mode: '0644', owner: 'no-such-user-xyz' })).rejects.toThrow(/cannot set owner/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
