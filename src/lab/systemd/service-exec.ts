/**
 * How the stand-in runs a unit's commands, per systemd.exec(5): User=/Group= (setpriv drops to them, with the
 * user's supplementary groups), WorkingDirectory= (default `/` for system services; a leading `-` allows it to be
 * missing), LimitNOFILE= (prlimit sets soft and hard), the unit's Environment=/EnvironmentFile= (plus the user's
 * HOME, USER, LOGNAME, SHELL) and nothing of the caller's environment. Output goes to the unit's journal file.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { journalPath, primaryGroup } from './unit-state.js';
import { splitCommand, unitEnvironment, value, type UnitFile } from './unit-file.js';

export interface Prepared {
  readonly argv: string[];
  readonly ignoreFailure: boolean;
  readonly env: Record<string, string>;
  readonly cwd: string;
}

export function prepare(unit: UnitFile, line: string): Prepared {
  const env = unitEnvironment(unit);
  const { argv, ignoreFailure } = splitCommand(line, env);
  const wrapped: string[] = [];
  const limit = value(unit, 'Service', 'LimitNOFILE');
  if (limit) wrapped.push('prlimit', `--nofile=${nofile(limit)}`, '--');
  const user = value(unit, 'Service', 'User');
  if (user) Object.assign(env, userEnvironment(user));
  if (user && user !== 'root') {
    const group = value(unit, 'Service', 'Group') ?? primaryGroup(user);
    wrapped.push('setpriv', `--reuid=${user}`, `--regid=${group}`, '--init-groups', '--');
  }
  const dir = value(unit, 'Service', 'WorkingDirectory') ?? '/';
  return { argv: [...wrapped, ...argv], ignoreFailure, env, cwd: dir.replace(/^-/, '') };
}

/**
 * LimitNOFILE= as `soft:hard`, clamped to the hard limit the lab itself runs with: a machine (or container) without
 * CAP_SYS_RESOURCE cannot raise it, where systemd as PID 1 of a VM can. The clamp is the lab's, not systemd's.
 */
function nofile(limit: string): string {
  const ceiling = execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
  const max = ceiling === 'unlimited' ? Infinity : Number(ceiling);
  const [soft, hard] = limit === 'infinity' ? [Infinity, Infinity] : limit.split(':').map(Number) as [number, number | undefined];
  const clamp = (n: number) => (Math.min(n, max) === Infinity ? 'unlimited' : String(Math.min(n, max)));
  return `${clamp(soft)}:${clamp(hard ?? soft)}`;
}

/** systemd.exec(5) "Environment Variables in Spawned Processes": with User=, $USER, $LOGNAME, $HOME and $SHELL. */
function userEnvironment(user: string): Record<string, string> {
  const entry = readFileSync('/etc/passwd', 'utf8').split('\n').map((l) => l.split(':')).find((f) => f[0] === user);
  return entry && entry.length >= 7 ? { USER: user, LOGNAME: user, HOME: entry[5]!, SHELL: entry[6]! } : { USER: user, LOGNAME: user };
}

export function spawnCommand(unit: UnitFile, p: Prepared): ChildProcess {
  const log = openSync(journalPath(unit.name), 'a');
  return spawn(p.argv[0]!, p.argv.slice(1), { cwd: p.cwd, env: p.env, stdio: ['ignore', log, log] });
}

/** Runs one command to its end; true when it succeeded or its failure is ignored (`-`). */
export function runCommand(unit: UnitFile, line: string, timeoutS: number): Promise<boolean> {
  const p = prepare(unit, line);
  return new Promise((resolve) => {
    const child = spawnCommand(unit, p);
    const timer = Number.isFinite(timeoutS) ? setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000) : undefined;
    child.once('error', () => resolve(p.ignoreFailure));
    child.once('exit', (code) => {
      if (timer) clearTimeout(timer);
      resolve(code === 0 || p.ignoreFailure);
    });
  });
}
