export { systemClock } from './clock.js';
export { describeCheck } from '../model/describe-check.js';
export { readLogTail, LOG_TAIL_LINES } from './log-tail.js';
export { waitUntilHealthy, INTERVAL_GROWTH, type WaitOptions } from './poller.js';
export { defaultProber, type HealthProber, type ProbeContext } from './prober.js';
export { remoteProbeCommand, interpretRemoteProbe } from './remote-probes.js';
