/**
 * Upload stamps on a real sh + coreutils: a stamped file is not re-hashed while it is unchanged, any change (or
 * --verify) makes the probe hash it again, a forged or corrupt stamp is never believed, and a corrupt upload is
 * never stamped.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeHost } from '../../../src/facts/index.js';
import { SHA256_OF_FUNCTION, STAMP_SUFFIX } from '../../../src/model/sha256-stamp.js';
import { verifyAndStampCommand } from '../../../src/steps/remote-facts.js';
import { LocalTransport } from '../../../src/transport/local.js';

const dir = mkdtempSync(join(tmpdir(), 'sha256 stamp '));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const t = new LocalTransport('me');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const fileSha = async (path: string, verify = false) => (await probeHost(t, { files: [path], verify })).files[path];

describe('sha256 stamps beside uploaded archives', () => {
  it('stamps only the expected bytes, and says when the file is absent', async () => {
    const f = join(dir, "dist 1's.zip");
    expect((await t.exec(verifyAndStampCommand(f, sha('x')))).stdout.trim()).toBe('absent');
    writeFileSync(f, 'corrupt');
    const corrupt = await t.exec(verifyAndStampCommand(f, sha('good')));
    expect(corrupt.stdout.trim()).toBe(sha('corrupt'));
    expect(() => readFileSync(f + STAMP_SUFFIX)).toThrow();
    writeFileSync(f, 'good');
    expect((await t.exec(verifyAndStampCommand(f, sha('good')))).stdout.trim()).toBe(sha('good'));
    expect(readFileSync(f + STAMP_SUFFIX, 'utf8')).toMatch(new RegExp(`^${sha('good')} \\d+ \\d+ \\d+\\.\\d{9} \\d+\\.\\d{9}\\n$`));
  });

  it('lets the probe answer from the stamp while the file is unchanged, and hash again on any change or --verify', async () => {
    const f = join(dir, 'dist-2.zip');
    writeFileSync(f, 'v1');
    await t.exec(verifyAndStampCommand(f, sha('v1')));
    // Prove the stamp is what answers: a stamp naming other bytes, with the file's own stat, is believed...
    const [, ...stat] = readFileSync(f + STAMP_SUFFIX, 'utf8').trim().split(' ');
    writeFileSync(f + STAMP_SUFFIX, `${sha('stamped')} ${stat.join(' ')}\n`);
    expect(await fileSha(f)).toBe(sha('stamped'));
    // ... but not by --verify,
    expect(await fileSha(f, true)).toBe(sha('v1'));
    // and not once the file changes in any way (content, or only its mode: ctime moves).
    chmodSync(f, 0o600);
    expect(await fileSha(f)).toBe(sha('v1'));
    writeFileSync(f, 'v2');
    expect(await fileSha(f)).toBe(sha('v2'));
  });

  it('never believes a stamp that is not a sha256', async () => {
    const f = join(dir, 'dist-3.zip');
    writeFileSync(f, 'v1');
    await t.exec(verifyAndStampCommand(f, sha('v1')));
    const [, ...stat] = readFileSync(f + STAMP_SUFFIX, 'utf8').trim().split(' ');
    writeFileSync(f + STAMP_SUFFIX, `$(reboot) ${stat.join(' ')}\n`);
    expect(await fileSha(f)).toBe(sha('v1'));
    writeFileSync(f + STAMP_SUFFIX, `${'G'.repeat(64)} ${stat.join(' ')}\n`);
    expect(await fileSha(f)).toBe(sha('v1'));
  });

  it('neither writes nor believes a stamp in a directory someone else may write to (a service user\'s lib)', async () => {
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const f = join(shared, 'driver.jar');
    writeFileSync(f, 'v1');
    expect((await t.exec(verifyAndStampCommand(f, sha('v1')))).stdout.trim()).toBe(sha('v1'));
    expect(() => readFileSync(f + STAMP_SUFFIX)).toThrow();
    // A stamp planted there, even with the file's own stat, is not believed.
    const stat = (await t.exec({ argv: ['stat', '-c', '%s %i %.9Y %.9Z', '--', f] })).stdout.trim();
    writeFileSync(f + STAMP_SUFFIX, `${sha('forged')} ${stat}\n`);
    expect(await fileSha(f)).toBe(sha('v1'));
    chmodSync(shared, 0o775); // group write alone
    expect(await fileSha(f)).toBe(sha('v1'));
    chmodSync(shared, 0o755);
    chownSync(shared, 65534, 65534); // no one else may write, but the directory is another user's
    expect(await fileSha(f)).toBe(sha('v1'));
    // The control: the same stamp in a directory of the probing user's alone is believed (which is why it must be).
    chownSync(shared, process.getuid!(), process.getgid!());
    expect(await fileSha(f)).toBe(sha('forged'));
  });
});

describe('sha256_of, the hash uploads are verified with', () => {
  const file = join(dir, 'pack with spaces.zip');
  const bytes = Buffer.alloc(3 * 1024 * 1024 + 7, 'apim');
  writeFileSync(file, bytes);
  const want = createHash('sha256').update(bytes).digest('hex');
  /** Runs the function in a real sh with only the given tools on PATH (sh itself is called by its path). */
  const hashWith = (path: string): string =>
    execFileSync('/bin/sh', ['-c', `${SHA256_OF_FUNCTION}\nsha256_of "$1" && echo "$s"`, 'sha256-of', file], { env: { PATH: path }, encoding: 'utf8' }).trim();
  const toolDir = (tools: Record<string, string>): string => {
    const d = mkdtempSync(join(dir, 'tools-'));
    for (const [name, target] of Object.entries(tools)) {
      if (target.startsWith('/')) symlinkSync(target, join(d, name));
      else { writeFileSync(join(d, name), `#!/bin/sh\n${target}\n`); chmodSync(join(d, name), 0o755); }
    }
    return d;
  };
  const which = (tool: string): string => execFileSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();

  it('hashes through OpenSSL where the host has it', () => {
    expect(hashWith(toolDir({ openssl: which('openssl') }))).toBe(want);
  });

  it('falls back to sha256sum without OpenSSL, or when OpenSSL answers anything but a sha256', () => {
    expect(hashWith(toolDir({ sha256sum: which('sha256sum') }))).toBe(want);
    expect(hashWith(toolDir({ sha256sum: which('sha256sum'), openssl: `echo 'SHA2-256(stdin)= ${'0'.repeat(64)}'` }))).toBe(want);
    expect(hashWith(toolDir({ sha256sum: which('sha256sum'), openssl: `echo ${'G'.repeat(64)}` }))).toBe(want);
    expect(hashWith(toolDir({ sha256sum: which('sha256sum'), openssl: 'exit 1' }))).toBe(want);
  });

  it('fails when neither tool can hash the file', () => {
    expect(() => hashWith(toolDir({ openssl: 'exit 1' }))).toThrow();
  });
});

