/**
 * Which side of a migration a balancer sends clients to, from what its config (nginx) or runtime API (HAProxy) says
 * of its servers: pure, so it is unit-tested without a balancer.
 */
import type { ServerState } from '../../model/balancer-state.js';

export type TrafficSide = 'blue' | 'green' | 'both' | 'none';

export interface BalancerTraffic {
  readonly balancer: string;
  /** `unread`: the state command failed (see `detail`). */
  readonly side: TrafficSide | 'unread';
  /** Servers in service per side, `<upstream>/<address>:<port>`. */
  readonly blue: readonly string[];
  readonly green: readonly string[];
  readonly detail?: string;
}

/** `apim_gateway_http/[fd00::5]:8280` → `fd00::5`. */
export function serverAddress(id: string): string {
  const at = id.slice(id.indexOf('/') + 1, id.lastIndexOf(':'));
  return at.startsWith('[') ? at.slice(1, -1) : at;
}

/**
 * The side whose servers are in service (`ready`) in the upstreams clients reach (`clientUpstreams`: a green-only
 * verification listener does not count). Servers of neither side are ignored.
 */
export function trafficSide(balancer: string, states: ReadonlyMap<string, ServerState>, clientUpstreams: ReadonlySet<string>,
  blue: ReadonlySet<string>, green: ReadonlySet<string>): BalancerTraffic {
  const ready = [...states].filter(([id, s]) => s.admin === 'ready' && clientUpstreams.has(id.slice(0, id.indexOf('/')))).map(([id]) => id);
  const b = ready.filter((id) => blue.has(serverAddress(id)));
  const g = ready.filter((id) => green.has(serverAddress(id)));
  const side: TrafficSide = b.length > 0 ? (g.length > 0 ? 'both' : 'blue') : g.length > 0 ? 'green' : 'none';
  return { balancer, side, blue: b, green: g };
}
