import { describe, expect, it } from 'vitest';
import { defaultRoleCatalog } from '../../../src/catalog/roles.js';
import type { FileContent } from '../../../src/model/plan.js';
import { renderInventory } from '../../../src/render/render-inventory.js';
import { balancerChanges } from '../../../src/workflows/rollout/balancer.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';
import { loadExample } from '../render/examples.js';

const OLD = 'a'.repeat(64);

/** A run over an example inventory whose every host answers sha256sum with OLD. */
async function balancerRun(name: string) {
  const inventory = await loadExample(name);
  const catalog = defaultRoleCatalog();
  const transports = new Map(inventory.hosts.map((h) => [h.name, new RecordingTransport(h.name).on('sha256sum', { stdout: `${OLD}  file\n` })]));
  return { inventory, catalog, rendered: renderInventory(inventory, { catalog }), contents: new Map<string, FileContent>(), transports };
}

describe('balancer changes of a rollout batch', () => {
  it.each(['pattern-3', 'multi-dc-active-active'])('%s: each balancer proxying the batch gets exactly the config a full render with it drained gives', async (name) => {
    const ctx = await balancerRun(name);
    const gateways = ctx.rendered.filter((r) => r.role === 'gateway').map((r) => r.node);
    expect(gateways.length).toBeGreaterThan(0);
    for (const node of gateways) {
      const changes = await balancerChanges(ctx, [node], [node]);
      const full = renderInventory(ctx.inventory, { catalog: ctx.catalog, drained: [node] }).filter((r) => r.role === 'load-balancer');
      const proxying = full.filter((lb) => lb.context.loadBalancer!.gatewayHttps?.servers.some((s) => s.node.host === node.host));
      expect(changes.map((c) => c.host)).toEqual(proxying.map((lb) => lb.host));
      for (const c of changes) {
        const expected = proxying.find((lb) => lb.host === c.host)!.files[0]!;
        expect(c.runtime).toBeNull();
        expect(c.config!.sha256).toBe(expected.sha256);
        expect(c.config!.sha256).not.toBe(ctx.rendered.find((r) => r.host === c.host && r.role === 'load-balancer')!.files[0]!.sha256);
        expect(ctx.contents.get(c.config!.sha256)?.content).toBe(expected.content);
        expect(c.config!.expectSha256).toBe(OLD);
        expect(c.nodes.map((n) => n.node)).toEqual([node]);
      }
    }
  });

  it('undraining renders the balancer as the run rendered it, and only the balancers are read', async () => {
    const ctx = await balancerRun('pattern-3');
    const gw = ctx.rendered.find((r) => r.role === 'gateway')!.node;
    const [back] = await balancerChanges(ctx, [gw], []);
    const lb = ctx.rendered.find((r) => r.role === 'load-balancer')!;
    expect(back!.config!.sha256).toBe(lb.files[0]!.sha256);
    const asked = [...ctx.transports.values()].filter((t) => t.calls.length > 0).map((t) => t.host);
    expect(asked).toEqual([lb.host]);
  });
});
