import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteError } from '../../../src/errors.js';
import type { HostSpec } from '../../../src/model/inventory.js';
import { renderInventory } from '../../../src/render/render-inventory.js';
import { provision } from '../../../src/workflows/provision.js';
import { provisionRolling } from '../../../src/workflows/provision-rolling.js';
import { openRun, type RunNeeds } from '../../../src/workflows/run/open-run.js';
import { openPlannedRun } from '../../../src/workflows/run/planned-run.js';
import { HOST_PROBE_SCRIPT, hostProbeArgv } from '../../../src/facts/index.js';
import { FakeHost, fakeConnections, freshHosts as freshFakes } from '../dry-run/fake-hosts.js';
import { workspace, type Workspace } from '../dry-run/inventory.js';

/** A host probe of one file, as a status-like command would ask it ahead. */
const statusReadsAheadProbe = (host: string): string[] => hostProbeArgv({ files: [`/opt/${host}.txt`], links: [], pidFiles: [] });

const HOSTS = ['aio-1', 'gw-1', 'lb-1'];
let ws: Workspace;

beforeAll(async () => {
  ws = await workspace();
  ws.write();
}, 60_000);
afterAll(() => ws.remove());

/** fakeConnections that also records which hosts each call asked for. */
function recorded(down: readonly string[] = [], systemdOn: readonly string[] = [], scriptRuns: Readonly<Record<string, string>> = {}) {
  const asked: string[][] = [];
  // A host that runs systemd answers the init-system fact as sd_booted(3) would (/run/systemd/system exists); a node
  // the start script already runs there is named after it.
  const answer = (h: string) => `systemd\n${scriptRuns[h] ? `script-installed ${scriptRuns[h]}\n` : ''}`;
  const host = (h: string) => (systemdOn.includes(h) ? new FakeHost(h).on('/run/systemd/system', { stdout: answer(h) }) : new FakeHost(h));
  const open = fakeConnections(new Map(HOSTS.map((h) => [h, host(h)])), down);
  return { asked, open: (hosts: readonly HostSpec[]) => (asked.push(hosts.map((h) => h.name)), open(hosts)) };
}

const NEEDS: RunNeeds = { artifacts: 'hash', connect: 'limited', unreachable: 'stop' };

describe('the run context every command opens', () => {
  it('connects each host once; --limit narrows the connections only when the command asks for it', async () => {
    for (const [connect, expected] of [['limited', ['gw-1']], ['every', HOSTS]] as const) {
      const c = recorded();
      const ctx = await openRun({ inventory: ws.inventory, limit: 'gw-*', openConnections: c.open }, { ...NEEDS, connect });
      expect(c.asked).toEqual([expected]);
      expect([...ctx.limited!]).toEqual(['gw-1']);
      expect(ctx.desired.map((d) => d.host.name)).toEqual(HOSTS);
      await ctx.close();
    }
  });

  it('an unreachable host stops the run, or is reported when the command only looks', async () => {
    await expect(openRun({ inventory: ws.inventory, openConnections: recorded(['lb-1']).open }, NEEDS)).rejects.toThrow(/cannot reach 1 of 3 host/);
    const ctx = await openRun({ inventory: ws.inventory, openConnections: recorded(['lb-1']).open }, { ...NEEDS, unreachable: 'report' });
    expect([...ctx.unreachable.keys()]).toEqual(['lb-1']);
    expect([...ctx.transports.keys()]).toEqual(['aio-1', 'gw-1']);
    await ctx.close();
  });

  it('without artifacts nothing is hashed or planned (status, rollback), yet every node is rendered', async () => {
    const bare = await openRun({ inventory: ws.inventory, openConnections: recorded().open }, { ...NEEDS, artifacts: 'none' });
    expect(bare.desired).toEqual([]);
    expect(Object.keys(bare.inputs.artifacts)).toEqual([]);
    expect(bare.rendered.map((r) => r.host)).toEqual(['aio-1', 'aio-1', 'gw-1', 'lb-1']);
    await bare.close();
  });

  it('runtimeAt resolves another version as a full render at that version would, and the run\'s own version from its rendering', async () => {
    const ctx = await openRun({ inventory: ws.inventory, openConnections: recorded().open }, NEEDS);
    const at45 = renderInventory({ ...ctx.inventory, apim: { ...ctx.inventory.apim, version: '4.5.0' } }, { catalog: ctx.catalog });
    for (const r of ctx.rendered) {
      expect(ctx.runtimeAt('4.5.0', r.node)).toEqual(at45.find((x) => x.host === r.host && x.role === r.role)!.runtime);
      expect(ctx.runtimeAt(ctx.inventory.apim.version, r.node)).toBe(r.runtime);
    }
    expect(ctx.runtimeAt('4.5.0', { host: 'gw-1', role: 'control-plane' })).toBeUndefined();
    await ctx.close();
  });
});

