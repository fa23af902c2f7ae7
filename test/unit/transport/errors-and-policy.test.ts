import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostKeyCheck } from '../../../src/transport/host-key-policy.js';
import { isTransient, mapConnectError } from '../../../src/transport/ssh-errors.js';

function sshErr(message: string, props: { level?: string; code?: string }): Error {
  return Object.assign(new Error(message), props);
}

describe('mapConnectError', () => {
  it('maps ssh2 failures to kinds, names the host, and marks the transient ones', () => {
    const refused = mapConnectError('gw-1', 'root@10.0.0.5:22', sshErr('connect ECONNREFUSED', { level: 'client-socket', code: 'ECONNREFUSED' }));
    expect([refused.kind, refused.message, isTransient(refused)]).toEqual(['unreachable', 'gw-1: cannot connect to root@10.0.0.5:22: ECONNREFUSED', true]);
    const auth = mapConnectError('gw-1', 'root@10.0.0.5:22', sshErr('All configured authentication methods failed', { level: 'client-authentication' }));
    expect([auth.kind, isTransient(auth)]).toEqual(['auth', false]);
    const slow = mapConnectError('gw-1', 'w', sshErr('Timed out while waiting for handshake', { level: 'client-timeout' }));
    expect([slow.kind, isTransient(slow)]).toEqual(['timeout', true]);
    const noRoute = mapConnectError('gw-1', 'w', sshErr('connect EHOSTUNREACH', { level: 'client-socket', code: 'EHOSTUNREACH' }));
    expect([noRoute.kind, isTransient(noRoute)]).toEqual(['unreachable', false]);
    expect(mapConnectError('gw-1', 'w', new Error('bad packet')).kind).toBe('protocol');
  });
});

describe('hostKeyCheck accept-new', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kh-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const key = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from('k')]);

  it('appends on its own line even when the file lacks a final newline, then knows the key', () => {
    const file = join(dir, 'known_hosts');
    writeFileSync(file, 'other ssh-ed25519 AAAA');
    const target = { name: 'gw-1', address: '10.0.0.5', port: 22, knownHosts: file };
    expect(hostKeyCheck(target, false).verify(key)).toBe(false);
    expect(hostKeyCheck(target, true).verify(key)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(`other ssh-ed25519 AAAA\n10.0.0.5 ssh-ed25519 ${key.toString('base64')}\n`);
    expect(hostKeyCheck(target, false).verify(key)).toBe(true);
  });

  it('treats a missing known_hosts file as empty: the key is unknown and refused', () => {
    const check = hostKeyCheck({ name: 'gw-1', address: 'gw-1', port: 22, knownHosts: join(dir, 'no/such/dir/../x') }, false);
    expect(check.verify(key)).toBe(false);
    expect(check.refusal()?.message).toMatch(/^gw-1: host key for gw-1 is not in/);
  });
});
