import { lockHost, readLock, forceRelease } from './deploy-lock.js';
import { describeHolder, type LockHolder } from './holder.js';
import type { Inventory } from '../model/inventory.js';
import type { Transport } from '../transport/transport.js';

/** `lock status`: one line saying who holds the deployment's lock, or that nobody does. */
export async function lockStatus(inv: Inventory, transportFor: (host: string) => Transport): Promise<{ locked: boolean; line: string; holder: LockHolder | { raw: string } | null }> {
  const host = lockHost(inv);
  const holder = await readLock(transportFor(host));
  return holder
    ? { locked: true, line: `${inv.name}: locked on ${host} by ${describeHolder(holder)}`, holder }
    : { locked: false, line: `${inv.name}: not locked (lock host ${host})`, holder: null };
}

/** `lock release`: removes a stale lock, and says whose it was. */
export async function lockRelease(inv: Inventory, transportFor: (host: string) => Transport): Promise<string> {
  const host = lockHost(inv);
  const t = transportFor(host);
  const holder = await readLock(t);
  if (!holder) return `${inv.name}: not locked (lock host ${host})`;
  await forceRelease(t);
  return `${inv.name}: released the lock on ${host} held by ${describeHolder(holder)}`;
}
