/**
 * Reads a BSD process accounting file through dump-acct(8) (Debian package `acct`; bench/accounting.ts): one record per
 * process that ended, `comm|version|utime|stime|etime|uid|gid|mem|io|pid|ppid|flags|exit|tty|start`, times in clock
 * ticks of 10 ms (USER_HZ 100). sa(8)'s own summary prints CPU in minutes to two decimals (0.6 s), too coarse for a
 * no-op's processes.
 */

export interface CommandCpu { readonly name: string; readonly calls: number; readonly cpuSeconds: number }

const TICK_SECONDS = 0.01;

/** CPU seconds (user + system) and runs per command name, the costliest first. */
export function cpuByCommand(dump: string): CommandCpu[] {
  const by = new Map<string, { calls: number; ticks: number }>();
  for (const line of dump.split('\n')) {
    const [comm, version, utime, stime] = line.split('|').map((f) => f.trim());
    if (!comm || !version?.startsWith('v') || utime === undefined || stime === undefined) continue;
    const seen = by.get(comm) ?? { calls: 0, ticks: 0 };
    by.set(comm, { calls: seen.calls + 1, ticks: seen.ticks + Number(utime) + Number(stime) });
  }
  return [...by].map(([name, c]) => ({ name, calls: c.calls, cpuSeconds: c.ticks * TICK_SECONDS }))
    .sort((a, b) => b.cpuSeconds - a.cpuSeconds || b.calls - a.calls);
}