describe('which hosts each changing command connects', () => {
  it('provision --limit connects the limited hosts; provision --rolling --limit every host, so balancers outside the limit drain', async () => {
    const plain = recorded(HOSTS);
    await expect(provision({ inventory: ws.inventory, limit: 'gw-1', openConnections: plain.open })).rejects.toThrow(RemoteError);
    expect(plain.asked).toEqual([['gw-1']]);
    const rolling = recorded(HOSTS);
    await expect(provisionRolling({ inventory: ws.inventory, limit: 'gw-1', openConnections: rolling.open })).rejects.toThrow(/cannot reach 3 of 3/);
    expect(rolling.asked).toEqual([HOSTS]);
  });

  it('an unset service_manager becomes systemd on a host that runs systemd, and only there; the unit is rendered and enabled', async () => {
    const ctx = await openRun({ inventory: ws.inventory, openConnections: recorded([], ['gw-1']).open }, NEEDS);
    const managers = ctx.inventory.nodes.map((n) => `${n.host}/${n.role}=${n.vars.service_manager}`);
    expect(managers).toEqual(['aio-1/database=script', 'aio-1/all-in-one=script', 'gw-1/gateway=systemd', 'lb-1/load-balancer=script']);
    expect(ctx.rendered.find((r) => r.host === 'gw-1')!.files.map((f) => f.path)).toContain('/etc/systemd/system/wso2am-gateway.service');
    expect(ctx.rendered.find((r) => r.host === 'aio-1' && r.role === 'all-in-one')!.files.map((f) => f.path).some((p) => p.startsWith('/etc/systemd/'))).toBe(false);
    expect(ctx.desired.find((d) => d.host.name === 'gw-1')!.nodes[0]!.runtime.start).toEqual(['systemctl', 'start', 'wso2am-gateway.service']);
    await ctx.close();
  });

  it('the service-manager read is each connection\'s first command: answered when the connection opens, no host is asked again', async () => {
    const hosts = new Map(HOSTS.map((h) => [h, new FakeHost(h)]));
    const base = fakeConnections(hosts, []);
    const firsts: string[] = [];
    const open = async (specs: readonly HostSpec[], first?: (h: HostSpec) => { argv: readonly string[]; onAnswer: (a: { exitCode: number | null; stdout: string }) => void } | undefined) => {
      const c = await base(specs);
      for (const h of specs) {
        const f = first?.(h);
        if (!f) continue;
        firsts.push(`${h.name}: ${f.argv.slice(0, 2).join(' ')}`);
        f.onAnswer({ exitCode: 0, stdout: h.name === 'gw-1' ? 'systemd\n' : '' });
      }
      return c;
    };
    const ctx = await openRun({ inventory: ws.inventory, openConnections: open }, NEEDS);
    expect(firsts.sort()).toEqual(['aio-1: sh -c', 'gw-1: sh -c', 'lb-1: sh -c']);
    expect([...hosts.values()].flatMap((h) => h.calls.filter((c) => c.op === 'exec' && c.line.includes('/run/systemd/system')))).toEqual([]);
    expect(ctx.inventory.nodes.map((n) => `${n.host}/${n.role}=${n.vars.service_manager}`))
      .toEqual(['aio-1/database=script', 'aio-1/all-in-one=script', 'gw-1/gateway=systemd', 'lb-1/load-balancer=script']);
    await ctx.close();
  });

  it('a node the start script already runs keeps it on a systemd host (systemctl could neither stop nor replace it)', async () => {
    const ctx = await openRun({ inventory: ws.inventory, openConnections: recorded([], HOSTS, { 'gw-1': 'gateway' }).open }, NEEDS);
    const managers = ctx.inventory.nodes.map((n) => `${n.host}/${n.role}=${n.vars.service_manager}`);
    expect(managers).toEqual(['aio-1/database=systemd', 'aio-1/all-in-one=systemd', 'gw-1/gateway=script', 'lb-1/load-balancer=systemd']);
    expect(ctx.desired.find((d) => d.host.name === 'gw-1')!.nodes[0]!.runtime.stop[0]).toBe('runuser');
    await ctx.close();
  });

  it('a service_manager written in the inventory wins over what the host runs', async () => {
    ws.write({ gwVars: 'service_manager: script' });
    try {
      const ctx = await openRun({ inventory: ws.inventory, openConnections: recorded([], HOSTS).open }, NEEDS);
      expect(ctx.inventory.nodes.find((n) => n.host === 'gw-1')!.vars.service_manager).toBe('script');
      expect(ctx.inventory.nodes.find((n) => n.host === 'aio-1' && n.role === 'all-in-one')!.vars.service_manager).toBe('systemd');
      await ctx.close();
    } finally {
      ws.write();
    }
  });
});

/**
 * What a host answers to a first command: a batch (transport/command-batch.ts, argv: sh -c SCRIPT NAME NONCE, then
 * each command count-prefixed) runs each command in turn on the fake host; anything else runs as it is.
 */
