import { hostname } from 'node:os';
import { ApimDeployError, EXIT, RemoteError } from '../errors.js';
import type { Clock } from '../model/clock.js';
import type { Inventory } from '../model/inventory.js';
import type { Transport } from '../transport/transport.js';
import { describeHolder, newHolder, parseHolder, type LockHolder } from './holder.js';
import { acquireCommand, forceReleaseCommand, HELD_EXIT, LOCK_FILE, readCommand, releaseCommand } from './lock-commands.js';

const POLL_MS = 1000;

/** Another run holds the deploy lock (and `--lock-wait` ran out). */
export class DeployLockedError extends ApimDeployError {
  readonly exitCode = EXIT.failure;
  constructor(readonly lockHost: string, readonly holder: LockHolder | { readonly raw: string }, inventory: string) {
    super(`${lockHost}: the deployment is locked by ${describeHolder(holder)}${staleNote(holder)}`,
      `wait for it (--lock-wait SECONDS), or when that run is gone: apim-deploy lock release -i ${inventory}`);
  }
}

/** A lock taken from this very controller by a process that no longer exists is certainly stale: say so. */
function staleNote(h: LockHolder | { readonly raw: string }): string {
  if ('raw' in h || !h.owner.endsWith(`@${hostname()}`)) return '';
  try {
    process.kill(h.pid, 0);
    return '';
  } catch {
    return ` (stale: pid ${h.pid} is not running on this controller)`;
  }
}

/** The host that carries the lock: the first control plane (or all-in-one) node, else the first host. */
export function lockHost(inv: Inventory): string {
  return inv.roles['control-plane']?.[0] ?? inv.roles['all-in-one']?.[0] ?? inv.hosts[0]!.name;
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
  /** Lock file on the host (default LOCK_FILE). */
  readonly path?: string;
}

/** Takes the lock, or waits up to waitMs for it, or throws DeployLockedError naming the holder. */
export async function acquireLock(opts: LockOptions): Promise<LockHolder> {
  const holder = newHolder(opts.command, opts.inventory);
  const deadline = opts.clock.now() + (opts.waitMs ?? 0);
  let told = false;
  for (;;) {
    const r = await opts.transport.exec(acquireCommand(JSON.stringify(holder), opts.path), opts.signal);
    if (r.exitCode === 0) return holder;
    if (r.exitCode !== HELD_EXIT) throw new RemoteError(opts.transport.host, `cannot take the deploy lock ${LOCK_FILE}`, r.stderr.trim());
    const current = parseHolder(r.stdout);
    if (opts.clock.now() >= deadline) throw new DeployLockedError(opts.transport.host, current, opts.inventory);
    if (!told) opts.onWait?.(describeHolder(current));
    told = true;
    await opts.clock.sleep(POLL_MS, opts.signal);
  }
}

/** Gives the lock back (only if it is still ours). Never throws: a failed release is a warning for the operator. */
export async function releaseLock(transport: Transport, holder: LockHolder, path = LOCK_FILE): Promise<string | null> {
  try {
    const r = await transport.exec(releaseCommand(holder.token, path));
    return r.exitCode === 0 ? null : `could not release the deploy lock on ${transport.host}: ${r.stderr.trim()}`;
  } catch (err) {
    return `could not release the deploy lock on ${transport.host}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * Runs `fn` holding the lock and releases it on every way out: success, failure, Ctrl-C (the callers turn SIGINT
 * into an abort and unwind through here).
 */
export async function withDeployLock<T>(opts: LockOptions & { readonly onWarning?: (w: string) => void }, fn: (holder: LockHolder) => Promise<T>): Promise<T> {
  const holder = await acquireLock(opts);
  try {
    return await fn(holder);
  } finally {
    const warning = await releaseLock(opts.transport, holder, opts.path);
    if (warning) opts.onWarning?.(warning);
  }
}

/** `lock status`: the holder, or null when the deployment is not locked. */
export async function readLock(transport: Transport, path = LOCK_FILE): Promise<LockHolder | { readonly raw: string } | null> {
  const r = await transport.exec(readCommand(path));
  if (r.exitCode !== 0) return null;
  return parseHolder(r.stdout);
}

/** `lock release`: removes whatever lock is there. */
export async function forceRelease(transport: Transport, path = LOCK_FILE): Promise<void> {
  const r = await transport.exec(forceReleaseCommand(path));
  if (r.exitCode !== 0) throw new RemoteError(transport.host, `cannot remove ${LOCK_FILE}`, r.stderr.trim());
}
