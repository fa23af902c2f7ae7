/** What status says of a rollout that stopped half way: drained, half-switched and mixed-version nodes, with the repair. */
import { describe, expect, it } from 'vitest';
import { formatStatus, type StatusNodeView } from '../../../src/ui/status-table.js';
import { leftoversOf } from '../../../src/workflows/status/leftovers.js';
import type { NodeStatus } from '../../../src/workflows/status/node-status.js';

const node = (host: string, role: string, version: string, over: Partial<NodeStatus> = {}): NodeStatus => ({
  host, role: role as NodeStatus['role'], address: '10.0.0.1', kind: 'wso2', unreachable: null, release: `${version}-a85b5ced`, version,
  versionDiffers: version !== '4.6.0', process: { state: 'running', pid: 10 }, health: { healthy: true, checks: [] }, drift: [], awaitsVaultPassword: false, ok: version === '4.6.0', ...over,
});
const INV = 'inventories/prod.yaml';

describe('status leftovers', () => {
  const nodes = [
    node('gw-1', 'gateway', '4.6.0'), node('gw-2', 'gateway', '4.6.0', { process: { state: 'stopped', pid: null } }), node('gw-3', 'gateway', '4.5.0'),
    node('cp-1', 'control-plane', '4.6.0'), node('lb-1', 'load-balancer', '', { kind: 'service', release: null, version: null, versionDiffers: false }),
  ];
  const held = [{ balancer: 'lb-1', node: { host: 'gw-2', role: 'gateway' as const }, servers: ['apim_gateway_http/10.0.0.6:8280 maint'] }];
  const found = leftoversOf(nodes, held, '4.6.0', INV);

  it('a drained, stopped node: held out, half-switched, repaired by a limited upgrade that finishes it', () => {
    expect(found.get('gw-2/gateway')).toEqual({
      heldOut: ['lb-1: apim_gateway_http/10.0.0.6:8280 maint'], halfSwitched: true, apartFromPeers: false,
      repair: `apim-deploy upgrade -i ${INV} --limit gw-2   (finishes or reverts what a stopped run left on gw-2, then puts it back once the balancer routes to it)`,
    });
  });
  it('a node on another version than the rest of its role; nothing left for nodes in order and for services', () => {
    expect(found.get('gw-3/gateway')).toMatchObject({ heldOut: [], halfSwitched: false, apartFromPeers: true });
    expect(found.get('gw-3/gateway')!.repair).toMatch(/^apim-deploy upgrade -i inventories\/prod\.yaml {3}\(every node to 4\.6\.0\), or apim-deploy rollback/);
    expect(found.get('gw-1/gateway')).toEqual({ heldOut: [], halfSwitched: false, apartFromPeers: false, repair: null });
    expect(found.get('lb-1/load-balancer')).toEqual({ heldOut: [], halfSwitched: false, apartFromPeers: false, repair: null });
  });
  it('is printed under the node with its repair', () => {
    const views: StatusNodeView[] = nodes.map((n) => ({ ...n, ...found.get(`${n.host}/${n.role}`)!, ok: found.get(`${n.host}/${n.role}`)!.repair === null && n.ok }));
    const out = formatStatus({ name: 'prod', pattern: '3', apimVersion: '4.6.0', nodes: views, urls: [], ok: false, balancersUnread: ['lb-2: not connected'] });
    expect(out).toContain([
      '  gw-2/gateway',
      '    DRAINED: held out of the load balancer on lb-1: apim_gateway_http/10.0.0.6:8280 maint',
      '    HALF-SWITCHED: 4.6.0-a85b5ced is `current` but not running (a switch stopped between stop and start?)',
      `    repair: apim-deploy upgrade -i ${INV} --limit gw-2   (finishes or reverts what a stopped run left on gw-2, then puts it back once the balancer routes to it)`,
    ].join('\n'));
    expect(out).toContain('    MIXED VERSION: runs 4.5.0, unlike the other gateway nodes');
    expect(out).toContain('cannot read which nodes the balancer serves: lb-2: not connected');
  });

  it('a node on the peers\' version from another pack (an update level) is apart too, and said so', () => {
    const mixed = [node('gw-1', 'gateway', '4.6.0', { release: '4.6.0-0badf00d' }), node('gw-2', 'gateway', '4.6.0'), node('gw-3', 'gateway', '4.6.0')];
    const left = leftoversOf(mixed, [], '4.6.0', INV);
    expect(left.get('gw-1/gateway')).toMatchObject({ apartFromPeers: true, sameVersionOtherPack: true });
    expect(left.get('gw-1/gateway')!.repair).toMatch(/^apim-deploy upgrade -i inventories\/prod\.yaml {3}\(every node to 4\.6\.0\), or apim-deploy rollback/);
    expect(left.get('gw-2/gateway')).toEqual({ heldOut: [], halfSwitched: false, apartFromPeers: false, repair: null });
    const views: StatusNodeView[] = mixed.map((n) => ({ ...n, ...left.get(`${n.host}/${n.role}`)!, ok: !left.get(`${n.host}/${n.role}`)!.apartFromPeers }));
    const out = formatStatus({ name: 'prod', pattern: '3', apimVersion: '4.6.0', nodes: views, urls: [], ok: false, balancersUnread: [] });
    expect(out).toContain('    MIXED RELEASE: runs 4.6.0-0badf00d, 4.6.0 from another pack (update level) than the other gateway nodes');
  });
});
