/**
 * `status` during a migration: the migration in one line, where each balancer sends clients, then blue and green
 * side by side, node by node. The shapes are what the lines read (the status workflow's migration view satisfies them).
 */
export interface SideNodeView {
  readonly host: string;
  readonly role: string;
  readonly state: 'not provisioned yet' | 'unreachable' | 'probed';
  readonly detail: string | null;
  readonly version: string | null;
  readonly healthy: boolean | null;
  /** Files that differ from what the side's own inventory renders; null: not read. */
  readonly drift?: number | null;
}

export interface MigrationView {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly window: 'read-only' | 'accept-loss';
  readonly phasesDone: readonly string[];
  readonly traffic: readonly { readonly balancer: string; readonly side: 'blue' | 'green' | 'both' | 'none' | 'unread'; readonly blue: readonly string[]; readonly green: readonly string[]; readonly detail?: string }[];
  readonly pairs: readonly { readonly blue: SideNodeView; readonly green: SideNodeView }[];
}

const SIDE = { blue: 'BLUE', green: 'GREEN', both: 'BOTH (blue and green servers in service)', none: 'NONE (no server in service)' } as const;

function cell(n: SideNodeView): string {
  if (n.state === 'not provisioned yet') return `${n.host}/${n.role}: not provisioned yet`;
  if (n.state === 'unreachable') return `${n.host}/${n.role}: UNREACHABLE (${n.detail ?? 'no answer'})`;
  const drift = n.drift ? `, ${n.drift} file(s) differ` : '';
  return `${n.host}/${n.role}: ${n.version ?? 'no release'}, ${n.healthy ? 'healthy' : 'UNHEALTHY'}${drift}`;
}

/** Lines appended to the status table; the widest blue cell sets the column. */
export function migrationLines(m: MigrationView): string[] {
  const lines = [
    '',
    `Migration ${m.id}: ${m.from} (blue) → ${m.to} (green), ${m.window === 'read-only' ? 'read-only window on blue' : 'design-time writes on blue accepted as lost'}; phases done: ${m.phasesDone.join(', ') || 'none'}`,
  ];
  for (const t of m.traffic) {
    lines.push(t.side === 'unread'
      ? `  traffic: ${t.balancer}: CANNOT READ its servers (${t.detail ?? 'no answer'})`
      : `  traffic: ${t.balancer} sends clients to ${SIDE[t.side]} (${t.blue.length} blue, ${t.green.length} green server(s) in service)`);
  }
  const left = m.pairs.map((p) => cell(p.blue));
  const width = Math.max(`blue (${m.from})`.length, ...left.map((l) => l.length));
  lines.push(`  ${`blue (${m.from})`.padEnd(width)}   green (${m.to})`);
  m.pairs.forEach((p, i) => lines.push(`  ${left[i]!.padEnd(width)}   ${cell(p.green)}`));
  return lines;
}
