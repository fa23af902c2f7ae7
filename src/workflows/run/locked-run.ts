import { RemoteError } from '../../errors.js';
import { systemClock } from '../../health/index.js';
import {
  appendAudit, auditRecord, DeployLockedError, describeHolder, lockHost, REMOTE_AUDIT_LOG, withDeployLock, type AuditRecord, type LockAudit, type LockHolder,
} from '../../lock/index.js';
import type { HostName } from '../../model/inventory.js';
import type { RunContext } from './open-run.js';

/** What taking the lock needs from the run: the inventory, its connections, and a way to open the lock host's. */
export type LockContext = Pick<RunContext, 'inventory' | 'transports' | 'open'>;

export interface LockedRunOptions {
  /** As the audit log and the lock show it: `upgrade --to 4.6.0`. */
  readonly command: string;
  readonly lockWaitMs?: number;
  readonly signal?: AbortSignal;
  readonly notice: (text: string) => void;
  /**
   * The hosts whose audit log records the run: the ones it may change. Default: every connected host. The lock
   * host records every run either way; a host the run only reads (a no-op provision verifying its nodes) is left
   * alone, saving a sudo command per host at each end of the run.
   */
  readonly auditHosts?: ReadonlySet<HostName>;
}

/** The lock options a command passes on: how long to wait, and the signal that stops the wait. */
export const lockOptions = (opts: { readonly lockWaitMs?: number; readonly signal?: AbortSignal }): Pick<LockedRunOptions, 'lockWaitMs' | 'signal'> =>
  ({ ...(opts.lockWaitMs !== undefined ? { lockWaitMs: opts.lockWaitMs } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });

const takeOverDetail = (previous: LockHolder, why: string): string => `took over the deploy lock from ${describeHolder(previous)}: ${why}`;

/** An audit line about the lock itself (a take-over, a refusal), written before any plan runs. */
const lockEvent = (command: string, inventory: string, outcome: 'took-over' | 'refused', detail: string): AuditRecord =>
  auditRecord({ command, inventory, plan: '-', outcome, detail });

/**
 * Runs `fn` under the deployment's lock (on its lock host); a refusal is written to the audit log before it
 * is thrown, so the log shows who tried while someone else held it. `audit`: lines the lock's own commands write on
 * the lock host (auditedRun's), a take-over's included.
 */
export async function lockedRun<T>(ctx: LockContext, o: LockedRunOptions, fn: () => Promise<T>, audit?: LockAudit): Promise<T> {
  const host = lockHost(ctx.inventory);
  const own = ctx.transports.get(host);
  // `--limit` may leave the lock host out of the run: connect to it for the lock alone.
  const extra = own ? null : await ctx.open(ctx.inventory.hosts.filter((h) => h.name === host));
  const transport = own ?? extra?.transports.get(host);
  if (!transport) {
    await extra?.close();
    throw new RemoteError(host, `cannot reach the lock host to take the deploy lock: ${extra?.unreachable.get(host)?.message ?? 'not connected'}`);
  }
  const tookOver = async (previous: LockHolder, why: string) => {
    const detail = takeOverDetail(previous, why);
    o.notice(detail);
    if (!audit) await appendAudit([transport], ctx.inventory.file, lockEvent(o.command, ctx.inventory.file, 'took-over', detail));
  };
  try {
    return await withDeployLock({
      transport, command: o.command, inventory: ctx.inventory.file, waitMs: o.lockWaitMs ?? 0, clock: systemClock,
      ...(o.signal ? { signal: o.signal } : {}), onWait: (h) => o.notice(`waiting for the deploy lock held by ${h}`), onWarning: o.notice,
      onTakeOver: tookOver, ...(audit ? { audit } : {}),
    }, fn);
  } catch (err) {
    if (err instanceof DeployLockedError) {
      await appendAudit([transport], ctx.inventory.file, lockEvent(o.command, ctx.inventory.file, 'refused', err.message));
    }
    throw err;
  } finally {
    await extra?.close();
  }
}

/**
 * Writes one audit line, for `plan`, locally and on the connected hosts: `hosts` and the lock host when given, else
 * every one; failures to write become notices.
 */
export type AuditLine = (outcome: AuditRecord['outcome'], detail?: string) => Promise<void>;

export function auditLine(ctx: Pick<RunContext, 'inventory' | 'transports'>, command: string, plan: string, notice: (text: string) => void,
  hosts?: ReadonlySet<HostName>): AuditLine {
  const lock = lockHost(ctx.inventory);
  const transports = [...ctx.transports.values()].filter((t) => !hosts || hosts.has(t.host) || t.host === lock);
  return (outcome, detail) => appendAudit(transports, ctx.inventory.file,
    auditRecord({ command, inventory: ctx.inventory.file, plan, outcome, ...(detail ? { detail } : {}) })).then((w) => w.forEach(notice));
}

/** The outcome an exit code stands for in the audit log (130 = interrupted). */
export const auditOutcome = (exitCode: number): AuditRecord['outcome'] => (exitCode === 0 ? 'ok' : exitCode === 130 ? 'interrupted' : 'failed');

/**
 * lockedRun plus the audit trail every changing command leaves: a `started` line with the plan's summary, then
 * the outcome from the exit code. On the lock host the lines ride on the commands that take and give back the lock
 * (two commands fewer per run); the other hosts it may change, and the copy beside the inventory, are written here.
 */
export async function auditedRun<T extends { readonly exitCode: number }>(ctx: LockContext, o: LockedRunOptions, plan: string, fn: () => Promise<T>): Promise<T> {
  const lock = lockHost(ctx.inventory);
  const others = [...ctx.transports.values()].filter((t) => t.host !== lock && (!o.auditHosts || o.auditHosts.has(t.host)));
  const record = (outcome: AuditRecord['outcome'], detail?: string) =>
    auditRecord({ command: o.command, inventory: ctx.inventory.file, plan, outcome, ...(detail ? { detail } : {}) });
  const write = async (on: typeof others, r: AuditRecord) => (await appendAudit(on, ctx.inventory.file, r)).forEach(o.notice);
  const line = (r: AuditRecord) => `${JSON.stringify(r)}\n`;
  let tookOver: AuditRecord | undefined;
  let started: AuditRecord | undefined;
  let ended: AuditRecord | undefined;
  const audit: LockAudit = {
    file: REMOTE_AUDIT_LOG,
    // Each attempt under --lock-wait builds its lines afresh: `started` says when the lock was taken.
    onTake: (over) => {
      tookOver = over ? lockEvent(o.command, ctx.inventory.file, 'took-over', takeOverDetail(over.previous, over.why)) : undefined;
      started = record('started');
      return (tookOver ? line(tookOver) : '') + line(started);
    },
    onRelease: () => (ended ? line(ended) : ''),
    onProblem: o.notice,
  };
  return lockedRun(ctx, o, async () => {
    if (tookOver) await write([], tookOver);
    if (started) await write(others, started);
    try {
      const result = await fn();
      ended = record(auditOutcome(result.exitCode), `exit ${result.exitCode}`);
      return result;
    } catch (err) {
      ended = record('failed', err instanceof Error ? err.message : String(err));
      throw err;
    } finally {
      if (ended) await write(others, ended);
    }
  }, audit);
}
