import * as paths from './paths.js';
import { assertCanRunLab } from './preflight.js';
import { isAlive } from './processes.js';
import { sshLogin } from './ssh-probe.js';
import { readLabState, type LabState } from './state.js';

export interface LabHostStatus {
  readonly name: string;
  readonly address: string;
  readonly sshdPid: number | null;
  /** The recorded sshd (the host's PID 1) still runs. */
  readonly alive: boolean;
  /** The login user logs in with the lab key under strict host key checking (through the bastion if any). */
  readonly sshReachable: boolean;
}

export interface LabStatus {
  readonly state: LabState | undefined;
  readonly hosts: readonly LabHostStatus[];
}

/** At most this many ssh logins at once: each costs 0.2-0.3 s of CPU on a 2-core controller. */
const LOGIN_CONCURRENCY = 8;

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function labStatus(opts: paths.LabLocation = {}): Promise<LabStatus> {
  assertCanRunLab();
  const state = readLabState(paths.statePath(opts));
  if (!state) return { state, hosts: [] };
  const hosts = await mapLimited(state.hosts, LOGIN_CONCURRENCY, async (h) => {
    const alive = h.sshd !== null && isAlive(h.sshd);
    const sshReachable = alive && (await sshLogin(h.name, paths.sshConfigPath(opts)));
    return { name: h.name, address: h.address, sshdPid: h.sshd?.pid ?? null, alive, sshReachable };
  });
  return { state, hosts };
}

/** The status as an aligned text table for the CLI. */
export function formatStatusTable(hosts: readonly LabHostStatus[]): string {
  const rows = [['HOST', 'ADDRESS', 'SSHD PID', 'ALIVE', 'SSH'], ...hosts.map((h) => [
    h.name, h.address, h.sshdPid === null ? '-' : String(h.sshdPid), h.alive ? 'yes' : 'NO', h.sshReachable ? 'ok' : 'NO',
  ])];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}
