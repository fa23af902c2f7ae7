import type { HostRecap } from '../model/events.js';
import type { HostName } from '../model/inventory.js';
import type { StepResult } from './result.js';

/**
 * Per-host counts, Ansible style: `ok` counts every step that succeeded (changed ones included),
 * an unreachable failure counts as unreachable rather than failed.
 */
export function buildRecap(hosts: readonly HostName[], results: readonly StepResult[]): HostRecap[] {
  return hosts.map((host) => {
    const mine = results.filter((r) => r.host === host);
    const count = (pred: (r: StepResult) => boolean): number => mine.filter(pred).length;
    const ran = mine.filter((r) => r.durationMs > 0 || r.status !== 'skipped');
    const start = Math.min(...ran.map((r) => r.startedAt));
    const end = Math.max(...ran.map((r) => r.startedAt + r.durationMs));
    return {
      host,
      ok: count((r) => r.status === 'ok' || r.status === 'changed' || r.status === 'unchanged'),
      changed: count((r) => r.status === 'changed'),
      unchanged: count((r) => r.status === 'unchanged'),
      failed: count((r) => r.status === 'failed' && !r.unreachable),
      blocked: count((r) => r.status === 'blocked'),
      skipped: count((r) => r.status === 'skipped'),
      unreachable: count((r) => r.status === 'failed' && r.unreachable === true),
      durationMs: ran.length > 0 ? Math.round(end - start) : 0,
    };
  });
}
