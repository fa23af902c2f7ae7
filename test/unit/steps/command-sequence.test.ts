/**
 * A step's commands in one exec (steps/command-sequence.ts, through execAll and execUnless): run by a real /bin/sh here,
 * as the host runs them, one exec where there were one per command.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/model/secret.js';
import { commandSequence, SEQUENCE_END } from '../../../src/steps/command-sequence.js';
import { execAll, execUnless } from '../../../src/steps/exec.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';
import { shellTransport } from './shell.js';

const execs = (t: RecordingTransport) => t.calls.filter((c) => c.op === 'exec').length;
const append = (file: string, word: string) => ({ argv: ['sh', '-c', 'printf "%s\\n" "$1" >> "$2"', 'append', word, file] });

describe('a step\'s commands in one exec', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sequence-'));

  it('runs them in order in one exec', async () => {
    const file = join(dir, 'order');
    const t = shellTransport();
    await execAll(t, [append(file, 'one'), append(file, 'two'), append(file, 'three')]);
    expect(readFileSync(file, 'utf8')).toBe('one\ntwo\nthree\n');
    expect(execs(t)).toBe(1);
  });

  it('a guard that exits 0 runs nothing else; one that fails lets them run', async () => {
    const file = join(dir, 'guarded');
    const t = shellTransport();
    expect(await execUnless(t, { argv: ['test', '-e', file] }, [append(file, 'ran')])).toBe(true);
    expect(await execUnless(t, { argv: ['test', '-e', file] }, [append(file, 'again')])).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('ran\n');
    expect(execs(t)).toBe(2);
  });

  it('stops at the first that fails, naming it with its exit meaning and its stderr', async () => {
    const file = join(dir, 'stops');
    const t = shellTransport();
    const fail = { argv: ['sh', '-c', 'echo "disk on fire" >&2; exit 3', 'fails'] };
    const err = await execAll(t, [append(file, 'before'), fail, append(file, 'after')]).catch((e: unknown) => e);
    expect(String(err)).toContain(`sh -c 'echo "disk on fire" >&2; exit 3' fails failed (exit 3)`);
    expect((err as { detail?: string }).detail).toContain('disk on fire');
    // Without stderr the tail is the commands' own output, never the sequence's closing line.
    const quiet = await execAll(t, [append(`${file}.quiet`, 'x'), { argv: ['sh', '-c', 'echo half done; exit 4', 'quiet'] }]).catch((e: unknown) => e);
    expect((quiet as { detail?: string }).detail).toBe('half done');
    expect(readFileSync(file, 'utf8')).toBe('before\n');
  });

  it('gives stdin to the one command that has it; the others read nothing', async () => {
    const file = join(dir, 'stdin');
    const t = shellTransport();
    const secret = new Secret('s3cret "pw"\n', 'test');
    await execAll(t, [
      { argv: ['sh', '-c', 'cat > "$1"', 'first', `${file}.first`] },
      { argv: ['sh', '-c', 'cat > "$1"', 'second', file], stdin: secret },
      { argv: ['sh', '-c', 'cat > "$1"', 'third', `${file}.third`] },
    ]);
    expect([readFileSync(`${file}.first`, 'utf8'), readFileSync(file, 'utf8'), readFileSync(`${file}.third`, 'utf8')]).toEqual(['', 's3cret "pw"\n', '']);
    expect(t.lines.join('\n')).not.toContain('s3cret');
  });

  it('passes each command its environment', async () => {
    const file = join(dir, 'env');
    const t = shellTransport();
    await execAll(t, [{ argv: ['sh', '-c', 'printf "%s" "$X" > "$1"', 'env', file], env: { X: "it's a b" } }, append(`${file}.2`, 'x')]);
    expect(readFileSync(file, 'utf8')).toBe("it's a b");
  });

  it('a command printing a closing line of its own cannot fake how the sequence ended', async () => {
    const t = shellTransport();
    const fake = `printf '\\n${SEQUENCE_END} 000000000000000000000000 skip\\n'; exit 1`;
    await expect(execUnless(t, { argv: ['sh', '-c', fake] }, [{ argv: ['sh', '-c', fake, 'second'] }])).rejects.toThrow(/second failed \(exit 1/);
  });

  it('a sequence killed before its closing line names every command', async () => {
    const t = new RecordingTransport('h', { wholeSequences: true }).on(/./, { exitCode: null, signal: 'SIGKILL', stdout: 'half' });
    await expect(execAll(t, [{ argv: ['true'] }, { argv: ['false'] }])).rejects.toThrow('true && false failed (killed by SIGKILL)');
  });

  it('commands that need an exec of their own (a directory, a timeout, the login user, two stdins) run one by one', async () => {
    const lone = [
      { argv: ['true'], cwd: '/' },
      { argv: ['true'], timeoutMs: 1000 },
      { argv: ['true'], asLoginUser: true },
    ];
    for (const c of lone) expect(commandSequence([c, { argv: ['true'] }])).toBeNull();
    expect(commandSequence([{ argv: ['cat'], stdin: 'a' }, { argv: ['cat'], stdin: 'b' }])).toBeNull();
    const t = shellTransport();
    const file = join(dir, 'lone');
    writeFileSync(file, '');
    expect(await execUnless(t, { argv: ['false'] }, [{ ...append(file, 'a'), cwd: dir }, append(file, 'b')])).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('a\nb\n');
    expect(execs(t)).toBe(3);
  });
});
