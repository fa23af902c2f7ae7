import { nodeTls } from './own-tls.js';
import type { RoleCatalog } from '../catalog/roles.js';
import { isWso2Role } from '../catalog/variants.js';
import { clientsOnGreen, type HostSpec, type Inventory, type NodeRef, type RoleName } from '../model/inventory.js';
import { controlPlaneDoor, gatewayDoor } from './doors.js';
import { databaseServerContext } from './database.js';
import { rolePaths, STATE_DIR } from './layout.js';
import { loadBalancerContext } from './load-balancer.js';
import { MemberIndex } from './members.js';
import type { NodeContext } from './types.js';
import { wso2Context } from './wso2.js';

export interface TopologyOptions {
  /** Nodes to mark `down` in load balancer upstreams (rolling upgrades drain one batch at a time). */
  readonly drained?: readonly NodeRef[];
}

/** Pure: the render context of every node (host + role) of the inventory, in host file order. */
export function buildNodeContexts(inv: Inventory, catalog: RoleCatalog, opts: TopologyOptions = {}): NodeContext[] {
  const index = new MemberIndex(inv, catalog);
  return index.allNodes().map(({ host, role }) => nodeContext(index, host, role, opts));
}

/** Pure: the render context of one node. */
export function buildNodeContext(inv: Inventory, catalog: RoleCatalog, node: NodeRef, opts: TopologyOptions = {}): NodeContext {
  const index = new MemberIndex(inv, catalog);
  return nodeContext(index, index.hostSpec(node.host), node.role, opts);
}

function nodeContext(index: MemberIndex, host: HostSpec, role: RoleName, opts: TopologyOptions): NodeContext {
  const dc = host.datacenter ?? null;
  const self = index.member(host, role);
  const vars = self.node.vars;
  const ports = Object.fromEntries(Object.keys(index.catalog[role].ports).map((name) => [name, self.port(name)]));
  const publicHost = {
    controlPlane: controlPlaneDoor(index, dc).door?.host ?? host.address,
    gateway: gatewayDoor(index, dc)?.host ?? host.address,
  };
  return {
    node: { host: host.name, role },
    host: host.name,
    role,
    datacenter: dc,
    inventoryName: index.inv.name,
    pattern: index.inv.pattern,
    apimVersion: index.inv.apim.version,
    address: host.address,
    offset: self.offset,
    ports,
    vars,
    paths: rolePaths(vars.install_dir, role),
    stateDir: STATE_DIR,
    publicHost,
    wso2: isWso2Role(index.catalog[role]) ? wso2Context(index, self, dc) : null,
    loadBalancer: role === 'load-balancer' ? loadBalancerContext(index, dc, publicHost, opts.drained ?? [], host.address, vars.load_balancer) : null,
    databaseServer: role === 'database' ? databaseServerContext(index, self) : null,
    clients: clientsOnGreen(index.inv.traffic, dc) ? 'green' : 'blue',
    migration: (index.inv.green ?? []).length > 0,
    tls: nodeTls(index.inv.pki, vars),
  };
}
