import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../../src/model/inventory.js';
import { renderInventory, type RenderedNode } from '../../../src/render/render-inventory.js';
import { balancerUpstreams } from '../../../src/topology/load-balancer.js';
import type { LoadBalancerContext } from '../../../src/topology/types.js';
import { deploymentTomls, examplesWith, fileOf, loadExample } from '../render/examples.js';

const balancers = (nodes: readonly RenderedNode[]) => nodes.filter((n) => n.role === 'load-balancer');
const lbOf = (n: RenderedNode): LoadBalancerContext => n.context.loadBalancer!;

/** nginx.conf's `server { ... }` blocks, keyed by their first listen port. */
function serverBlocks(conf: string): Map<number, string> {
  const blocks = conf.split('\n    server {').slice(1).map((b) => b.split('\n    }')[0]!);
  return new Map(blocks.map((b) => [Number(/listen (\d+)/.exec(b)![1]), b]));
}

describe.each(await examplesWith('load-balancer'))('WebSocket through the load balancers of %s', (name) => {
  it('ws and wss upstreams list the same nodes as the gateway traffic upstreams, on each node\'s own ws/wss port', async () => {
    const nodes = renderInventory(await loadExample(name));
    for (const lb of balancers(nodes)) {
      const { gatewayHttps, gatewayWs, gatewayWss } = lbOf(lb);
      if (gatewayHttps === null) {
        expect([gatewayWs, gatewayWss]).toEqual([null, null]);
        continue;
      }
      const offsetOf = (s: { node: { host: string; role: string } }) =>
        nodes.find((n) => n.host === s.node.host && n.role === s.node.role)!.context.offset;
      expect(gatewayWs!.servers.map((s) => s.node)).toEqual(gatewayHttps.servers.map((s) => s.node));
      expect(gatewayWss!.servers.map((s) => s.node)).toEqual(gatewayHttps.servers.map((s) => s.node));
      for (const s of gatewayWs!.servers) expect(s.port).toBe(9099 + offsetOf(s));
      for (const s of gatewayWss!.servers) expect(s.port).toBe(8099 + offsetOf(s));
      expect([gatewayWs!.listen, gatewayWs!.tls, gatewayWss!.listen, gatewayWss!.tls]).toEqual([9099, false, 8099, true]);
      expect(balancerUpstreams(lbOf(lb)).filter((u) => u.websocket).map((u) => u.name)).toEqual(['apim_gateway_ws', 'apim_gateway_wss']);
    }
  });

  it('only the ws/wss servers pass Upgrade on; every other server keeps Connection "" for upstream keep-alive', async () => {
    const nodes = renderInventory(await loadExample(name));
    for (const lb of balancers(nodes)) {
      if (lb.files.some((f) => f.path === '/etc/haproxy/haproxy.cfg')) {
        // HAProxy in HTTP mode passes an upgrade on by itself: ws/wss get a frontend and a long tunnel timeout.
        const cfg = fileOf(nodes, lb.host, '/etc/haproxy/haproxy.cfg');
        const ws = lbOf(lb).gatewayWs !== null;
        expect(cfg.includes('frontend apim_gateway_ws\n    bind :9099\n')).toBe(ws);
        expect(cfg.includes('frontend apim_gateway_wss\n    bind :8099 ssl crt ')).toBe(ws);
        expect(cfg.split('timeout tunnel 1h').length - 1).toBe(ws ? 2 : 0);
        continue;
      }
      const conf = fileOf(nodes, lb.host, '/etc/nginx/nginx.conf');
      const blocks = serverBlocks(conf);
      const ws = lbOf(lb).gatewayWs !== null;
      expect(conf.includes('map $http_upgrade $connection_upgrade')).toBe(ws);
      for (const [port, block] of blocks) {
        const isWs = port === 9099 || port === 8099;
        expect(block.includes('proxy_set_header Upgrade $http_upgrade;'), `server on ${port}`).toBe(isWs);
        expect(block.includes('proxy_set_header Connection $connection_upgrade;'), `server on ${port}`).toBe(isWs);
        if (port !== 80) expect(block.includes('proxy_set_header Connection "";'), `server on ${port}`).toBe(!isWs);
      }
      if (!ws) continue;
      expect(blocks.get(8099)).toContain('listen 8099 ssl;');
      expect(blocks.get(8099)).toContain('proxy_pass https://apim_gateway_wss;');
      expect(blocks.get(9099)).toContain('proxy_pass http://apim_gateway_ws;');
      expect(blocks.get(9099)).toMatch(/proxy_read_timeout 1h;/);
    }
  });

  it('environments advertise ws/wss on the balancer\'s 9099/8099 when their gateways are behind it', async () => {
    const nodes = renderInventory(await loadExample(name));
    // How clients name a balancer fronting gateways: its address or the public hostname its servers answer to.
    const fronting = new Set(balancers(nodes).flatMap((lb) => (lbOf(lb).gatewayWs ? [lb.context.address, lbOf(lb).gatewayWs!.serverName] : [])));
    let viaBalancer = 0;
    for (const [node, toml] of deploymentTomls(nodes)) {
      for (const env of (toml.apim?.gateway?.environment ?? []) as Record<string, string>[]) {
        const [ws, wss, https] = [env['ws_endpoint']!, env['wss_endpoint']!, env['https_endpoint']!].map((u) => new URL(u));
        expect([ws!.hostname, wss!.hostname], node).toEqual([https!.hostname, https!.hostname]);
        if (!fronting.has(ws!.hostname)) continue;
        viaBalancer++;
        expect([ws!.port, wss!.port], `${node} ${env['name']}`).toEqual(['9099', '8099']);
      }
    }
    expect(viaBalancer).toBeGreaterThan(0);
  });
});

