import { isAlive } from './processes.js';
import { sshBanner, waitForSsh, waitForSshInside } from './ssh-probe.js';
import type { LabHost } from './state.js';

/**
 * Waits until sshd answers on the host: polled from the controller, or from inside the host's own namespace when
 * it is behind a bastion (the controller cannot reach it).
 */
export function sshAnswers(h: Pick<LabHost, 'address' | 'internal' | 'sshd'>, timeoutMs: number): Promise<boolean> {
  if (h.internal && h.sshd) return waitForSshInside(h.sshd.pid, h.address, timeoutMs);
  return waitForSsh(h.address, timeoutMs);
}

/**
 * Healthy = both recorded processes alive and sshd answering. A just-killed sshd can look alive for a moment,
 * and a probe to a dead host waits for its timeout, so the probe races a watch on the process.
 */
export async function isHealthy(h: LabHost): Promise<boolean> {
  const sshd = h.sshd;
  if (sshd === null || !isAlive(sshd) || !isAlive(h.unshare)) return false;
  const watch = new AbortController();
  const died = (async () => {
    while (!watch.signal.aborted && isAlive(sshd)) await new Promise((r) => setTimeout(r, 20));
    return false;
  })();
  const probe = h.internal ? waitForSshInside(sshd.pid, h.address, 5000) : sshBanner(h.address, 5000);
  const answered = await Promise.race([probe, died]);
  watch.abort();
  return answered;
}
