import { ApimDeployError, EXIT, RemoteError } from '../errors.js';
import type { Clock } from '../model/clock.js';
import type { Inventory } from '../model/inventory.js';
import type { Transport } from '../transport/transport.js';
import { describeHolder, newHolder, parseHolder, staleReason, type LockHolder } from './holder.js';
import {
  acquireCommand, auditProblem, forceReleaseCommand, HELD_EXIT, LOCK_FILE, NOT_THEIRS_EXIT, readCommand, releaseCommand, renewCommand, splitAge,
  takeOverCommand, type LockAuditLines,
} from './lock-commands.js';

const POLL_MS = 1000;
/** A holder renews its lease this often; a lock untouched for LEASE_MS is stale. */
export const LEASE_MS = 60_000;
export const RENEW_MS = 15_000;

/** Another run holds the deploy lock (and `--lock-wait` ran out). */
export class DeployLockedError extends ApimDeployError {
  readonly exitCode = EXIT.failure;
  constructor(readonly lockHost: string, readonly holder: LockHolder | { readonly raw: string }, inventory: string) {
    super(`${lockHost}: the deployment is locked by ${describeHolder(holder)}`,
      `wait for it (--lock-wait SECONDS); a run that died is taken over once its lease (${LEASE_MS / 1000} s) runs out, or at once from the controller it ran on; to force it: apim-deploy lock release -i ${inventory}`);
  }
}

/** The host that carries the lock: the first control plane (or all-in-one) node, else the first host. */
export function lockHost(inv: Inventory): string {
  return inv.roles['control-plane']?.[0] ?? inv.roles['all-in-one']?.[0] ?? inv.hosts[0]!.name;
}

/** A stale holder the lock was taken from, and why it was stale. */
export interface TakeOver {
  readonly previous: LockHolder;
  readonly why: string;
}

/**
 * Audit lines the lock host records in the commands that take and give back the lock: one command each instead of
 * two. Best effort, as every audit line: a line not written is told to `onProblem`, the lock goes on.
 */
export interface LockAudit {
  /** The lock host's audit log. */
  readonly file: string;
  /** Asked at each attempt to take the lock (so each carries its own time): the lines to append once it is ours. */
  readonly onTake: (tookOver?: TakeOver) => string;
  /** Asked when the lock is given back: the lines to append first (empty: none). */
  readonly onRelease: () => string;
  readonly onProblem: (problem: string) => void;
}

export interface LockOptions {
  readonly transport: Transport;
  readonly command: string;
  readonly inventory: string;
  /** How long to wait for a held lock before refusing (0: refuse at once). */
  readonly waitMs?: number;
  readonly clock: Clock;
  readonly signal?: AbortSignal;
  readonly onWait?: (holder: string) => void;
  /** A stale lock was taken over: whose, and why it was stale. */
  readonly onTakeOver?: (previous: LockHolder, why: string) => void | Promise<void>;
  /** Lock file on the host (default LOCK_FILE). */
  readonly path?: string;
  readonly leaseMs?: number;
  /** Judges a holder stale (default staleReason: lease run out, or a dead process on this controller). */
  readonly isStale?: (holder: LockHolder, ageMs: number | null) => string | null;
  readonly audit?: LockAudit;
}

const auditLines = (audit: LockAudit | undefined, lines: string): LockAuditLines | undefined =>
  (audit && lines !== '' ? { file: audit.file, lines } : undefined);

const tellAuditProblem = (audit: LockAudit | undefined, host: string, out: string): void => {
  const problem = auditProblem(out);
  if (problem !== null) audit?.onProblem(`${host}: audit log not written: ${problem}`);
};

