/**
 * Where a provision's time goes, phase by phase (prints nothing itself): the steps of openPlannedRun and
 * executePlanned, run one by one with a clock around each, so a bench can say which phase a no-op spends its time in.
 */
import { buildPlan } from '../src/planner/build-plan.js';
import { connect } from '../src/workflows/run/connect.js';
import { desiredInScope, openRun } from '../src/workflows/run/open-run.js';
import { readState, stateReadsAhead } from '../src/workflows/run/read-state.js';
import { executePlanned } from '../src/workflows/provision.js';
import type { HostSpec } from '../src/model/inventory.js';

export interface Phases {
  /** Inventory load, render, controller-side hashing (openRun up to connecting). */
  readonly loadRenderHashMs: number;
  /** One SSH connection per host, all in parallel; each host's first command answers become, its init system and its state reads. */
  readonly connectMs: number;
  /** After connecting: the service manager from the hosts' answers, the inventory rendered again, each host's desired state. */
  readonly desiredMs: number;
  /** Preflight, and the state reads the first commands did not answer (a host whose desired state moved on detection). */
  readonly factsMs: number;
  readonly planMs: number;
  /** The deploy lock, the waves, the audit log. */
  readonly executeMs: number;
  readonly closeMs: number;
  readonly totalMs: number;
  readonly exitCode: number;
}

export async function provisionPhases(inventory: string): Promise<Phases> {
  const t0 = performance.now();
  let connectStart = 0;
  let connectEnd = 0;
  const ctx = await openRun({
    inventory,
    openConnections: async (hosts: readonly HostSpec[], firstCommand) => {
      connectStart = performance.now();
      const c = await connect(hosts, firstCommand ? { firstCommand } : {});
      connectEnd = performance.now();
      return c;
    },
  }, { artifacts: 'hash', connect: 'limited', unreachable: 'stop', readsAhead: stateReadsAhead });
  const opened = performance.now();
  let t = opened;
  const lap = () => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return ms;
  };
  try {
    const desired = desiredInScope(ctx);
    const { state, problems } = await readState(ctx.transports, desired, 'stop', { verify: ctx.verify, early: ctx.early });
    ctx.early.clear();
    const factsMs = lap();
    const plan = buildPlan({ ...ctx.inputs, state }, desired);
    const planMs = lap();
    const { exitCode } = await executePlanned({ ctx, desired, state, plan, problems }, plan, { inventory });
    const executeMs = lap();
    await ctx.close();
    const closeMs = lap();
    return {
      loadRenderHashMs: connectStart - t0, connectMs: connectEnd - connectStart, desiredMs: opened - connectEnd,
      factsMs, planMs, executeMs, closeMs, totalMs: performance.now() - t0, exitCode,
    };
  } catch (err) {
    await ctx.close();
    throw err;
  }
}

export const phaseLine = (p: Phases, s: (ms: number) => string): string =>
  `load+render+hash ${s(p.loadRenderHashMs)}, connect ${s(p.connectMs)}, desired state ${s(p.desiredMs)}, facts ${s(p.factsMs)}, ` +
  `plan ${s(p.planMs)}, execute ${s(p.executeMs)}, close ${s(p.closeMs)} = ${s(p.totalMs)} (exit ${p.exitCode})`;
