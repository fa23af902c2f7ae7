/**
 * Many facts about one host in one command (a command costs ~40 ms over an open connection, far more on a busy
 * machine): file sha256s, symlink targets, PID files, markers, OS, architecture, free disk, listening TCP ports.
 * Read-only, POSIX sh + coreutils only. Paths travel as arguments, never inside the script. A large file an
 * upload stamped (model/sha256-stamp.ts) is not re-hashed while its size, inode, mtime and ctime are as stamped.
 * A PID is alive when signalable (or visible in /proc, for a non-root user) and not a zombie: an exited daemon
 * stays signalable until its parent (often a slow PID 1) reaps it.
 */
import { RemoteError } from '../errors.js';
import type { CommandAnswer, Transport } from '../transport/transport.js';
import { parseDfPk, type DiskFree } from './disk-free.js';
import { parseProcNetTcp, parseSsListening, type ListeningSocket } from './listening-ports.js';
import { parseOsRelease, type OsRelease } from './os-release.js';
import { STAMP_STAT, STAMP_SUFFIX } from '../model/sha256-stamp.js';

/*
 * Forks are what a probe costs (about 4 ms each on a busy 2-core machine, and one probe runs per host at once), so
 * the script keeps them out of its loops: one `stat` answers a stamp (its directory's owner and mode, the file's
 * identity), a PID file and /proc/PID/stat are read with `read`, paths are cut with parameter expansion. A PID's
 * command line is cut to 300 characters by the parser.
 */
export const HOST_PROBE_SCRIPT = `
me=$(id -u)
nl='
'
cr=$(printf '\\r')
# The stamp beside "$1" holds its sha256 when the stamp's directory is the running user's alone (no group or other
# write) and the file's size, inode, mtime and ctime are as stamped. Sets h to the sha256, or fails.
stamped_sha() {
  [ -f "$1${STAMP_SUFFIX}" ] && read -r h st < "$1${STAMP_SUFFIX}" && [ \${#h} -eq 64 ] || return 1
  case $h in *[!0-9a-f]*) return 1 ;; esac
  d=\${1%/*}
  two=$(stat -c '%u %a|${STAMP_STAT}' -- "\${d:-/}" "$1" 2>/dev/null) || return 1
  case $two in *"$nl"*) ;; *) return 1 ;; esac
  dir=\${two%%"$nl"*}; file=\${two#*"$nl"}
  [ "\${dir%% *}" = "$me" ] || return 1
  mode=\${dir#* }; mode=\${mode%%|*}
  [ $(( 0$mode & 022 )) -eq 0 ] && [ "\${file#*|}" = "$st" ]
}
stamps=$1; shift
n=$1; shift; i=0
while [ "$i" -lt "$n" ]; do
  if [ -f "$1" ]; then
    if [ "$stamps" = trust ] && stamped_sha "$1"; then printf 'F %s + %s\\n' "$i" "$h"
    elif s=$(sha256sum < "$1" 2>/dev/null); then printf 'F %s + %s\\n' "$i" "\${s%% *}"; else printf 'F %s !\\n' "$i"; fi
  else printf 'F %s -\\n' "$i"; fi
  i=$((i+1)); shift
done
n=$1; shift; i=0
while [ "$i" -lt "$n" ]; do
  if [ -L "$1" ]; then printf 'L %s + %s\\n' "$i" "$(readlink -- "$1")"; else printf 'L %s -\\n' "$i"; fi
  i=$((i+1)); shift
done
n=$1; shift; i=0
while [ "$i" -lt "$n" ]; do
  if [ -r "$1" ]; then
    p=; read -r p rest < "$1"; p=\${p%"$cr"}
    case $p in
      ''|*[!0-9]*) printf 'P %s ?\\n' "$i" ;;
      *) sl=; { kill -0 "$p" 2>/dev/null || [ -d "/proc/$p" ]; } && read -r sl 2>/dev/null < "/proc/$p/stat"
         case \${sl##*) } in
           ''|Z*) printf 'P %s x %s\\n' "$i" "$p" ;;
           *) c=$(tr '\\0\\n' '  ' 2>/dev/null < "/proc/$p/cmdline")
              printf 'P %s + %s %s\\n' "$i" "$p" "$c" ;;
         esac ;;
    esac
  else printf 'P %s -\\n' "$i"; fi
  i=$((i+1)); shift
done
n=$1; shift; i=0
while [ "$i" -lt "$n" ]; do
  if [ -e "$1" ] || [ -L "$1" ]; then printf 'M %s +\\n' "$i"; else printf 'M %s -\\n' "$i"; fi
  i=$((i+1)); shift
done
echo @os; cat /etc/os-release 2>/dev/null
echo @arch; uname -m
echo @df
if [ -n "$1" ]; then d=$1; while [ ! -e "$d" ]; do d=\${d%/*}; d=\${d:-/}; done; df -Pk -- "$d" 2>/dev/null; fi
if command -v ss >/dev/null 2>&1; then echo @ss; ss -ltnp 2>/dev/null
else echo @proc-net-tcp; cat /proc/net/tcp /proc/net/tcp6 2>/dev/null; fi
exit 0
`;

