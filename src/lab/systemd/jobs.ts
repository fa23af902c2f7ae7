/**
 * start / stop as systemctl(1) jobs: a start spawns the unit's supervisor (supervise.ts) and waits for it to
 * report active or failed, as `systemctl start` waits for its job; a stop ends the supervisor, runs ExecStop=,
 * then signals what is left of the main process after TimeoutStopSec= (systemd.kill(5): SIGTERM, then SIGKILL).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { runCommand } from './service-exec.js';
import { alive, JOURNAL_DIR, journalPath, loadedUnit, readState, writeState } from './unit-state.js';
import { seconds, value, values } from './unit-file.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function isActive(name: string): boolean {
  const s = readState(name);
  return s.active === 'active' && (s.mainPid === 0 || alive(s.mainPid));
}

export async function start(name: string, self: string, err: (line: string) => void): Promise<number> {
  const loaded = loadedUnit(name);
  if (!loaded) {
    err(`Failed to start ${name}: Unit ${name} not found.`);
    return 5;
  }
  if (loaded.changedOnDisk) err(`Warning: The unit file, source configuration file or drop-ins of ${name} changed on disk. Run 'systemctl daemon-reload' to reload units.`);
  if (isActive(name)) return 0;
  const previous = readState(name);
  if (previous.active === 'activating' && alive(previous.supervisorPid)) return waitJob(name, loaded.unit);
  mkdirSync(JOURNAL_DIR, { recursive: true });
  writeState(name, { ...previous, active: 'activating', mainPid: 0, supervisorPid: 0 });
  const log = openSync(journalPath(name), 'a');
  const child = spawn(process.execPath, [self, '__supervise', name], { detached: true, stdio: ['ignore', log, log] });
  writeState(name, { ...readState(name), supervisorPid: child.pid ?? 0 });
  child.unref();
  const code = await waitJob(name, loaded.unit);
  if (code !== 0) err(`Job for ${name} failed because the control process exited with error code.\nSee "systemctl status ${name}" and "journalctl -xeu ${name}" for details.`);
  return code;
}

async function waitJob(name: string, unit: Parameters<typeof value>[0]): Promise<number> {
  const timeout = seconds(value(unit, 'Service', 'TimeoutStartSec'), 90);
  const deadline = Date.now() + (Number.isFinite(timeout) ? timeout * 1000 + 5000 : 3_600_000);
  while (Date.now() < deadline) {
    const s = readState(name);
    if (s.active === 'active' || (s.active === 'inactive' && s.result === 'success')) return 0;
    if (s.active === 'failed' || !alive(s.supervisorPid)) return 1;
    await sleep(100);
  }
  return 1;
}

export async function stop(name: string, err: (line: string) => void): Promise<number> {
  const loaded = loadedUnit(name);
  if (!loaded) {
    err(`Failed to stop ${name}: Unit ${name} not loaded.`);
    return 5;
  }
  const unit = loaded.unit;
  const s = readState(name);
  signal(s.supervisorPid, 'SIGKILL');
  if (s.active !== 'active' && s.active !== 'activating') {
    writeState(name, { ...s, active: s.active === 'failed' ? 'failed' : 'inactive', supervisorPid: 0 });
    return 0;
  }
  writeState(name, { ...s, active: 'deactivating', supervisorPid: 0 });
  const timeout = seconds(value(unit, 'Service', 'TimeoutStopSec'), 90);
  for (const line of values(unit, 'Service', 'ExecStop')) await runCommand(unit, line, timeout);
  const deadline = Date.now() + (Number.isFinite(timeout) ? timeout * 1000 : 3_600_000);
  const main = s.mainPid;
  signal(main, 'SIGTERM');
  while (alive(main) && Date.now() < deadline) await sleep(100);
  signal(main, 'SIGKILL');
  writeState(name, { ...readState(name), active: 'inactive', mainPid: 0, supervisorPid: 0, result: 'success' });
  return 0;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  if (!alive(pid)) return;
  try {
    process.kill(pid, sig);
  } catch {
    // ended in between
  }
}
