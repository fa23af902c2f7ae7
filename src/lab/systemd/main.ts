/**
 * The lab's stand-in for systemd on hosts started with `lab up --init systemd`, bind-mounted over the host's
 * /usr/bin/systemctl and /usr/bin/journalctl. What it follows is listed in README.md beside it. Node built-ins only:
 * bundled into one file and run by the machine's node.
 */
import { readFileSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { boot } from './boot.js';
import { disable, enable, unitFileState } from './install.js';
import { isActive, start, stop } from './jobs.js';
import { supervise } from './supervise.js';
import { forgetLoadedUnits, journalPath, loadedUnit, readState } from './unit-state.js';
import { unitName, value } from './unit-file.js';

const self = process.argv[1]!;
const err = (line: string) => process.stderr.write(`${line}\n`);
const out = (line: string) => process.stdout.write(`${line}\n`);

function show(name: string, props: readonly string[], valueOnly: boolean): number {
  const loaded = loadedUnit(name);
  const s = readState(name);
  const active = s.active === 'active' && !isActive(name) ? 'failed' : s.active;
  const svc = (k: string) => (loaded ? value(loaded.unit, 'Service', k) ?? '' : '');
  const all: Record<string, string> = {
    Id: name, LoadState: loaded ? 'loaded' : 'not-found', ActiveState: active,
    SubState: active === 'active' ? (s.mainPid > 0 ? 'running' : 'exited') : active === 'failed' ? 'failed' : 'dead',
    MainPID: String(active === 'active' ? s.mainPid : 0), ExecMainPID: String(s.mainPid), NRestarts: String(s.nRestarts), Result: s.result,
    UnitFileState: unitFileState(name) ?? '', FragmentPath: loaded?.unit.path ?? '', NeedDaemonReload: loaded?.changedOnDisk ? 'yes' : 'no',
    Type: svc('Type') || 'simple', User: svc('User'), Group: svc('Group'), Restart: svc('Restart') || 'no', LimitNOFILE: svc('LimitNOFILE'),
    WorkingDirectory: svc('WorkingDirectory'), PIDFile: svc('PIDFile'),
  };
  for (const key of props.length > 0 ? props : Object.keys(all)) out(valueOnly ? (all[key] ?? '') : `${key}=${all[key] ?? ''}`);
  return 0;
}

async function systemctl(args: string[]): Promise<number> {
  const quiet = args.includes('-q') || args.includes('--quiet');
  const valueOnly = args.includes('--value');
  const props: string[] = [];
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-p' || a === '--property') props.push(...(args[++i] ?? '').split(','));
    else if (a.startsWith('--property=')) props.push(...a.slice(11).split(','));
    else if (!a.startsWith('-')) words.push(a);
  }
  const [verb, ...rest] = words;
  const units = rest.map(unitName);
  const each = async (f: (u: string) => Promise<number> | number) => {
    let code = 0;
    for (const u of units) code = Math.max(code, await f(u));
    return code;
  };
  switch (verb) {
    case 'daemon-reload':
      forgetLoadedUnits();
      return 0;
    case 'enable': return each(async (u) => {
      const code = enable(u, quiet ? () => {} : err);
      return code === 0 && args.includes('--now') ? start(u, self, err) : code;
    });
    case 'disable': return each((u) => disable(u, quiet ? () => {} : err));
    case 'is-enabled': return each((u) => {
      const state = unitFileState(u);
      if (!quiet) (state ? out : err)(state ?? `Failed to get unit file state for ${u}: No such file or directory`);
      return state === 'enabled' || state === 'static' ? 0 : 1;
    });
    case 'start': return each((u) => start(u, self, err));
    case 'stop': return each((u) => stop(u, err));
    case 'restart': return each(async (u) => (await stop(u, err)) || start(u, self, err));
    case 'is-active': return each((u) => {
      const s = readState(u);
      const state = isActive(u) ? 'active' : s.active === 'active' ? 'failed' : s.active;
      if (!quiet) out(state);
      return state === 'active' ? 0 : 3;
    });
    case 'show': return each((u) => show(u, props, valueOnly));
    case 'status': return each((u) => {
      show(u, ['Id', 'LoadState', 'ActiveState', 'SubState', 'MainPID', 'UnitFileState'], false);
      return isActive(u) ? 0 : 3;
    });
    default:
      err(`lab systemctl: unsupported verb ${verb ?? '(none)'} (the lab's stand-in knows daemon-reload, enable, disable, is-enabled, start, stop, restart, is-active, show, status)`);
      return 1;
  }
}

function journalctl(args: string[]): number {
  const i = args.findIndex((a) => a === '-u' || a === '--unit');
  const lines = Number(args[args.indexOf('-n') + 1] ?? 'NaN');
  if (i < 0 || !args[i + 1]) {
    err('lab journalctl: only -u UNIT [-n N] is supported');
    return 1;
  }
  const file = journalPath(unitName(args[i + 1]!));
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const all = text.split('\n').filter((l, k, a) => l !== '' || k < a.length - 1);
  for (const line of Number.isFinite(lines) && args.includes('-n') ? all.slice(-lines) : all) out(line);
  return 0;
}

async function main(): Promise<number> {
  const [first, ...rest] = process.argv.slice(2);
  if (first === '__supervise') return supervise(rest[0]!).then(() => 0);
  if (first === '__boot') return boot(self, out).then(() => 0);
  const args = first === undefined ? [] : [first, ...rest];
  return basename(self) === 'journalctl' ? journalctl(args) : systemctl(args);
}

main().then((code) => process.exit(code), (e: unknown) => {
  err(`lab systemctl: ${(e as Error).message}`);
  process.exit(1);
});
