import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkHostKey, entryMatches, hostCandidates, knownHostsLine, parseKnownHosts, preferredHostKeyAlgorithms,
} from '../../../src/transport/known-hosts.js';

/** An SSH wire-format key blob: string type, then opaque bytes. */
function blob(type: string, body: string): Buffer {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, Buffer.from(body)]);
}
const KEY = blob('ssh-ed25519', 'server-key');
const OTHER = blob('ssh-ed25519', 'attacker-key');
const RSA = blob('ssh-rsa', 'rsa-key');
const b64 = (b: Buffer) => b.toString('base64');

function hashed(name: string, salt = Buffer.from('0123456789abcdef0123')): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('hostCandidates', () => {
  it('is the dialled address, bare on port 22 and [address]:port otherwise, or an explicit HostKeyAlias', () => {
    expect(hostCandidates('10.0.0.5', 22)).toEqual(['10.0.0.5']);
    expect(hostCandidates('10.0.0.5', 2222)).toEqual(['[10.0.0.5]:2222']);
    expect(hostCandidates('2001:db8::5', 2222)).toEqual(['[2001:db8::5]:2222']);
    expect(hostCandidates('10.0.0.5', 22, 'gw-1.prod')).toEqual(['gw-1.prod']);
  });
});

describe('parseKnownHosts and matching', () => {
  const text = [
    '# comment',
    '',
    `gw-1,10.0.0.5 ssh-ed25519 ${b64(KEY)} root@gw-1`,
    `[gw-2]:2222 ssh-ed25519 ${b64(KEY)}`,
    `${hashed('gw-3')} ssh-ed25519 ${b64(KEY)}`,
    `*.lab,!bad.lab ssh-ed25519 ${b64(KEY)}`,
    `@revoked gw-4 ssh-ed25519 ${b64(OTHER)}`,
    '@cert-authority *.corp ssh-ed25519 AAAA',
    'malformed-line-only-host',
  ].join('\n');
  const entries = parseKnownHosts(text);

  it('parses entries with markers and skips comments and malformed lines', () => {
    expect(entries.map((e) => [e.line, e.marker, e.keyType])).toEqual([
      [3, null, 'ssh-ed25519'], [4, null, 'ssh-ed25519'], [5, null, 'ssh-ed25519'], [6, null, 'ssh-ed25519'],
      [7, 'revoked', 'ssh-ed25519'], [8, 'cert-authority', 'ssh-ed25519'],
    ]);
  });

  it('matches by name, address, [host]:port, hashed names and wildcards with negation', () => {
    expect(entryMatches(entries[0]!, '10.0.0.5')).toBe(true);
    expect(entryMatches(entries[0]!, 'gw-10')).toBe(false);
    expect(entryMatches(entries[1]!, '[gw-2]:2222')).toBe(true);
    expect(entryMatches(entries[1]!, 'gw-2')).toBe(false);
    expect(entryMatches(entries[2]!, 'gw-3')).toBe(true);
    expect(entryMatches(entries[2]!, 'gw-4')).toBe(false);
    expect(entryMatches(entries[3]!, 'cp.lab')).toBe(true);
    expect(entryMatches(entries[3]!, 'bad.lab')).toBe(false);
  });

  it('classifies a key as known, unknown, changed or revoked', () => {
    expect(checkHostKey(entries, ['gw-1', '10.0.0.5'], KEY)).toBe('known');
    expect(checkHostKey(entries, ['[gw-2]:2222'], KEY)).toBe('known');
    expect(checkHostKey(entries, ['gw-3'], KEY)).toBe('known');
    expect(checkHostKey(entries, ['gw-9', '10.0.0.9'], KEY)).toBe('unknown');
    expect(checkHostKey(entries, ['gw-1'], OTHER)).toBe('changed');
    expect(checkHostKey(entries, ['[gw-1]:2222'], KEY)).toBe('unknown');
    expect(checkHostKey(entries, ['gw-4'], OTHER)).toBe('revoked');
  });
});

describe('preferredHostKeyAlgorithms', () => {
  it('asks first for the key types already known for the host', () => {
    const entries = parseKnownHosts(`gw-1 ssh-rsa ${b64(RSA)}\n`);
    expect(preferredHostKeyAlgorithms(entries, ['gw-1']).slice(0, 4)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519']);
    expect(preferredHostKeyAlgorithms([], ['gw-1'])[0]).toBe('ssh-ed25519');
  });
});

describe('knownHostsLine', () => {
  it('writes every candidate name with the key type and base64', () => {
    expect(knownHostsLine(['[gw-1]:2222', '[10.0.0.5]:2222'], KEY)).toBe(`[gw-1]:2222,[10.0.0.5]:2222 ssh-ed25519 ${b64(KEY)}\n`);
    expect(checkHostKey(parseKnownHosts(knownHostsLine(['gw-1'], KEY)), ['gw-1'], KEY)).toBe('known');
  });
});