/** Takes the lock, takes over a stale one, or waits up to waitMs, or throws DeployLockedError naming the holder. */
export async function acquireLock(opts: LockOptions): Promise<LockHolder> {
  const holder = newHolder(opts.command, opts.inventory, opts.leaseMs ?? LEASE_MS);
  const json = JSON.stringify(holder);
  const deadline = opts.clock.now() + (opts.waitMs ?? 0);
  const stale = opts.isStale ?? ((h: LockHolder, age: number | null) => staleReason(h, age));
  let told = false;
  for (;;) {
    const r = await opts.transport.exec(acquireCommand(json, opts.path, auditLines(opts.audit, opts.audit?.onTake() ?? '')), opts.signal);
    if (r.exitCode === 0) {
      tellAuditProblem(opts.audit, opts.transport.host, r.stdout);
      return holder;
    }
    if (r.exitCode !== HELD_EXIT) throw new RemoteError(opts.transport.host, `cannot take the deploy lock ${LOCK_FILE}`, r.stderr.trim());
    const { text, ageMs } = splitAge(r.stdout);
    const current = parseHolder(text);
    const why = 'raw' in current ? null : stale(current, ageMs);
    if (why !== null && !('raw' in current)) {
      const lines = auditLines(opts.audit, opts.audit?.onTake({ previous: current, why }) ?? '');
      const t = await opts.transport.exec(takeOverCommand(json, current.token, opts.path, lines), opts.signal);
      if (t.exitCode === 0) {
        tellAuditProblem(opts.audit, opts.transport.host, t.stdout);
        await opts.onTakeOver?.(current, why);
        return holder;
      }
      if (t.exitCode !== NOT_THEIRS_EXIT) throw new RemoteError(opts.transport.host, `cannot take over the stale deploy lock ${LOCK_FILE}`, t.stderr.trim());
      continue; // someone else changed it meanwhile: look again
    }
    if (opts.clock.now() >= deadline) throw new DeployLockedError(opts.transport.host, current, opts.inventory);
    if (!told) opts.onWait?.(describeHolder(current));
    told = true;
    await opts.clock.sleep(POLL_MS, opts.signal);
  }
}

/**
 * Gives the lock back (only if it is still ours), after appending the audit's closing lines whatever became of it.
 * Never throws: a failed release is a warning for the operator.
 */
export async function releaseLock(transport: Transport, holder: LockHolder, path = LOCK_FILE, audit?: LockAudit): Promise<string | null> {
  const lines = auditLines(audit, audit?.onRelease() ?? '');
  try {
    const r = await transport.exec(releaseCommand(holder.token, path, lines));
    tellAuditProblem(audit, transport.host, r.stdout);
    if (r.exitCode === 0) return null;
    if (r.exitCode === NOT_THEIRS_EXIT) return `the deploy lock on ${transport.host} was no longer ours (released by hand, or taken over after our lease ran out)`;
    return `could not release the deploy lock on ${transport.host}: ${r.stderr.trim()}`;
  } catch (err) {
    const unwritten = lines ? ' (nor write the run\'s last audit line there)' : '';
    return `could not release the deploy lock on ${transport.host}${unwritten}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Renews the lease while `fn` runs; a renewal that fails is told once (the run goes on: stopping half way is worse). */
function keepLease(opts: LockOptions & { readonly onWarning?: (w: string) => void }, holder: LockHolder): () => void {
  let warned = false;
  const timer = setInterval(() => {
    void opts.transport.exec(renewCommand(holder.token, opts.path)).then((r) => r.exitCode, () => -1).then((code) => {
      if (code === 0 || warned) return;
      warned = true;
      opts.onWarning?.(code === NOT_THEIRS_EXIT
        ? `the deploy lock on ${opts.transport.host} is no longer ours: someone released it or took it over`
        : `could not renew the deploy lock's lease on ${opts.transport.host}; another run may take it over after ${Math.round((holder.leaseMs ?? LEASE_MS) / 1000)} s`);
    });
  }, Math.min(RENEW_MS, Math.max(1000, (holder.leaseMs ?? LEASE_MS) / 4)));
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Runs `fn` holding the lock, renewing its lease, and releases it on every way out: success, failure, Ctrl-C (the
 * callers turn SIGINT into an abort and unwind through here).
 */
export async function withDeployLock<T>(opts: LockOptions & { readonly onWarning?: (w: string) => void }, fn: (holder: LockHolder) => Promise<T>): Promise<T> {
  const holder = await acquireLock(opts);
  const stop = keepLease(opts, holder);
  try {
    return await fn(holder);
  } finally {
    stop();
    const warning = await releaseLock(opts.transport, holder, opts.path, opts.audit);
    if (warning) opts.onWarning?.(warning);
  }
}

/** `lock status`: the holder and the lock's age, or null when the deployment is not locked. */
export async function readLock(transport: Transport, path = LOCK_FILE): Promise<{ holder: LockHolder | { readonly raw: string }; ageMs: number | null } | null> {
  const r = await transport.exec(readCommand(path));
  if (r.exitCode !== 0) return null;
  const { text, ageMs } = splitAge(r.stdout);
  return { holder: parseHolder(text), ageMs };
}

/** `lock release`: removes whatever lock is there. */
export async function forceRelease(transport: Transport, path = LOCK_FILE): Promise<void> {
  const r = await transport.exec(forceReleaseCommand(path));
  if (r.exitCode !== 0) throw new RemoteError(transport.host, `cannot remove ${LOCK_FILE}`, r.stderr.trim());
}
