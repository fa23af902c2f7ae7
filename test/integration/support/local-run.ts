/** The end of a test that started simulated nodes on this machine: the nodes, then its PostgreSQL, then its dir. */
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { echoRequestLog } from '../../../sim/component/sample-api.js';
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
  const first = echoRequestLog(root);
  const prefix = basename(first).replace(/\.log$/, '');
  for (const name of readdirSync(dirname(first))) {
    if (name.startsWith(`${prefix}_`) && name.endsWith('.log')) rmSync(`${dirname(first)}/${name}`, { force: true });
  }
}
