/**
 * What the lab's systemd stand-in knows about each unit while the host runs, kept under /run (gone at reboot, as
 * systemd's own state is): the unit as last loaded (systemctl(1) daemon-reload re-reads; a unit changed on disk
 * without it keeps its loaded content and warns), and the job state `systemctl is-active` / `show` report.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findUnitPath, loadUnit, type UnitFile } from './unit-file.js';

export const LAB_RUN = '/run/systemd/lab';
const STATE_DIR = join(LAB_RUN, 'units');
const LOADED_DIR = join(LAB_RUN, 'loaded');
export const JOURNAL_DIR = join(LAB_RUN, 'journal');

export type ActiveState = 'inactive' | 'activating' | 'active' | 'deactivating' | 'failed';

export interface UnitState {
  readonly active: ActiveState;
  readonly mainPid: number;
  readonly supervisorPid: number;
  readonly nRestarts: number;
  /** systemd's Result= (success, exit-code, signal, timeout, start-limit-hit). */
  readonly result: string;
}

const INACTIVE: UnitState = { active: 'inactive', mainPid: 0, supervisorPid: 0, nRestarts: 0, result: 'success' };

export function readState(name: string): UnitState {
  try {
    return { ...INACTIVE, ...(JSON.parse(readFileSync(join(STATE_DIR, `${name}.json`), 'utf8')) as Partial<UnitState>) };
  } catch {
    return INACTIVE;
  }
}

export function writeState(name: string, state: UnitState): void {
  mkdirSync(STATE_DIR, { recursive: true });
  const file = join(STATE_DIR, `${name}.json`);
  writeFileSync(`${file}.${process.pid}`, JSON.stringify(state));
  renameSync(`${file}.${process.pid}`, file);
}

export const journalPath = (name: string): string => join(JOURNAL_DIR, `${name}.log`);

/** A process that runs (a zombie counts as gone: the host's PID 1 reaps slowly). */
export function alive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const s = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return s !== 'Z' && s !== 'X';
  } catch {
    return false;
  }
}

/** The unit as systemd holds it: loaded once, kept until daemon-reload (then read again on next use). */
export function loadedUnit(name: string): { unit: UnitFile; changedOnDisk: boolean } | undefined {
  const snapshot = join(LOADED_DIR, name);
  const path = findUnitPath(name);
  try {
    const { path: loadedPath, text } = JSON.parse(readFileSync(snapshot, 'utf8')) as { path: string; text: string };
    const onDisk = path ? readFileSync(path, 'utf8') : undefined;
    return { unit: loadUnit(name, text, loadedPath), changedOnDisk: onDisk !== text };
  } catch {
    if (!path) return undefined;
    const text = readFileSync(path, 'utf8');
    mkdirSync(LOADED_DIR, { recursive: true });
    writeFileSync(snapshot, JSON.stringify({ path, text }));
    return { unit: loadUnit(name, text, path), changedOnDisk: false };
  }
}

/** daemon-reload: forget every loaded unit, so each is read from disk again. */
export function forgetLoadedUnits(): void {
  rmSync(LOADED_DIR, { recursive: true, force: true });
}

export function knownUnits(): string[] {
  try {
    return readdirSync(STATE_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  } catch {
    return [];
  }
}

/** The primary group of a user (setpriv needs it when the unit gives User= without Group=). */
export function primaryGroup(user: string): string {
  return execFileSync('id', ['-gn', user], { encoding: 'utf8' }).trim();
}
