import { EXIT } from '../../errors.js';
import type { NodeRef } from '../../model/inventory.js';
import type { Rollout } from './roll-windows.js';

/** The release a node ran before the run and runs after it. */
export interface NodeVersions {
  readonly node: NodeRef;
  readonly before: string | null;
  readonly after: string | null;
  /** 'switched' | 'restarted' | 'rolled back' | 'unchanged' | 'broken' (out of the load balancer, not healthy) | 'unreachable'. */
  readonly outcome: string;
}

export function nodeOutcome(node: NodeRef, rollout: Rollout | null, before: string | null, after: string | null): string {
  const has = (list: readonly NodeRef[]) => list.some((n) => n.host === node.host && n.role === node.role);
  for (const b of rollout?.batches ?? []) {
    if (has(b.unreachable)) return 'unreachable';
    if (has(b.broken)) return 'broken';
    if (has(b.rolledBack)) return 'rolled back';
    if (has(b.switched)) return before === after ? 'restarted' : 'switched';
  }
  return 'unchanged';
}

/** The recap operators read at the end: one line per node, old and new version. */
export function formatVersions(rows: readonly NodeVersions[]): string[] {
  const name = (r: NodeVersions) => `${r.node.host}/${r.node.role}`;
  const w = Math.max(4, ...rows.map((r) => name(r).length));
  const v = (s: string | null) => (s ?? '-').padEnd(8);
  return [
    `${'NODE'.padEnd(w)}  ${'BEFORE'.padEnd(8)}  ${'AFTER'.padEnd(8)}  OUTCOME`,
    ...rows.map((r) => `${name(r).padEnd(w)}  ${v(r.before)}  ${v(r.after)}  ${r.outcome}`),
  ];
}

/** For the audit log: `gw-1/gateway 4.5.0→4.6.0, …`. */
export const versionsDetail = (rows: readonly NodeVersions[]): string =>
  rows.map((r) => `${r.node.host}/${r.node.role} ${r.before ?? '-'}→${r.after ?? '-'}`).join(', ');

/** 0 done; 5 a node failed its gate (rolled back); 1 a node is left broken or a stage failed; 4 a host was lost; 130 Ctrl-C. */
export function rolloutExitCode(rollout: Rollout): number {
  if (rollout.batches.some((b) => b.unreachable.length > 0)) return EXIT.remote;
  if (rollout.batches.some((b) => b.broken.length > 0)) return EXIT.failure;
  if (rollout.batches.some((b) => b.rolledBack.length > 0)) return EXIT.healthTimeout;
  if (rollout.interrupted) return 130;
  if (rollout.stoppedBecause) return EXIT.failure;
  return EXIT.ok;
}
