import { randomUUID } from 'node:crypto';
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

export function newHolder(command: string, inventory: string, now: Date = new Date()): LockHolder {
  return { token: randomUUID(), owner: whoAmI(), command, pid: process.pid, startedAt: now.toISOString(), inventory };
}

/** The lock file's content back; anything unreadable (a lock being written, a hand-made file) is kept raw. */
export function parseHolder(text: string): LockHolder | { readonly raw: string } {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.token === 'string' && typeof v.owner === 'string' && typeof v.command === 'string') {
      return { token: v.token, owner: v.owner, command: v.command, pid: Number(v.pid), startedAt: String(v.startedAt), inventory: String(v.inventory) };
    }
  } catch {
    // fall through
  }
  return { raw: text.trim() };
}

/** One line for messages: "root@ctl (pid 4242) runs `upgrade --to 4.6.0` since 2025-…". */
export function describeHolder(h: LockHolder | { readonly raw: string }): string {
  if ('raw' in h) return h.raw === '' ? 'an unknown holder (empty lock file)' : `an unknown holder: ${h.raw.slice(0, 200)}`;
  return `${h.owner} (pid ${h.pid}) running \`${h.command}\` since ${h.startedAt}`;
}
