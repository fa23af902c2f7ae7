import { defaultProber } from '../../health/index.js';
import type { RenderedNode } from '../../render/render-inventory.js';
import { openRun, type RunContext } from '../run/open-run.js';
import { hostStatus } from '../status/host-status.js';
import { listApiRecords, missingOnGreen, type ApiRecord } from './api-records.js';
import { greenRunOptions } from './green-run.js';
import type { GreenPhaseInput, PhaseOutcome } from './provision-green.js';

const PROBE_TIMEOUT_MS = 10_000;

/** `4.5.0-to-4.6.0-20261202T084700Z` → the time the migration started (its backups were taken after it). */
export function migrationStart(id: string): Date | null {
  const m = /(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(id);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : null;
}

/**
 * The nodes a deployment's balancers send the portals (Publisher) to: its control planes or all-in-ones. After the
 * switch blue's balancers name the green partners: each is read as the blue node it partners.
 */
function publisherNodes(ctx: Pick<RunContext, 'rendered' | 'inventory'>): RenderedNode[] {
  const blueOf = new Map((ctx.inventory.green ?? []).map((g) => [g.name, g.blue]));
  const refs = ctx.rendered.flatMap((r) => r.context.loadBalancer?.portals?.servers.map((s) => `${blueOf.get(s.node.host) ?? s.node.host}/${s.node.role}`) ?? []);
  return ctx.rendered.filter((r) => refs.includes(`${r.host}/${r.role}`));
}

async function records(ctx: RunContext, nodes: readonly RenderedNode[], signal?: AbortSignal): Promise<readonly ApiRecord[] | string> {
  for (const n of nodes) {
    const t = ctx.transports.get(n.host);
    if (!t) continue;
    return listApiRecords(t, n, signal);
  }
  return 'no connected publisher node';
}

/**
 * verify-green, before green takes any traffic: (1) every green node healthy by its role's checks, running --to and
 * in sync; (2) GET /echo through each balancer's green-only listener answered by --to; (3) every API record blue's
 * publisher listed when the migration started is listed by green's. Reads only; a problem stops the run with blue
 * still serving every client (its listeners were never changed).
 */
export async function verifyGreen({ opts, plan, balancers, notice }: GreenPhaseInput, blue: RunContext): Promise<PhaseOutcome> {
  const ctx = await openRun(greenRunOptions(opts, plan, 'verify'), { artifacts: 'none', connect: 'limited', unreachable: 'stop' });
  const problems: string[] = [];
  try {
    for (const g of plan.green) {
      const t = ctx.transports.get(g.name);
      const nodes = ctx.rendered.filter((r) => r.host === g.name);
      if (!t) { problems.push(`${g.name}: not connected`); continue; }
      for (const s of await hostStatus(plan.to, nodes, t, { prober: defaultProber, timeoutMs: PROBE_TIMEOUT_MS })) {
        const failed = s.health.checks.filter((c) => !c.healthy).map((c) => c.detail);
        if (!s.ok) problems.push(`${s.host}/${s.role}: ${[s.version !== plan.to ? `runs ${s.version ?? 'nothing'}, not ${plan.to}` : '', ...failed, s.drift.length > 0 ? `${s.drift.length} file(s) differ from green's inventory` : ''].filter(Boolean).join('; ') || 'not ok'}`);
      }
    }
    notice(`verify-green: health of ${plan.green.length} green host(s): ${problems.length === 0 ? 'ok' : `${problems.length} problem(s)`}`);

    // The balancers as blue's inventory renders them: that is what runs there, green-only listener included.
    for (const lb of blue.rendered.filter((r) => r.role === 'load-balancer')) {
      const path = lb.context.loadBalancer?.greenGatewayHttp;
      const address = blue.inventory.hosts.find((h) => h.name === lb.host)?.address;
      if (!path || !address) { problems.push(`${lb.host}: no green-only path (green names no gateway partner)`); continue; }
      const url = `http://${address.includes(':') ? `[${address}]` : address}:${path.listen}/echo`;
      const t = blue.transports.get(lb.host);
      const probed = await defaultProber.probe({ kind: 'http', url, expectStatus: [200], from: 'controller', insecureTls: false, bodyContains: `"version":"${plan.to}"` },
        { ...(t ? { transport: t } : {}), timeoutMs: PROBE_TIMEOUT_MS });
      if (!probed.healthy) problems.push(`${lb.host}: GET ${url} (green-only path): ${probed.detail}`);
      else notice(`verify-green: GET ${url} answered by ${plan.to}`);
    }

    const since = migrationStart(plan.id) ?? new Date();
    const [before, after] = await Promise.all([records(blue, publisherNodes(blue), opts.signal), records(ctx, publisherNodes(ctx), opts.signal)]);
    if (typeof before === 'string') problems.push(`blue's API records: ${before}`);
    if (typeof after === 'string') problems.push(`green's API records: ${after}`);
    if (typeof before !== 'string' && typeof after !== 'string') {
      const missing = missingOnGreen(before, after, since);
      if (missing.length > 0) problems.push(`green lacks ${missing.length} API record(s) blue held at the backup: ${missing.slice(0, 5).map((a) => `${a.name} ${a.version} (${a.id})`).join(', ')}`);
      else notice(`verify-green: the ${before.length} API record(s) blue lists are on green (${after.length} there)`);
    }
  } finally {
    await ctx.close();
  }
  if (problems.length === 0) return { ok: true, exitCode: 0 };
  return { ok: false, exitCode: 1, message: `green failed verification; blue still serves all traffic:\n  ${problems.join('\n  ')}` };
}
