import { describeCheck } from '../model/describe-check.js';
import type { StepKind } from './step-kind.js';

const secs = (ms: number): string => `${Math.round(ms / 1000)}s`;

/** The health gate: a node's dependants start only after this passes. The poller is injected by the executor. */
export const waitHealthy: StepKind<'wait-healthy'> = {
  kind: 'wait-healthy',
  mutates: false,
  waits: true,
  describe: (s) => `wait until ${s.component} is healthy (${s.checks.length} checks, up to ${secs(s.policy.timeoutMs)})`,
  commands: () => [],
  preview: (s) => s.checks.map((c) => `check: ${describeCheck(c)}`),
  async apply(s, ctx) {
    const results = await ctx.waitHealthy(s);
    return { status: 'ok', reason: `healthy: ${results.map((r) => r.detail).join('; ')}` };
  },
};
