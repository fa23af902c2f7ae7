import { systemClock } from '../../health/index.js';
import { appendAudit, auditRecord, DeployLockedError, lockHost, withDeployLock, type AuditRecord } from '../../lock/index.js';
import type { Inventory } from '../../model/inventory.js';
import type { Transport } from '../../transport/transport.js';
import { RemoteError } from '../../errors.js';
import { connect } from './connect.js';

export interface LockedRunOptions {
  readonly inventory: Inventory;
  readonly transports: ReadonlyMap<string, Transport>;
  /** As the audit log and the lock show it: `upgrade --to 4.6.0`. */
  readonly command: string;
  readonly lockWaitMs?: number;
  readonly signal?: AbortSignal;
  readonly notice: (text: string) => void;
}

/**
 * Runs `fn` under the deployment's lock (on its lock host); a refusal is written to the audit log before it
 * is thrown, so the log shows who tried while someone else held it.
 */
export async function lockedRun<T>(o: LockedRunOptions, fn: () => Promise<T>): Promise<T> {
  const host = lockHost(o.inventory);
  const own = o.transports.get(host);
  // `--limit` may leave the lock host out of the run: connect to it for the lock alone.
  const extra = own ? null : await connect(o.inventory.hosts.filter((h) => h.name === host));
  const transport = own ?? extra?.transports.get(host);
  if (!transport) {
    await extra?.close();
    throw new RemoteError(host, `cannot reach the lock host to take the deploy lock: ${extra?.unreachable.get(host)?.message ?? 'not connected'}`);
  }
  try {
    return await withDeployLock({
      transport, command: o.command, inventory: o.inventory.file, waitMs: o.lockWaitMs ?? 0, clock: systemClock,
      ...(o.signal ? { signal: o.signal } : {}), onWait: (h) => o.notice(`waiting for the deploy lock held by ${h}`), onWarning: o.notice,
    }, fn);
  } catch (err) {
    if (err instanceof DeployLockedError) {
      await appendAudit([transport], o.inventory.file, auditRecord({ command: o.command, inventory: o.inventory.file, plan: '-', outcome: 'refused', detail: err.message }));
    }
    throw err;
  } finally {
    await extra?.close();
  }
}

/**
 * lockedRun plus the audit trail every changing command leaves: a `started` line with the plan's summary, then
 * the outcome from the exit code (130 = interrupted).
 */
export async function auditedRun<T extends { readonly exitCode: number }>(o: LockedRunOptions, plan: string, fn: () => Promise<T>): Promise<T> {
  return lockedRun(o, async () => {
    const line = (outcome: AuditRecord['outcome'], detail?: string) => appendAudit(o.transports.values(), o.inventory.file,
      auditRecord({ command: o.command, inventory: o.inventory.file, plan, outcome, ...(detail ? { detail } : {}) })).then((w) => w.forEach(o.notice));
    await line('started');
    try {
      const result = await fn();
      await line(result.exitCode === 0 ? 'ok' : result.exitCode === 130 ? 'interrupted' : 'failed', `exit ${result.exitCode}`);
      return result;
    } catch (err) {
      await line('failed', err instanceof Error ? err.message : String(err));
      throw err;
    }
  });
}
