import { lockHost, readLock, forceRelease } from './deploy-lock.js';
import { describeHolder, staleReason, type LockHolder } from './holder.js';
import type { Inventory } from '../model/inventory.js';
import type { Transport } from '../transport/transport.js';

/** `lock status`: one line saying who holds the deployment's lock (and whether it is stale), or that nobody does. */
export async function lockStatus(inv: Inventory, transportFor: (host: string) => Transport): Promise<{ locked: boolean; line: string; holder: LockHolder | { raw: string } | null }> {
  const host = lockHost(inv);
  const found = await readLock(transportFor(host));
  if (!found) return { locked: false, line: `${inv.name}: not locked (lock host ${host})`, holder: null };
  const why = 'raw' in found.holder ? null : staleReason(found.holder, found.ageMs);
  const age = found.ageMs === null ? '' : `, lease renewed ${Math.round(found.ageMs / 1000)} s ago`;
  return {
    locked: true, holder: found.holder,
    line: `${inv.name}: locked on ${host} by ${describeHolder(found.holder)}${age}${why ? `; stale (${why}): the next run takes it over` : ''}`,
  };
}

/** `lock release`: removes a stale lock, and says whose it was. */
export async function lockRelease(inv: Inventory, transportFor: (host: string) => Transport): Promise<string> {
  const host = lockHost(inv);
  const t = transportFor(host);
  const found = await readLock(t);
  if (!found) return `${inv.name}: not locked (lock host ${host})`;
  await forceRelease(t);
  return `${inv.name}: released the lock on ${host} held by ${describeHolder(found.holder)}`;
}
