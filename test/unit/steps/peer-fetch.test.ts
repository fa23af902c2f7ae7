import { describe, expect, it } from 'vitest';
import type { StepOf } from '../../../src/model/plan.js';
import { stepKinds } from '../../../src/steps/index.js';
import { knownHostsName, peerFetchCommand } from '../../../src/steps/peer-commands.js';
import { previewStep } from '../../../src/steps/registry.js';
import { knownHostsKey } from '../../../src/transport/known-hosts.js';
import type { StepContext } from '../../../src/steps/step-kind.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';

const SHA = 'c'.repeat(64);
const step: StepOf<'peer-fetch'> = {
  id: 'gw-2/peer-fetch//opt/wso2/.artifacts/gw.zip', host: 'gw-2', kind: 'peer-fetch', reason: 'not on host', certainty: 'certain', after: [],
  awaits: ['gw-1/upload-artifact//opt/wso2/.artifacts/gw.zip'], localPath: '/dist/gw.zip', path: '/opt/wso2/.artifacts/gw.zip', sha256: SHA,
  size: 300 * 1024 * 1024, mode: '0644', from: { host: 'gw-1', address: '10.0.0.12', port: 22, receiverAddress: '10.0.0.13' },
};

function hosts() {
  let landed = false;
  const receiver = new RecordingTransport('gw-2', { strict: true })
    .on('verify-and-stamp', () => ({ stdout: landed ? `${SHA}\n` : 'absent\n' }))
    .on('peer-keygen', { stdout: '/tmp/apim-peer.AbCd1234\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKey apim-deploy-peer\n' })
    .on('peer-fetch', () => ((landed = true), {}))
    .on('rm -rf', {});
  const source = new RecordingTransport('gw-1', { strict: true }).on('peer-authorize', { stdout: 'deploy\n' }).on('peer-revoke', {});
  const ctx: StepContext = {
    transport: receiver, transportFor: (h) => (h === 'gw-1' ? source : undefined), contents: new Map(),
    clock: new FakeClock({ autoAdvance: true }), waitHealthy: async () => [],
  };
  return { receiver, source, ctx };
}
const wireOf = (t: RecordingTransport, match: string) => t.calls.find((c) => c.op === 'exec' && c.line.includes(match)) as { command: { argv: string[] } } | undefined;

