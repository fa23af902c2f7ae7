/**
 * What a stopped run left, found from the hosts' answers (scripted: HAProxy's state, release links, PID files),
 * and the window that finishes it.
 */
import { describe, expect, it } from 'vitest';
import { defaultRoleCatalog } from '../../../src/catalog/roles.js';
import type { FileContent } from '../../../src/model/plan.js';
import { renderInventory } from '../../../src/render/render-inventory.js';
import { findLeftovers, finishWindow } from '../../../src/workflows/rollout/recover.js';
import { runtimesAt } from '../../../src/workflows/run/runtime-at.js';
import type { RunContext } from '../../../src/workflows/run/open-run.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';
import { loadExample } from '../render/examples.js';

const REL = (role: string, v: string) => `/opt/wso2/${role}/releases/${v}-aaaaaaaa`;

/** lab.yaml (HAProxy): gw-1 held out and stopped with 4.6.0 current, gw-2 held out and running, the rest in order. */
async function labRun() {
  const inventory = await loadExample('lab');
  const catalog = defaultRoleCatalog();
  const rendered = renderInventory(inventory, { catalog });
  const address = (h: string) => inventory.hosts.find((x) => x.name === h)!.address;
  const state = ['apim_gateway_https', 'apim_gateway_http', 'apim_gateway_management']
    .flatMap((u) => ['gw-1', 'gw-2'].map((g) => `${u}/${address(g)}:${u === 'apim_gateway_http' ? 8280 : u === 'apim_gateway_https' ? 8243 : 9443} ${g === 'gw-1' ? 'maint down' : 'maint up'}`));
  const transports = new Map(inventory.hosts.map((h) => {
    const t = new RecordingTransport(h.name);
    t.on('show servers state', { stdout: `${state.join('\n')}\napim_portals/${address('cp-1')}:9443 ready up\n` });
    t.on(/releases \//, (cmd) => {
      const dirs = cmd.argv.slice(4).map(String);
      return { stdout: dirs.map((d) => {
        const role = d.split('/')[3]!;
        const cur = h.name === 'gw-1' ? REL(role, '4.6.0') : REL(role, '4.5.0');
        return `role\t${d}\ncurrent\t${cur}\nprevious\t${REL(role, h.name === 'gw-1' ? '4.5.0' : '4.4.0')}\nrelease\t1\t${REL(role, '4.5.0')}\nrelease\t2\t${REL(role, '4.6.0')}\n`;
      }).join('') };
    });
    t.on('pid-alive', h.name === 'gw-1' ? { exitCode: 1 } : { stdout: '4242\n' });
    return [h.name, t];
  }));
  const ctx = { inventory, catalog, rendered, contents: new Map<string, FileContent>(), transports, runtimeAt: runtimesAt(inventory, catalog, rendered) };
  return ctx as unknown as RunContext & { transports: Map<string, RecordingTransport> };
}

describe('leftovers of a stopped run', () => {
  it('are the nodes a balancer holds out and the installed nodes not running, read from the hosts', async () => {
    const ctx = await labRun();
    const { leftovers, unread } = await findLeftovers(ctx);
    expect(unread).toEqual([]);
    expect(leftovers.map((l) => [`${l.node.host}/${l.node.role}`, l.running, l.heldOut.length])).toEqual([
      ['gw-1/gateway', false, 1], ['gw-2/gateway', true, 1],
    ]);
    expect(leftovers[0]!.heldOut[0]).toMatch(/^lb-1: apim_gateway_https\/[\d.]+:8243 maint, apim_gateway_http\/[\d.]+:8280 maint, apim_gateway_management\/[\d.]+:9443 maint$/);
  });

  it('are finished: a stopped node is started on its current release and gated, a running one only gated; the way back is previous', async () => {
    const ctx = await labRun();
    const { leftovers } = await findLeftovers(ctx);
    const w = finishWindow(ctx, leftovers, 30_000);
    expect(w.steps.map((s) => `${s.host} ${s.kind}`)).toEqual(['gw-1 start-component', 'gw-1 wait-healthy', 'gw-2 wait-healthy']);
    expect(w.steps[0]).toMatchObject({ argv: ['runuser', '-u', 'wso2carbon', '--', '/opt/wso2/gateway/current/bin/gateway.sh', 'start'] });
    expect(w.failed(leftovers[0]!.node)).toBe('gw-1/gateway: 4.6.0 did not pass its gate; going back to 4.5.0');
    const back = await w.revert([leftovers[0]!.node]);
    expect(back.steps.filter((s) => s.kind === 'link').map((s) => s.kind === 'link' && s.target)).toEqual([REL('gateway', '4.5.0')]);
    expect(back.steps.map((s) => s.kind)).toEqual(['stop-component', 'link', 'start-component', 'wait-healthy']);
  });
});
