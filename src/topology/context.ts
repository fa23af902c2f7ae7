import type { HostSpec, Inventory, NodeRef, RoleName } from '../model/inventory.js';
import { WSO2_ROLES } from '../model/inventory.js';
import { controlPlaneDoor, gatewayDoor } from './doors.js';
import { databaseServerContext } from './database.js';
import { rolePaths, STATE_DIR } from './layout.js';
import { loadBalancerContext } from './load-balancer.js';
import { MemberIndex } from './members.js';
import type { NodeContext } from './types.js';
import { nodeVars } from './vars.js';
import { wso2Context, wso2Ports } from './wso2.js';

export interface TopologyOptions {
  /** Nodes to mark `down` in load balancer upstreams (rolling upgrades drain one batch at a time). */
  readonly drained?: readonly NodeRef[];
}

/** Pure: the render context of every node (host + role) of the inventory, in host file order. */
export function buildNodeContexts(inv: Inventory, opts: TopologyOptions = {}): NodeContext[] {
  const index = new MemberIndex(inv);
  return index.allNodes().map(({ host, role }) => nodeContext(index, host, role, opts));
}

/** Pure: the render context of one node. */
export function buildNodeContext(inv: Inventory, node: NodeRef, opts: TopologyOptions = {}): NodeContext {
  const index = new MemberIndex(inv);
  return nodeContext(index, index.hostSpec(node.host), node.role, opts);
}

function nodeContext(index: MemberIndex, host: HostSpec, role: RoleName, opts: TopologyOptions): NodeContext {
  const dc = host.datacenter ?? null;
  const self = index.member(host, role);
  const isWso2 = WSO2_ROLES.includes(role);
  const vars = nodeVars(index.inv, host, role);
  const ports = wso2Ports(isWso2 ? self : { port: (b: number) => b });
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
    offset: isWso2 ? self.offset : 0,
    ports,
    vars,
    paths: rolePaths(vars.installDir, role),
    stateDir: STATE_DIR,
    publicHost,
    wso2: isWso2 ? wso2Context(index, self, dc, vars, ports) : null,
    loadBalancer: role === 'load-balancer' ? loadBalancerContext(index, dc, publicHost, opts.drained ?? []) : null,
    databaseServer: role === 'database' ? databaseServerContext(index, self) : null,
  };
}
