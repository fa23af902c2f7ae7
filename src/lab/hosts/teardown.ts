import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RemoteError } from '../../errors.js';
import { deleteLinks, waitLinksGone } from './links.js';
import { unmountUnder } from './mounts.js';
import { killAndWait } from './processes.js';
import type { LabHost } from './state.js';

/**
 * Stops hosts by their recorded processes (PID and start time checked, never by name) and removes their
 * controller-side veths. Killing sshd, the host's PID 1, ends every process in the host and frees its namespaces.
 */
export async function stopHosts(hosts: readonly LabHost[]): Promise<void> {
  if (hosts.length === 0) return;
  const refs = hosts.flatMap((h) => (h.sshd ? [h.sshd, h.unshare] : [h.unshare]));
  const survivors = await killAndWait(refs);
  if (survivors.length > 0) {
    throw new RemoteError('controller', `lab processes ${survivors.map((r) => r.pid).join(', ')} survived SIGKILL`, '',
      'they may be stuck in the kernel (D state); check `ps -o pid,stat,wchan -p PID` and retry `lab down`');
  }
  // The kernel removes a dead host's veth itself, batching many namespaces in one cleanup pass: faster than
  // deleting them one by one. Only what is still there after that (a veth whose host never started) is deleted.
  const veths = hosts.flatMap((h) => (h.inner ? [h.veth, h.inner.veth] : [h.veth]));
  await deleteLinks(await waitLinksGone(veths, 3000));
  const stuck = await waitLinksGone(veths);
  if (stuck.length > 0) {
    throw new RemoteError('controller', `network interfaces ${stuck.join(', ')} are still present`, '', 'retry `lab down`');
  }
}

/** Deletes a lab directory tree, after making sure no mount hides below it (rm would walk into it). */
export async function removeTree(dir: string): Promise<void> {
  const stuck = await unmountUnder(dir);
  if (stuck.length > 0) {
    throw new RemoteError('controller', `cannot unmount ${stuck.join(', ')}`, '', `unmount them by hand, then remove ${dir}`);
  }
  // Unlinks are slow on this kind of disk (~3 ms each): delete the subtrees in parallel on libuv's thread pool.
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return; // already gone
  }
  await Promise.all(entries.map((e) => rm(join(dir, e), { recursive: true, force: true })));
  await rm(dir, { recursive: true, force: true });
}