describe('peer-fetch', () => {
  it('authorizes a one-shot key on the source for one cat of the file, from the receiver only, copies, then removes key and temp files', async () => {
    const { receiver, source, ctx } = hosts();
    expect(await stepKinds['peer-fetch'].apply(step, ctx)).toEqual({ status: 'changed', reason: 'not on host: copied from gw-1', warnings: [] });
    const authorize = wireOf(source, 'peer-authorize')!.command.argv;
    expect(authorize.slice(4)).toEqual(['900', 'from="10.0.0.13",', 'cat -- /opt/wso2/.artifacts/gw.zip', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKey', expect.stringMatching(/^apim-deploy-peer-[0-9a-f]{16}$/)]);
    const marker = authorize.at(-1)!;
    expect(wireOf(source, 'peer-revoke')!.command.argv.at(-1)).toBe(marker);
    const fetch = wireOf(receiver, 'peer-fetch')!.command.argv;
    expect(fetch.slice(4)).toEqual(['/tmp/apim-peer.AbCd1234', step.path, `${step.path}.apim-peer.AbCd1234`, '0644', '22', 'deploy@10.0.0.12']);
    expect(receiver.lines.at(-2)).toBe(`rm -rf -- /tmp/apim-peer.AbCd1234 ${step.path}.apim-peer.AbCd1234`);
    expect(receiver.calls.some((c) => c.op === 'putFile')).toBe(false);
  });

  it('pins the source\'s host key as the controller verified it: known_hosts holds it alone, StrictHostKeyChecking=yes', async () => {
    const { receiver, source, ctx } = hosts();
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyOfGw1';
    Object.assign(source, { hostKey: key });
    expect((await stepKinds['peer-fetch'].apply(step, ctx)).warnings).toEqual([]);
    const fetch = wireOf(receiver, 'peer-fetch')!.command.argv;
    expect(fetch.slice(4)).toEqual(['/tmp/apim-peer.AbCd1234', step.path, `${step.path}.apim-peer.AbCd1234`, '0644', '22', 'deploy@10.0.0.12', '10.0.0.12', key, 'ssh-ed25519']);
    expect(fetch[2]).toContain('-o StrictHostKeyChecking=yes -o HostKeyAlgorithms="$9"');
    expect(fetch[2]).not.toContain('accept-new');
    expect(fetch[2]).toContain('printf \'%s %s\\n\' "$7" "$8" > "$d/known_hosts"');
    // Without one (a transport that verified none), the first key is trusted, as before.
    const plain = hosts();
    await stepKinds['peer-fetch'].apply(step, plain.ctx);
    expect(wireOf(plain.receiver, 'peer-fetch')!.command.argv[2]).toContain('StrictHostKeyChecking=accept-new');
  });

  it('names the source in known_hosts as OpenSSH does (port 22 bare, else [address]:port) and verifies an RSA key with rsa-sha2', () => {
    expect(knownHostsName('10.0.0.12', 22)).toBe('10.0.0.12');
    expect(knownHostsName('fd00::12', 2222)).toBe('[fd00::12]:2222');
    const rsa = peerFetchCommand({ dir: '/tmp/d', path: '/p', mode: '0644', address: 'h', port: 2222, user: 'u', timeoutMs: 1, hostKey: 'ssh-rsa AAAAB3' });
    expect(rsa.argv.slice(-3)).toEqual(['[h]:2222', 'ssh-rsa AAAAB3', 'rsa-sha2-512,rsa-sha2-256']);
  });

  it('reads the key type from the blob the handshake verified (SSH wire format)', () => {
    const type = Buffer.from('ssh-ed25519');
    const blob = Buffer.concat([Buffer.from([0, 0, 0, type.length]), type, Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 7)]);
    expect(knownHostsKey(blob)).toBe(`ssh-ed25519 ${blob.toString('base64')}`);
    expect(knownHostsKey(Buffer.from([0, 0, 0, 99, 1]))).toBeNull();
    expect(knownHostsKey(Buffer.from([0, 0]))).toBeNull();
  });

  it('falls back to the controller upload when the copy fails, says so, and still cleans up on both hosts', async () => {
    const { receiver, source, ctx } = hosts();
    receiver.on('peer-fetch', { exitCode: 255, stderr: 'ssh: connect to host 10.0.0.12 port 22: Connection refused' });
    let uploaded = false;
    receiver.on('verify-and-stamp', () => ({ stdout: uploaded ? `${SHA}\n` : 'absent\n' }));
    const put = receiver.putFile.bind(receiver);
    receiver.putFile = async (...a) => { await put(...a); uploaded = true; };
    const outcome = await stepKinds['peer-fetch'].apply(step, ctx);
    expect(outcome.status).toBe('changed');
    expect(outcome.warnings).toEqual([expect.stringMatching(/^peer copy from gw-1 failed \(gw-2: copying from gw-1 failed .*Connection refused\): uploaded from the controller instead$/)]);
    expect(source.lines.some((l) => l.includes('peer-revoke'))).toBe(true);
    expect(receiver.lines).toContain(`rm -rf -- /tmp/apim-peer.AbCd1234 ${step.path}.apim-peer.AbCd1234`);
    expect(receiver.calls.find((c) => c.op === 'putFile')).toMatchObject({ localPath: '/dist/gw.zip', path: step.path });
  });

  it('falls back when the copy lands with other bytes (a corrupt source)', async () => {
    const { receiver, ctx } = hosts();
    let n = 0;
    receiver.on('verify-and-stamp', () => ({ stdout: [`absent\n`, `${'d'.repeat(64)}\n`, `${'d'.repeat(64)}\n`][n++] ?? `${SHA}\n` }));
    const outcome = await stepKinds['peer-fetch'].apply(step, ctx);
    expect(outcome.warnings?.[0]).toMatch(/the copy from gw-1 is corrupt: sha256 dddddddddddd, expected cccccccccccc/);
    expect(receiver.calls.some((c) => c.op === 'putFile')).toBe(true);
  });

  it('does nothing when the host already has the bytes', async () => {
    const { receiver, source, ctx } = hosts();
    receiver.on('verify-and-stamp', { stdout: `${SHA}\n` });
    expect(await stepKinds['peer-fetch'].apply(step, ctx)).toMatchObject({ status: 'unchanged' });
    expect(source.calls).toEqual([]);
  });

  it('copies without hashing first when the plan found no file there; its fallback still looks before uploading', async () => {
    const absent = { ...step, absentWhenPlanned: true } as const;
    const { receiver, ctx } = hosts();
    expect(await stepKinds['peer-fetch'].apply(absent, ctx)).toMatchObject({ status: 'changed' });
    // One hash: the copy's own check after it landed.
    expect(receiver.lines.filter((l) => l.includes('verify-and-stamp'))).toHaveLength(1);
    expect(receiver.lines.findIndex((l) => l.includes('peer-keygen'))).toBe(0);
    expect(previewStep(absent).lines.filter((l) => l.includes('# skip when'))).toEqual([]);

    const failing = hosts();
    failing.receiver.on('peer-fetch', { exitCode: 255, stderr: 'ssh: connect to host 10.0.0.12 port 22: Connection refused' });
    failing.receiver.on('verify-and-stamp', { stdout: `${SHA}\n` });
    const outcome = await stepKinds['peer-fetch'].apply(absent, failing.ctx);
    // The copy failed after the bytes landed whole (say, its check could not run): the fallback finds them, no upload.
    expect(outcome).toMatchObject({ status: 'unchanged' });
    expect(failing.receiver.calls.some((c) => c.op === 'putFile')).toBe(false);
  });

  it('on Ctrl-C: no fallback upload, the key and temp files removed all the same', async () => {
    const { receiver, source, ctx } = hosts();
    const abort = new AbortController();
    receiver.on('peer-fetch', () => { abort.abort(); return { exitCode: null, signal: 'KILL' }; });
    await expect(stepKinds['peer-fetch'].apply(step, { ...ctx, signal: abort.signal })).rejects.toThrow(/copying from gw-1 failed/);
    expect(source.lines.some((l) => l.includes('peer-revoke'))).toBe(true);
    expect(receiver.lines.some((l) => l.startsWith('rm -rf'))).toBe(true);
    expect(receiver.calls.some((c) => c.op === 'putFile')).toBe(false);
  });

  it('shows every command of the copy in the dry run, clean-up and fallback included', () => {
    const lines = previewStep(step).lines.join('\n');
    expect(previewStep(step).description).toBe('copy /opt/wso2/.artifacts/gw.zip from gw-1 (300.0 MB), else upload /dist/gw.zip');
    for (const part of ['peer-keygen', 'peer-authorize', 'restrict,', 'expiry-time', 'peer-fetch', 'peer-revoke', 'rm -rf', 'put-file /dist/gw.zip', 'after gw-1/upload-artifact']) {
      expect(lines).toContain(part);
    }
  });
});
