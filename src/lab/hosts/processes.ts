import { readFileSync } from 'node:fs';
import type { ProcessRef } from './state.js';

interface ProcStat {
  readonly state: string;
  readonly startTime: string;
}

/** Parses /proc/PID/stat; the command name sits in parentheses and may itself contain spaces or parentheses. */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  // After ") " come fields 3.. : state is field 3, starttime field 22.
  const fields = text.slice(close + 2).trim().split(' ');
  const state = fields[0];
  const startTime = fields[19];
  return state && startTime ? { state, startTime } : undefined;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A reference to a live process, or undefined if it is gone already. */
export function processRef(pid: number): ProcessRef | undefined {
  const stat = readStat(pid);
  return stat ? { pid, startTime: stat.startTime } : undefined;
}

/** True when that very process (same PID and start time) still runs; a zombie counts as gone. */
export function isAlive(ref: ProcessRef): boolean {
  const stat = readStat(ref.pid);
  return stat !== undefined && stat.startTime === ref.startTime && stat.state !== 'Z' && stat.state !== 'X';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGKILLs each recorded process that is still the one recorded, then waits until all are gone. */
export async function killAndWait(refs: readonly ProcessRef[], timeoutMs = 5000): Promise<ProcessRef[]> {
  for (const ref of refs) {
    if (!isAlive(ref)) continue;
    try {
      process.kill(ref.pid, 'SIGKILL');
    } catch {
      // exited between the check and the kill
    }
  }
  const deadline = Date.now() + timeoutMs;
  let alive = refs.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(20);
    alive = alive.filter(isAlive);
  }
  return alive;
}
