import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';

/** Who holds the deploy lock: written into the lock file, shown to whoever finds it taken. */
export interface LockHolder {
  /** Random: only the run that took the lock releases it. */
  readonly token: string;
  /** `user@controller-host`. */
  readonly owner: string;
  /** `upgrade --to 4.6.0`, `provision`, `rollback`. */
  readonly command: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly inventory: string;
  /** The controller's host name and boot id, and when its process started (/proc): a dead or reused PID shows. */
  readonly controller?: string;
  readonly boot?: string;
  readonly pidStart?: string;
  /** The holder touches the lock file at least this often; older than this, the lock is stale (lock host's clock). */
  readonly leaseMs?: number;
}

/** `user@host` of this controller: who a lock or an audit line names. */
export function whoAmI(): string {
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep $USER
  }
  return `${user}@${hostname()}`;
}

const readOr = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
};

/** This boot of this machine (Linux); undefined elsewhere. */
export const bootId = (): string | undefined => readOr('/proc/sys/kernel/random/boot_id');

/** When process `pid` started, in clock ticks since boot (Linux /proc/PID/stat field 22); undefined: no such process. */
export function processStart(pid: number): string | undefined {
  const stat = readOr(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

export function newHolder(command: string, inventory: string, leaseMs: number, now: Date = new Date()): LockHolder {
  const boot = bootId();
  const pidStart = processStart(process.pid);
  return {
    token: randomUUID(), owner: whoAmI(), command, pid: process.pid, startedAt: now.toISOString(), inventory,
    controller: hostname(), ...(boot ? { boot } : {}), ...(pidStart ? { pidStart } : {}), leaseMs,
  };
}

/** The lock file's content back; anything unreadable (a lock being written, a hand-made file) is kept raw. */
export function parseHolder(text: string): LockHolder | { readonly raw: string } {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.token === 'string' && typeof v.owner === 'string' && typeof v.command === 'string') {
      const opt = <K extends keyof LockHolder>(k: K, type: string) => (typeof v[k] === type ? { [k]: v[k] } : {});
      return {
        token: v.token, owner: v.owner, command: v.command, pid: Number(v.pid), startedAt: String(v.startedAt), inventory: String(v.inventory),
        ...opt('controller', 'string'), ...opt('boot', 'string'), ...opt('pidStart', 'string'), ...opt('leaseMs', 'number'),
      };
    }
  } catch {
    // fall through
  }
  return { raw: text.trim() };
}

/** One line for messages: "root@ctl (pid 4242) running `upgrade --to 4.6.0` since 2025-…". */
export function describeHolder(h: LockHolder | { readonly raw: string }): string {
  if ('raw' in h) return h.raw === '' ? 'an unknown holder (empty lock file)' : `an unknown holder: ${h.raw.slice(0, 200)}`;
  return `${h.owner} (pid ${h.pid}) running \`${h.command}\` since ${h.startedAt}`;
}

/**
 * Why a holder is certainly gone, or null while it may still run: its lease ran out (`ageMs`: since it last touched
 * the lock, by the lock host's clock), or it ran on this controller and its process is not there any more (the
 * machine rebooted, the PID is dead, or another process has it now).
 */
export function staleReason(h: LockHolder, ageMs: number | null, here = { host: hostname(), boot: bootId(), alive: processAlive, start: processStart }): string | null {
  if (h.leaseMs !== undefined && ageMs !== null && ageMs > h.leaseMs) {
    return `its lease ran out: last renewed ${Math.round(ageMs / 1000)} s ago (lease ${Math.round(h.leaseMs / 1000)} s)`;
  }
  if ((h.controller ?? h.owner.slice(h.owner.lastIndexOf('@') + 1)) !== here.host) return null;
  if (h.boot && here.boot && h.boot !== here.boot) return `this controller (${here.host}) rebooted since`;
  if (!here.alive(h.pid)) return `pid ${h.pid} is not running on this controller (${here.host})`;
  const start = here.start(h.pid);
  if (h.pidStart && start && start !== h.pidStart) return `pid ${h.pid} on this controller (${here.host}) is another process now`;
  return null;
}

/** A zombie (exited, not yet reaped) counts as dead. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = readOr(`/proc/${pid}/stat`);
  return stat === undefined || stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}
