import { RemoteError } from '../../errors.js';
import { run } from './run.js';
import type { LabState } from './state.js';

export interface LabExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs argv inside a lab host without SSH: `nsenter` joins all of the host's namespaces (net, mount, pid, uts, ipc)
 * and its root and working directory. For tests that must look at a host from the side.
 */
export async function labExec(
  state: LabState,
  host: string,
  argv: readonly string[],
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<LabExecResult> {
  const record = state.hosts.find((h) => h.name === host);
  if (!record?.sshd) throw new RemoteError(host, `no running lab host named ${host} in lab ${state.name}`);
  return run('nsenter', ['-t', String(record.sshd.pid), '-a', '-r', '-w', '--', ...argv], opts);
}
