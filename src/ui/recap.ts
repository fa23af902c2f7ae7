import type { HostRecap } from '../model/events.js';
import { formatDuration } from './format.js';

/** Ansible's PLAY RECAP, with blocked and duration: one aligned line per host. */
export function formatRecap(recap: readonly HostRecap[]): string[] {
  if (recap.length === 0) return ['PLAY RECAP', '  (no hosts needed changes)'];
  const width = Math.max(...recap.map((r) => r.host.length));
  const cell = (name: string, n: number): string => `${name}=${n}`.padEnd(name.length + 4);
  return [
    'PLAY RECAP',
    ...recap.map((r) =>
      [
        `${r.host.padEnd(width)} :`,
        cell('ok', r.ok),
        cell('changed', r.changed),
        cell('failed', r.failed),
        cell('blocked', r.blocked),
        cell('unreachable', r.unreachable),
        `duration=${formatDuration(r.durationMs)}`,
      ].join(' '),
    ),
  ];
}
