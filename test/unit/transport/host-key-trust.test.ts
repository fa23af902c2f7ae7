import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostKeyCheck } from '../../../src/transport/host-key-policy.js';
import { entryMatches, globMatch, globSteps, parseKnownHosts } from '../../../src/transport/known-hosts.js';

/** An ed25519 public key in SSH wire format, and its known_hosts base64. */
function hostKey(): Buffer {
  const der = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
  const raw = der.subarray(der.length - 32);
  const type = Buffer.from('ssh-ed25519');
  const len = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
  return Buffer.concat([len(type.length), type, len(raw.length), raw]);
}

describe('issue 16 item 9: host keys are trusted by the address dialled, never by the inventory name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apim-hostkey-'));
  const key = hostKey();

  it('a gw-1 line learned for another estate does not vouch for this estate\'s gw-1', () => {
    const file = join(dir, 'shared_known_hosts');
    writeFileSync(file, `gw-1 ssh-ed25519 ${key.toString('base64')}\n`);
    const check = hostKeyCheck({ name: 'gw-1', address: '10.9.9.9', port: 22, knownHosts: file }, false);
    expect(check.verify(key)).toBe(false);
    expect(check.refusal()?.message).toMatch(/host key for gw-1 \(10\.9\.9\.9\) is not in/);
  });

  it('the address line (and port) is what counts; another port of the same address is another host', () => {
    const file = join(dir, 'by_address');
    writeFileSync(file, `10.9.9.9 ssh-ed25519 ${key.toString('base64')}\n`);
    expect(hostKeyCheck({ name: 'gw-1', address: '10.9.9.9', port: 22, knownHosts: file }, false).verify(key)).toBe(true);
    expect(hostKeyCheck({ name: 'gw-1', address: '10.9.9.9', port: 2222, knownHosts: file }, false).verify(key)).toBe(false);
  });

  it('trust on first use records the dialled address only, never the logical name', () => {
    const file = join(dir, 'tofu');
    expect(hostKeyCheck({ name: 'gw-1', address: '2001:db8::7', port: 2222, knownHosts: file }, true).verify(key)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(`[2001:db8::7]:2222 ssh-ed25519 ${key.toString('base64')}\n`);
  });

  it('an explicit HostKeyAlias replaces the address, as in OpenSSH', () => {
    const file = join(dir, 'alias');
    writeFileSync(file, `gw-1.prod ssh-ed25519 ${key.toString('base64')}\n`);
    expect(hostKeyCheck({ name: 'gw-1', address: '10.9.9.9', port: 22, knownHosts: file, hostKeyAlias: 'gw-1.prod' }, false).verify(key)).toBe(true);
  });
});

describe('Smaller: known_hosts glob patterns match in O(pattern × name) steps', () => {
  it('agrees with the obvious cases', () => {
    expect(globMatch('*.lab', 'gw-1.lab')).toBe(true);
    expect(globMatch('gw-?', 'GW-1')).toBe(true);
    expect(globMatch('gw-?', 'gw-10')).toBe(false);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('a*b*c', 'axxbyyc')).toBe(true);
    expect(globMatch('a*b*c', 'axxbyy')).toBe(false);
    const [entry] = parseKnownHosts('*.lab,!bad.lab ssh-ed25519 AAAA\n');
    expect(entryMatches(entry!, 'x.lab')).toBe(true);
    expect(entryMatches(entry!, 'bad.lab')).toBe(false);
  });

  it('a pathological pattern costs at most pattern × text steps (a regex backtracks exponentially here)', () => {
    const pattern = `${'*a'.repeat(40)}*b`;
    const text = 'a'.repeat(4000);
    globSteps.count = 0;
    expect(globMatch(pattern, text)).toBe(false);
    expect(globSteps.count).toBeLessThanOrEqual((pattern.length + 1) * (text.length + 1));
    const [entry] = parseKnownHosts(`${pattern} ssh-ed25519 AAAA\n`);
    globSteps.count = 0;
    expect(entryMatches(entry!, text)).toBe(false);
    expect(globSteps.count).toBeLessThanOrEqual((pattern.length + 1) * (text.length + 1));
  });
});
