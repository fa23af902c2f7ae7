/** Read-only probes: each a command plus a pure parser. */
import { STAT_SCRIPT } from '../transport/stat-probe.js';
import { HOST_PROBE_SCRIPT } from './host-probe.js';
import { INIT_SYSTEM_SCRIPT } from './init-system.js';

export { probeHost, hostProbeArgv, parseHostProbe, HOST_PROBE_SCRIPT, HOST_PROBE_TIMEOUT_MS } from './host-probe.js';
export type { HostFacts, PidState, ProbePaths } from './host-probe.js';
export { javaVersion, javaVersionArgv, parseJavaVersion, type JavaVersion } from './java-version.js';
export { initSystemArgv, parseInitSystem, parseScriptInstalled, type InitSystem, type ServiceManagerProbe } from './init-system.js';
export { parseOsRelease, type OsRelease } from './os-release.js';
export { parseDfPk, type DiskFree } from './disk-free.js';
export { parseSsListening, parseProcNetTcp, type ListeningSocket } from './listening-ports.js';

/** The `sh -c` scripts that only read. A dry run may allow `sh -c <one of these>` and nothing else through sh. */
export const READ_ONLY_SCRIPTS: readonly string[] = [HOST_PROBE_SCRIPT, STAT_SCRIPT, INIT_SYSTEM_SCRIPT];
