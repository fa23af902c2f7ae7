import { defaultRoleCatalog, type RoleCatalog } from '../../catalog/roles.js';
import type { Inventory } from '../../model/inventory.js';
import { controlPlaneDoor, gatewayDoor, gatewayMembers, url } from '../../topology/doors.js';
import { MemberIndex } from '../../topology/members.js';

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
export function deploymentUrls(inv: Inventory, catalog: RoleCatalog = defaultRoleCatalog()): ServiceUrl[] {
  const index = new MemberIndex(inv, catalog);
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
      const port = cp.door.port(index.lbPort('portals'), 'https');
      add('Publisher portal', url('https', cp.door.host, port, '/publisher'), dc);
      add('Developer portal', url('https', cp.door.host, port, '/devportal'), dc);
      add('Control plane version (admin service)', url('https', cp.door.host, port, '/services/Version'), dc);
    }
    const gw = gatewayDoor(index, dc);
    if (gw && gatewayMembers(index, dc).length > 0) {
      add('Gateway sample API (HTTPS)', url('https', gw.host, gw.port(index.lbPort('gateway_https'), 'passthrough_https'), '/echo'), dc);
      add('Gateway sample API (HTTP)', url('http', gw.host, gw.port(index.lbPort('gateway_http'), 'passthrough_http'), '/echo'), dc);
    }
  }
  return out;
}
