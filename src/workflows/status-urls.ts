import type { Inventory } from '../model/inventory.js';
import { controlPlaneDoor, gatewayDoor, gatewayMembers, url } from '../topology/doors.js';
import { MemberIndex } from '../topology/members.js';
import { LB_PORTS } from '../topology/types.js';

export interface ServiceUrl {
  readonly label: string;
  readonly url: string;
  /** null in single-datacenter patterns. */
  readonly datacenter: string | null;
}

/**
 * The URLs a person opens or curls, per datacenter: the portals and the admin Version service through the control
 * plane's door, the sample API through the gateway's door (the load balancer when there is one, else the first node
 * on its own port) — the same doors the rendered configs point at.
 */
export function deploymentUrls(inv: Inventory): ServiceUrl[] {
  const index = new MemberIndex(inv);
  const seen = new Set<string>();
  const out: ServiceUrl[] = [];
  const add = (label: string, href: string, datacenter: string | null) => {
    if (seen.has(href)) return;
    seen.add(href);
    out.push({ label, url: href, datacenter });
  };
  for (const dc of index.datacenters) {
    const cp = controlPlaneDoor(index, dc);
    if (cp.door && cp.dc === dc) {
      const port = cp.door.port(LB_PORTS.portals, 9443);
      add('Publisher portal', url('https', cp.door.host, port, '/publisher'), dc);
      add('Developer portal', url('https', cp.door.host, port, '/devportal'), dc);
      add('Control plane version (admin service)', url('https', cp.door.host, port, '/services/Version'), dc);
    }
    const gw = gatewayDoor(index, dc);
    if (gw && gatewayMembers(index, dc).length > 0) {
      add('Gateway sample API (HTTPS)', url('https', gw.host, gw.port(LB_PORTS.gatewayHttps, 8243), '/echo'), dc);
      add('Gateway sample API (HTTP)', url('http', gw.host, gw.port(LB_PORTS.gatewayHttp, 8280), '/echo'), dc);
    }
  }
  return out;
}
