import { randomBytes } from 'node:crypto';
import { RemoteError } from '../errors.js';
import type { StepOf } from '../model/plan.js';
import type { Transport } from '../transport/transport.js';
import { display, exitMeaning } from './exec.js';
import {
  peerAuthorizeCommand, peerCleanupCommand, peerFetchCommand, peerKeygenCommand, peerRevokeCommand, PEER_KEY_TTL_SECONDS, PEER_TEMP_PREFIX,
} from './peer-commands.js';
import { shortSha, verifyDisplay } from './remote-facts.js';
import type { StepContext, StepKind } from './step-kind.js';
import { alreadyThere, uploadArtifact, verifyAndStamp } from './upload-artifact.js';

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const PUBLIC_KEY = /^(ssh-ed25519 [A-Za-z0-9+/=]+)(?: .*)?$/;
/** What the authorized_keys option and the forced command can carry without escaping (install paths are like this). */
const PLAIN_PATH = /^\/[A-Za-z0-9_@%+:,./-]+$/;

/** A generous deadline for the copy itself: 2 minutes plus 1 MB/s (a host-to-host copy runs far above that). */
const fetchTimeoutMs = (size: number): number => 120_000 + Math.ceil(size / 1_000);

async function run(t: Transport, cmd: ReturnType<typeof peerKeygenCommand>, what: string, signal?: AbortSignal): Promise<string> {
  const r = await t.exec(cmd, signal);
  if (r.exitCode !== 0) throw new RemoteError(t.host, `${what} failed (${exitMeaning(r.exitCode, r.signal)})`, r.stderr.trim());
  return r.stdout;
}

/** Clean-up runs whatever happened (failure, Ctrl-C: no signal passed), and never hides the copy's own error. */
async function quietly(t: Transport, cmd: ReturnType<typeof peerKeygenCommand>): Promise<string | null> {
  try {
    const r = await t.exec(cmd);
    return r.exitCode === 0 ? null : `${t.host}: ${r.stderr.trim() || exitMeaning(r.exitCode, r.signal)}`;
  } catch (err) {
    return `${t.host}: ${(err as Error).message}`;
  }
}

/** The copy from the source host. Throws on any failure, after removing the key and the temp files on both hosts. */
async function copyFromPeer(s: StepOf<'peer-fetch'>, ctx: StepContext): Promise<readonly string[]> {
  const source = ctx.transportFor(s.from.host);
  if (!source) throw new RemoteError(s.host, `no connection to ${s.from.host}`, '');
  if (!PLAIN_PATH.test(s.path)) throw new RemoteError(s.host, `path ${s.path} has characters a forced command would need escaped`, '');
  const [dir, publicLine] = (await run(ctx.transport, peerKeygenCommand(), 'making a one-shot key', ctx.signal)).trim().split('\n');
  const key = PUBLIC_KEY.exec(publicLine ?? '')?.[1];
  if (!dir?.includes(`/${PEER_TEMP_PREFIX}`) || !key) throw new RemoteError(s.host, 'ssh-keygen printed no key', publicLine ?? '');
  const marker = `apim-deploy-peer-${randomBytes(8).toString('hex')}`;
  const leftovers: string[] = [];
  try {
    const user = (await run(source, peerAuthorizeCommand({ path: s.path, publicKey: key, marker, ...(s.from.receiverAddress ? { from: s.from.receiverAddress } : {}) }),
      'authorizing the one-shot key', ctx.signal)).trim();
    await run(ctx.transport, peerFetchCommand({ dir, path: s.path, mode: s.mode ?? '0644', address: s.from.address, port: s.from.port, user, timeoutMs: fetchTimeoutMs(s.size),
      ...(source.hostKey ? { hostKey: source.hostKey } : {}) }),
      `copying from ${s.from.host}`, ctx.signal);
  } finally {
    for (const problem of [await quietly(source, peerRevokeCommand(marker)), await quietly(ctx.transport, peerCleanupCommand(dir, s.path))]) {
      if (problem) leftovers.push(`peer copy clean-up: ${problem}`);
    }
  }
  const landed = await verifyAndStamp(ctx.transport, s.path, s.sha256, ctx.signal);
  if (landed !== s.sha256) throw new RemoteError(s.host, `the copy from ${s.from.host} is corrupt: sha256 ${shortSha(landed)}, expected ${shortSha(s.sha256)}`, '');
  return leftovers;
}

/**
 * Copies an artifact from a host of the same datacenter that already has it (planner/peer-copy.ts), over a one-shot
 * SSH key (peer-commands.ts says why), verified by sha256 on this host. When the copy fails for any reason the
 * controller uploads it instead, and the step says so in a warning.
 */
export const peerFetch: StepKind<'peer-fetch'> = {
  kind: 'peer-fetch',
  mutates: true,
  describe: (s) => `copy ${s.path} from ${s.from.host} (${mb(s.size)}), else upload ${s.localPath}`,
  commands: () => [],
  preview: (s) => {
    const dir = `\${TMPDIR:-/tmp}/${PEER_TEMP_PREFIX}XXXXXXXX`;
    const authorize = peerAuthorizeCommand({ path: s.path, publicKey: 'ssh-ed25519 <one-shot key>', marker: 'apim-deploy-peer-<random>', ...(s.from.receiverAddress ? { from: s.from.receiverAddress } : {}) });
    return [
      ...(s.absentWhenPlanned ? [] : [`${verifyDisplay(s.path)}  # skip when it is ${shortSha(s.sha256)}`]),
      `# after ${s.awaits?.join(', ') ?? s.from.host}, whatever its outcome`,
      `# on ${s.host}: ${display(peerKeygenCommand())}`,
      `# on ${s.from.host}, for ${PEER_KEY_TTL_SECONDS / 60} min at most: ${display(authorize)}`,
      `# on ${s.host}: ${display(peerFetchCommand({ dir, path: s.path, mode: s.mode ?? '0644', address: s.from.address, port: s.from.port, user: '<login user>', timeoutMs: fetchTimeoutMs(s.size), hostKey: `<type> <${s.from.host}'s host key as the controller verified it>` }))}`,
      `# on ${s.from.host}, always: ${display(peerRevokeCommand('apim-deploy-peer-<random>'))}`,
      `# on ${s.host}, always: ${display(peerCleanupCommand(dir, s.path))}`,
      `${verifyDisplay(s.path)}  # must be ${shortSha(s.sha256)}, then stamped`,
      `# when the copy fails: put-file ${s.localPath} ${s.path} mode=${s.mode ?? '0644'} from the controller`,
    ];
  },
  async apply(s, ctx) {
    if (await alreadyThere(s, ctx.transport, ctx.signal)) return { status: 'unchanged', reason: `already uploaded (sha256 ${shortSha(s.sha256)})` };
    try {
      const warnings = await copyFromPeer(s, ctx);
      return { status: 'changed', reason: `${s.reason}: copied from ${s.from.host}`, warnings };
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      const last = err instanceof RemoteError ? err.detail.trim().split('\n').at(-1) : undefined;
      const why = [(err as Error).message, last].filter(Boolean).join(': ');
      // The failed copy may have left the artifact whole (a step after its check failed): the fallback looks first.
      const { from: _from, awaits: _awaits, absentWhenPlanned: _absent, ...fields } = s;
      const upload: StepOf<'upload-artifact'> = { ...fields, kind: 'upload-artifact' };
      const outcome = await uploadArtifact.apply(upload, ctx);
      return { ...outcome, warnings: [...(outcome.warnings ?? []), `peer copy from ${s.from.host} failed (${why}): uploaded from the controller instead`] };
    }
  },
};