async function answerFirst(host: FakeHost, argv: readonly string[]): Promise<{ exitCode: number | null; stdout: string }> {
  if (argv[3] !== 'apim-deploy-batch') return host.exec({ argv: [...argv] });
  let out = '';
  for (let i = 5; i < argv.length;) {
    const n = Number(argv[i]);
    const r = await host.exec({ argv: argv.slice(i + 1, i + 1 + n) });
    out += `${r.stdout}\napim-deploy-batch-end ${argv[4]} ${r.exitCode}\n`;
    i += 1 + n;
  }
  return { exitCode: 0, stdout: out };
}

describe('state reads ahead (RunNeeds.readsAhead)', () => {
  const probes = (h: FakeHost) => h.calls.filter((c) => c.op === 'exec' && c.command.argv[2] === HOST_PROBE_SCRIPT).length;

  function opener(systemdOn: readonly string[] = []) {
    const hosts = new Map(HOSTS.map((h) => [h, systemdOn.includes(h) ? new FakeHost(h).on('/run/systemd/system', { stdout: 'systemd\n' }) : new FakeHost(h)]));
    const base = fakeConnections(hosts, []);
    const open = async (specs: readonly HostSpec[], first?: (h: HostSpec) => { argv: readonly string[]; onAnswer: (a: { exitCode: number | null; stdout: string }) => void } | undefined) => {
      const c = await base(specs);
      for (const h of specs) {
        const f = first?.(h);
        if (f) f.onAnswer(await answerFirst(hosts.get(h.name)!, f.argv));
        atOpen.set(h.name, probes(hosts.get(h.name)!));
      }
      return c;
    };
    const atOpen = new Map<string, number>();
    return { hosts, open, atOpen };
  }

  it('each host\'s probe rides on its connection\'s first command, and the plan asks no host again', async () => {
    const { hosts, open, atOpen } = opener();
    const planned = await openPlannedRun({ inventory: ws.inventory, openConnections: open, dryRun: true });
    expect(Object.fromEntries(atOpen)).toEqual({ 'aio-1': 1, 'gw-1': 1, 'lb-1': 1 });
    for (const h of hosts.values()) expect(probes(h)).toBe(1);
    // The plan is the one the hosts' answers give: a fresh estate, every step to do.
    expect(planned.plan.waves.flatMap((w) => w.steps).length).toBeGreaterThan(0);
    const asked = await openPlannedRun({ inventory: ws.inventory, openConnections: fakeConnections(freshFakes(), []), dryRun: true });
    const { createdAt: _, ...fromAhead } = planned.plan;
    const { createdAt: __, ...fromAsked } = asked.plan;
    expect(fromAhead).toEqual(fromAsked);
    await planned.ctx.close();
    await asked.ctx.close();
  });

  it('a host whose desired state moved once its service manager was known is probed again, for the state it must reach', async () => {
    const { hosts, open, atOpen } = opener(['gw-1']);
    const planned = await openPlannedRun({ inventory: ws.inventory, openConnections: open, dryRun: true });
    expect(Object.fromEntries(atOpen)).toEqual({ 'aio-1': 1, 'gw-1': 1, 'lb-1': 1 });
    expect(Object.fromEntries([...hosts].map(([n, h]) => [n, probes(h)]))).toEqual({ 'aio-1': 1, 'gw-1': 2, 'lb-1': 1 });
    expect(planned.state.get('gw-1')!.facts.files).toHaveProperty(['/etc/systemd/system/wso2am-gateway.service']);
    await planned.ctx.close();
  });

  it('a command that does not plan names its reads (readsAhead, status): each host in scope answers them when its connection opens', async () => {
    const { hosts, open, atOpen } = opener();
    const readsAhead = ({ rendered }: { readonly rendered: readonly { host: string }[] }) => new Map(rendered.map((r) => [r.host, [statusReadsAheadProbe(r.host)]]));
    const ctx = await openRun({ inventory: ws.inventory, openConnections: open, limit: 'gw-1,lb-1' },
      { artifacts: 'none', connect: 'limited', unreachable: 'report', readsAhead });
    expect(Object.fromEntries(atOpen)).toEqual({ 'gw-1': 1, 'lb-1': 1 });
    expect(probes(hosts.get('aio-1')!)).toBe(0);
    expect(ctx.early.take('gw-1', statusReadsAheadProbe('gw-1'))?.exitCode).toBe(0);
    await ctx.close();
  });

  it('with --verify nothing rides ahead: its probes re-hash every archive', async () => {
    const { hosts, open, atOpen } = opener();
    const planned = await openPlannedRun({ inventory: ws.inventory, openConnections: open, dryRun: true, verify: true });
    expect(Object.fromEntries(atOpen)).toEqual({ 'aio-1': 0, 'gw-1': 0, 'lb-1': 0 });
    for (const h of hosts.values()) {
      expect(probes(h)).toBe(1);
      expect(h.calls.some((c) => c.op === 'exec' && c.command.argv[3] === 'apim-deploy-batch')).toBe(false);
    }
    await planned.ctx.close();
  });
});

