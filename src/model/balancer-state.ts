/**
 * What a load balancer says of its servers: the output of its role's `balancer.state` command (roles/load-balancer),
 * one line per server, `<upstream>/<address>:<port> <ready|drain|maint> <up|down|->`.
 */
export interface ServerState {
  /** `ready`: in service; `drain`: health-checked, no new traffic; `maint`: no traffic at all (or `down` in nginx). */
  readonly admin: 'ready' | 'drain' | 'maint';
  /** As the balancer's own health checks see it; `unchecked`: the balancer does not check (nginx). */
  readonly health: 'up' | 'down' | 'unchecked';
}

const ADMIN = new Set(['ready', 'drain', 'maint']);
const HEALTH: Readonly<Record<string, ServerState['health']>> = { up: 'up', down: 'down', '-': 'unchecked' };

/** Pure parser; lines it cannot read are skipped (a balancer prints headers and blank lines). */
export function parseBalancerState(out: string): Map<string, ServerState> {
  const servers = new Map<string, ServerState>();
  for (const line of out.split('\n')) {
    const [id, admin, health] = line.trim().split(/\s+/);
    if (!id || !id.includes('/') || !admin || !ADMIN.has(admin) || !health || !HEALTH[health]) continue;
    servers.set(id, { admin: admin as ServerState['admin'], health: HEALTH[health]! });
  }
  return servers;
}

/** The `balancer.sessions` command's answer: requests in flight (or queued) per server, `<upstream>/<address>:<port> <n>`. */
export function parseSessions(out: string): Map<string, number> {
  const sessions = new Map<string, number>();
  for (const line of out.split('\n')) {
    const [id, n] = line.trim().split(/\s+/);
    if (id?.includes('/') && n !== undefined && /^\d+$/.test(n)) sessions.set(id, Number(n));
  }
  return sessions;
}

/** A server id as balancers name them: `<upstream>/<address>:<port>`. */
export const serverId = (upstream: string, address: string, port: number): string => `${upstream}/${address}:${port}`;
