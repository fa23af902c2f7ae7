import { describe, expect, it } from 'vitest';
import { defaultRoleCatalog } from '../../../src/catalog/roles.js';
import type { Inventory } from '../../../src/model/inventory.js';
import { buildNodeContext } from '../../../src/topology/context.js';
import { balancerUpstreams } from '../../../src/topology/load-balancer.js';
import { loadExample } from '../render/examples.js';

const pos = { file: 'x.yaml', line: 1, col: 1 };
async function pattern2(balancer: 'nginx' | 'haproxy', traffic?: 'green'): Promise<Inventory> {
  const inv = await loadExample('pattern-2');
  const green = ['apim-1', 'apim-2', 'gw-1', 'gw-2'].map((blue, i) => ({ blue, name: `${blue}-green`, address: `10.30.9.${11 + i}`, pos }));
  const nodes = inv.nodes.map((n) => (n.host === 'lb-1' ? { ...n, vars: { ...n.vars, load_balancer: balancer } } : n));
  return { ...inv, nodes, green, ...(traffic ? { traffic } : {}) };
}
/** Each client upstream's servers, `address:port` with ` down` for a server out of service. */
async function upstreams(inv: Inventory): Promise<Record<string, string[]>> {
  const lb = buildNodeContext(inv, defaultRoleCatalog(), { host: 'lb-1', role: 'load-balancer' }).loadBalancer!;
  return Object.fromEntries(balancerUpstreams(lb).map((u) => [u.name, u.servers.map((s) => `${s.endpoint}${s.down ? ' down' : ''}`)]));
}

describe('which side a balancer sends clients to (migrate switch)', () => {
  it('nginx: blue\'s nodes until the switch; after it every client upstream names the green partners, nothing else', async () => {
    const before = await upstreams(await pattern2('nginx'));
    const after = await upstreams(await pattern2('nginx', 'green'));
    expect(before['apim_gateway_http']).toEqual(['10.30.2.11:8280', '10.30.2.12:8280']);
    expect(after['apim_gateway_http']).toEqual(['10.30.9.13:8280', '10.30.9.14:8280']);
    expect(Object.values(after).flat().some((s) => s.startsWith('10.30.1.') || s.startsWith('10.30.2.'))).toBe(false);
    expect(Object.keys(after)).toEqual(Object.keys(before));
  });
  it('HAProxy: both sides listed in blue-then-green order, the side not serving disabled, so the runtime API can switch them', async () => {
    const before = await upstreams(await pattern2('haproxy'));
    const after = await upstreams(await pattern2('haproxy', 'green'));
    expect(before['apim_gateway_http']).toEqual(['10.30.2.11:8280', '10.30.2.12:8280', '10.30.9.13:8280 down', '10.30.9.14:8280 down']);
    expect(after['apim_gateway_http']).toEqual(['10.30.2.11:8280 down', '10.30.2.12:8280 down', '10.30.9.13:8280', '10.30.9.14:8280']);
    expect(before['apim_portals']!.filter((s) => !s.endsWith(' down')).every((s) => s.startsWith('10.30.1.'))).toBe(true);
  });
});