export interface ProbePaths {
  readonly files?: readonly string[];
  readonly links?: readonly string[];
  readonly pidFiles?: readonly string[];
  readonly markers?: readonly string[];
  /** Free space is measured on the filesystem holding this path (or its nearest existing ancestor). */
  readonly diskPath?: string;
  /** Re-hash every file, ignoring the sha256 stamps uploads leave beside large files (`--verify`). */
  readonly verify?: boolean;
}

export type PidState =
  | { readonly state: 'absent' }
  | { readonly state: 'invalid' }
  | { readonly state: 'dead'; readonly pid: number }
  | { readonly state: 'alive'; readonly pid: number; readonly cmdline: string };

export interface HostFacts {
  /** sha256 hex per file; null = absent. */
  readonly files: Readonly<Record<string, string | null>>;
  /** Files that exist but could not be read. */
  readonly unreadable: readonly string[];
  /** Symlink target per path; null = not a symlink or absent. */
  readonly links: Readonly<Record<string, string | null>>;
  readonly pids: Readonly<Record<string, PidState>>;
  readonly markers: Readonly<Record<string, boolean>>;
  readonly os: OsRelease | null;
  /** `uname -m`: x86_64, aarch64. */
  readonly arch: string;
  readonly disk: DiskFree | null;
  readonly listening: readonly ListeningSocket[];
}

export function hostProbeArgv(p: ProbePaths): string[] {
  const list = (xs: readonly string[] = []) => [String(xs.length), ...xs];
  return ['sh', '-c', HOST_PROBE_SCRIPT, 'sh', p.verify ? 'verify' : 'trust', ...list(p.files), ...list(p.links), ...list(p.pidFiles),
    ...list(p.markers), p.diskPath ?? ''];
}

export function parseHostProbe(stdout: string, p: ProbePaths): HostFacts {
  const files: Record<string, string | null> = {};
  const links: Record<string, string | null> = {};
  const pids: Record<string, PidState> = {};
  const markers: Record<string, boolean> = {};
  const unreadable: string[] = [];
  const sections: Record<string, string[]> = {};
  let section: string[] | undefined;
  for (const line of stdout.split('\n')) {
    if (/^@[a-z-]+$/.test(line)) {
      section = sections[line.slice(1)] = [];
      continue;
    }
    if (section) {
      section.push(line);
      continue;
    }
    const m = /^([FLPM]) (\d+) (\S)(?: (.*))?$/.exec(line);
    if (!m) continue;
    const [, kind, idx, flag, rest = ''] = m;
    const i = Number(idx);
    if (kind === 'F') {
      const path = p.files![i]!;
      if (flag === '!') unreadable.push(path);
      files[path] = flag === '+' ? rest : null;
    } else if (kind === 'L') {
      links[p.links![i]!] = flag === '+' ? rest : null;
    } else if (kind === 'M') {
      markers[p.markers![i]!] = flag === '+';
    } else {
      pids[p.pidFiles![i]!] = pidState(flag!, rest);
    }
  }
  const ports = sections['ss'] ? parseSsListening(sections['ss'].join('\n')) : parseProcNetTcp((sections['proc-net-tcp'] ?? []).join('\n'));
  return {
    files, unreadable, links, pids, markers,
    os: parseOsRelease((sections['os'] ?? []).join('\n')),
    arch: (sections['arch'] ?? [])[0]?.trim() ?? '',
    disk: parseDfPk((sections['df'] ?? []).join('\n')),
    listening: ports,
  };
}

function pidState(flag: string, rest: string): PidState {
  if (flag === '-') return { state: 'absent' };
  if (flag === '?') return { state: 'invalid' };
  const [pid = '', ...cmd] = rest.split(' ');
  return flag === '+' ? { state: 'alive', pid: Number(pid), cmdline: cmd.join(' ').slice(0, 300).trim() } : { state: 'dead', pid: Number(pid) };
}

/** How long one probe may take: it hashes the files no upload stamped. */
export const HOST_PROBE_TIMEOUT_MS = 120_000;

const complete = (r: CommandAnswer): boolean => r.exitCode === 0 && r.stdout.includes('@arch');

/**
 * Runs the probe; a failure to run it at all (not a missing file) is a RemoteError naming the host. `answered`: what
 * the host already answered to this very probe (in its connection's first command); asked again unless it is whole.
 */
export async function probeHost(t: Transport, paths: ProbePaths, answered?: CommandAnswer): Promise<HostFacts> {
  if (answered && complete(answered)) return parseHostProbe(answered.stdout, paths);
  const r = await t.exec({ argv: hostProbeArgv(paths), timeoutMs: HOST_PROBE_TIMEOUT_MS });
  if (!complete(r)) {
    throw new RemoteError(t.host, `host probe failed (exit ${r.exitCode})`, r.stderr.slice(-2000));
  }
  return parseHostProbe(r.stdout, paths);
}
