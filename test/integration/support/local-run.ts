/** The end of a test that started simulated nodes on this machine: the nodes, then its PostgreSQL, then its dir. */
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ECHO_REQUEST_LOG_PREFIX, echoRequestLog } from '../../../sim/component/sample-api.js';
import { alive } from '../../support/processes.js';
import { waitFor } from '../../support/wait.js';
import type { Postgres } from './postgres.js';

export async function endLocalRun(started: ReadonlySet<number>, pg: Postgres | undefined, root: string | undefined): Promise<void> {
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGCONT'); // a test may have stopped a node on purpose
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGTERM');
  await waitFor('the simulated nodes to exit', () => ![...started].some(alive)).catch(() => undefined);
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
  try {
    pg?.stop();
  } finally {
    if (root) {
      rmSync(root, { recursive: true, force: true });
      removeRequestLogs(root);
    }
  }
}

/** The sample backend's request logs of the nodes installed under `root`: they live in /var/tmp, not under root. */
export function removeRequestLogs(root: string): void {
  // A node at <root>/<dir> logs to echoRequestLog(<root>/<dir>): the root's own log name, less `.log`, then `_`.
  const under = `${basename(echoRequestLog(root), '.log')}_`;
  const dir = dirname(ECHO_REQUEST_LOG_PREFIX);
  for (const name of readdirSync(dir)) if (name.startsWith(under) && name.endsWith('.log')) rmSync(join(dir, name), { force: true });
}
