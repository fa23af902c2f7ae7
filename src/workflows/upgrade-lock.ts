import { systemClock } from '../health/index.js';
import { appendAudit, auditRecord, DeployLockedError, lockHost, withDeployLock } from '../lock/index.js';
import type { Inventory } from '../model/inventory.js';
import type { Transport } from '../transport/transport.js';

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
  const transport = o.transports.get(host);
  if (!transport) throw new Error(`no connection to the lock host ${host}`);
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
  }
}