describe('a gateway at a port offset behind the balancer', () => {
  it('is reached on its shifted ws/wss ports; the environment still names the balancer\'s 9099/8099', async () => {
    const lab = await loadExample('lab');
    const inv: Inventory = { ...lab, nodes: lab.nodes.map((n) => (n.host === 'gw-2' && n.role === 'gateway' ? { ...n, offset: 3 } : n)) };
    const nodes = renderInventory(inv);
    const lb = lbOf(balancers(nodes)[0]!);
    expect(lb.gatewayWs!.servers.map((s) => s.endpoint)).toEqual(['10.213.7.15:9099', '10.213.7.16:9102']);
    expect(lb.gatewayWss!.servers.map((s) => s.endpoint)).toEqual(['10.213.7.15:8099', '10.213.7.16:8102']);
    const env = deploymentTomls(nodes).get('cp-1/control-plane')!.apim.gateway.environment[0];
    expect([env.ws_endpoint, env.wss_endpoint]).toEqual(['ws://10.213.7.17:9099', 'wss://10.213.7.17:8099']);
  });

  it('drained, it is marked down in the ws/wss upstreams too', async () => {
    const nodes = renderInventory(await loadExample('lab'), { drained: [{ host: 'gw-2', role: 'gateway' }] });
    // The lab's balancer is HAProxy: a drained server is rendered disabled (a reload keeps it out).
    const cfg = fileOf(nodes, 'lb-1', '/etc/haproxy/haproxy.cfg');
    for (const [backend, port] of [['apim_gateway_ws', 9099], ['apim_gateway_wss', 8099]] as const) {
      const block = cfg.split(`\nbackend ${backend}\n`)[1]!.split('\n\n')[0]!;
      expect(block).toMatch(new RegExp(`server 10\\.213\\.7\\.15:${port} 10\\.213\\.7\\.15:${port} [^\\n]*check(?![^\\n]*disabled)`));
      expect(block).toMatch(new RegExp(`server 10\\.213\\.7\\.16:${port} 10\\.213\\.7\\.16:${port} [^\\n]* disabled`));
    }
  });
});
