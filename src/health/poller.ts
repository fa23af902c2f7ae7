import { HealthTimeoutError } from '../errors.js';
import type { Clock } from '../model/clock.js';
import type { HealthCheck, HealthPolicy, ProbeResult } from '../model/health.js';
import type { Transport } from '../transport/transport.js';
import { systemClock } from './clock.js';
import { describeCheck } from '../model/describe-check.js';
import { readLogTail } from './log-tail.js';
import { defaultProber, type HealthProber } from './prober.js';

export interface WaitOptions {
  readonly prober?: HealthProber;
  /** The node's transport: host-side checks and the log tail go through it. */
  readonly transport?: Transport;
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
  /** Names the node in the error ("gw-1 gateway"); defaults to the transport's host. */
  readonly label?: string;
  /** Component log (wso2carbon.log) whose last lines go into the timeout error. */
  readonly logFile?: string;
}

/** Growth of the wait between rounds. */
export const INTERVAL_GROWTH = 1.5;
/** A single probe never waits longer than this, so a hung port cannot eat the whole deadline. */
const MAX_PROBE_MS = 10_000;
/**
 * What any probe gets, even the last round's at the deadline itself: an answer needs a round trip (curl on the node
 * counted its --max-time in whole seconds; a probe through the SSH connection keeps the limit it is given).
 */
const MIN_PROBE_MS = 1_000;

/**
 * Probes every check until all pass twice, settleMs apart, or the deadline passes.
 * Resolves with the last results; rejects with HealthTimeoutError naming every check's last answer
 * and the tail of the component log.
 */
export async function waitUntilHealthy(
  checks: readonly HealthCheck[],
  policy: HealthPolicy,
  opts: WaitOptions = {},
): Promise<ProbeResult[]> {
  const clock = opts.clock ?? systemClock;
  const prober = opts.prober ?? defaultProber;
  const start = clock.now();
  const deadline = start + policy.timeoutMs;
  let interval = policy.firstIntervalMs;
  let greenOnce = false;
  let last: ProbeResult[] = [];

  for (;;) {
    opts.signal?.throwIfAborted();
    const timeoutMs = Math.max(MIN_PROBE_MS, Math.min(MAX_PROBE_MS, deadline - clock.now()));
    last = await Promise.all(
      checks.map((check) => prober.probe(check, { transport: opts.transport, timeoutMs, signal: opts.signal })),
    );
    const green = last.every((r) => r.healthy);
    if (green && (greenOnce || policy.settleMs <= 0)) return last;
    greenOnce = green;
    const remaining = deadline - clock.now();
    if (remaining <= 0) break;
    // The last round runs at the deadline itself rather than giving up early.
    await clock.sleep(Math.min(green ? policy.settleMs : interval, remaining), opts.signal);
    if (!green) interval = Math.min(interval * INTERVAL_GROWTH, policy.maxIntervalMs);
  }
  throw await timeoutError(last, clock.now() - start, opts);
}

async function timeoutError(last: readonly ProbeResult[], elapsedMs: number, opts: WaitOptions): Promise<HealthTimeoutError> {
  const host = opts.transport?.host ?? 'controller';
  const who = opts.label ?? host;
  const failing = last.filter((r) => !r.healthy).length;
  const lines = last.map((r) => `${r.healthy ? 'ok  ' : 'FAIL'} ${describeCheck(r.check)}: ${r.detail}`);
  if (opts.logFile && opts.transport) {
    lines.push('', `last lines of ${opts.logFile}:`, await readLogTail(opts.transport, opts.logFile));
  }
  const what =
    failing === 0 ? 'healthy but did not stay healthy through the settle re-check' : `${failing} of ${last.length} checks failing`;
  return new HealthTimeoutError(host, `${who} not healthy after ${(elapsedMs / 1000).toFixed(1)}s: ${what}`, lines.join('\n'));
}
