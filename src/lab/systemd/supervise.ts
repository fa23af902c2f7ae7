/**
 * One unit's life, in a detached process per started unit (the stand-in has no daemon): ExecStartPre=, then
 * ExecStart= by Type= (systemd.service(5)): `forking` waits for the command to exit and reads PIDFile= as the main
 * process; `simple`/`exec`/`notify` make the command itself the main process (notify readiness is not awaited);
 * `oneshot` runs to its end, active afterwards only with RemainAfterExit=. When the main process ends while active,
 * Restart= (on-failure, on-abnormal, always) starts it again after RestartSec=, at most StartLimitBurst= times in
 * StartLimitIntervalSec= (systemd.unit(5); defaults 5 in 10 s), then the unit is failed (start-limit-hit).
 */
import { readFileSync } from 'node:fs';
import { runCommand, prepare, spawnCommand } from './service-exec.js';
import { alive, loadedUnit, readState, writeState, type UnitState } from './unit-state.js';
import { seconds, value, values, type UnitFile } from './unit-file.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function mainPidFrom(unit: UnitFile, deadline: number): Promise<number> {
  const file = value(unit, 'Service', 'PIDFile');
  if (!file) return 0;
  while (Date.now() < deadline) {
    try {
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (alive(pid)) return pid;
    } catch {
      // not written yet
    }
    await sleep(100);
  }
  return -1;
}

/** Starts the unit once: the main PID (0: none to watch), or null when the start failed. */
async function startOnce(unit: UnitFile): Promise<number | null> {
  const timeout = seconds(value(unit, 'Service', 'TimeoutStartSec'), 90);
  const deadline = Number.isFinite(timeout) ? Date.now() + timeout * 1000 : Infinity;
  for (const pre of values(unit, 'Service', 'ExecStartPre')) if (!(await runCommand(unit, pre, timeout))) return null;
  const type = value(unit, 'Service', 'Type') ?? 'simple';
  const starts = values(unit, 'Service', 'ExecStart');
  if (type === 'oneshot') {
    for (const line of starts) if (!(await runCommand(unit, line, timeout))) return null;
    return 0;
  }
  if (type === 'forking') {
    if (!(await runCommand(unit, starts[0]!, timeout))) return null;
    const pid = await mainPidFrom(unit, deadline);
    return pid < 0 ? null : pid;
  }
  const child = spawnCommand(unit, prepare(unit, starts[0]!));
  return child.pid ?? null;
}

const restartWanted = (policy: string | undefined): boolean => policy === 'always' || policy === 'on-failure' || policy === 'on-abnormal';

export async function supervise(name: string): Promise<void> {
  const loaded = loadedUnit(name);
  if (!loaded) return;
  const unit = loaded.unit;
  const burst = Number(value(unit, 'Unit', 'StartLimitBurst') ?? 5);
  const interval = seconds(value(unit, 'Unit', 'StartLimitIntervalSec'), 10);
  const restartSec = seconds(value(unit, 'Service', 'RestartSec'), 0.1);
  const starts: number[] = [];
  let nRestarts = readState(name).nRestarts;
  const set = (s: Partial<UnitState>) => writeState(name, { ...readState(name), supervisorPid: process.pid, ...s });
  for (;;) {
    starts.push(Date.now());
    const recent = starts.filter((t) => Date.now() - t <= interval * 1000);
    if (recent.length > burst) return set({ active: 'failed', mainPid: 0, result: 'start-limit-hit' });
    set({ active: 'activating', mainPid: 0, nRestarts });
    const pid = await startOnce(unit);
    if (pid === null) {
      process.stderr.write(`${new Date().toISOString()} ${name}: Failed with result 'exit-code' (a start command failed, or no live PID in PIDFile=)\n`);
      set({ active: 'failed', mainPid: 0, result: 'exit-code' });
    }
    else if (pid === 0) {
      const remain = /^(yes|true|on|1)$/.test(value(unit, 'Service', 'RemainAfterExit') ?? 'no');
      const oneshot = (value(unit, 'Service', 'Type') ?? 'simple') === 'oneshot';
      return set({ active: oneshot && !remain ? 'inactive' : 'active', mainPid: 0, result: 'success' });
    } else {
      set({ active: 'active', mainPid: pid, result: 'success' });
      while (alive(pid)) await sleep(500);
      set({ active: 'failed', mainPid: 0, result: 'signal' });
    }
    if (!restartWanted(value(unit, 'Service', 'Restart'))) return;
    await sleep(restartSec * 1000);
    nRestarts++;
  }
}
