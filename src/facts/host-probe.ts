/**
 * Many facts about one host in one command (a command costs ~40 ms over an open connection, far more on a busy
 * machine): file sha256s, symlink targets, PID files, markers, OS, architecture, free disk, listening TCP ports.
 * Read-only, POSIX sh + coreutils only. Paths travel as arguments, never inside the script. A large file an
 * upload stamped (model/sha256-stamp.ts) is not re-hashed while its size, inode, mtime and ctime are as stamped.
 * A PID is alive when signalable (or visible in /proc, for a non-root user) and not a zombie: an exited daemon
 * stays signalable until its parent (often a slow PID 1) reaps it.
 */
import { RemoteError } from '../errors.js';
import type { Transport } from '../transport/transport.js';
import { parseDfPk, type DiskFree } from './disk-free.js';
import { parseProcNetTcp, parseSsListening, type ListeningSocket } from './listening-ports.js';
import { parseOsRelease, type OsRelease } from './os-release.js';
import { PRIVATE_DIR_TEST, STAMP_STAT, STAMP_SUFFIX } from '../model/sha256-stamp.js';

export const HOST_PROBE_SCRIPT = `
stamps=$1; shift
n=$1; shift; i=0
while [ "$i" -lt "$n" ]; do
  if [ -f "$1" ]; then
    h=
    if [ "$stamps" = trust ] && [ -f "$1${STAMP_SUFFIX}" ] && d=$(dirname -- "$1") && ${PRIVATE_DIR_TEST} &&
       read -r stamped st < "$1${STAMP_SUFFIX}" &&
       [ "$st" = "$(stat -c '${STAMP_STAT}' -- "$1" 2>/dev/null)" ] && [ \${#stamped} -eq 64 ]; then
      case $stamped in *[!0-9a-f]*) ;; *) h=$stamped ;; esac
    fi
    if [ -n "$h" ]; then printf 'F %s + %s\\n' "$i" "$h"
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
    p=$(tr -d ' \\t\\r\\n' < "$1")
    case $p in
      ''|*[!0-9]*) printf 'P %s ?\\n' "$i" ;;
      *) if { kill -0 "$p" 2>/dev/null || [ -d "/proc/$p" ]; } &&
            ! { sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | grep -q '^Z'; }; then
           c=$(tr '\\0\\n' '  ' < "/proc/$p/cmdline" 2>/dev/null | cut -c1-300)
           printf 'P %s + %s %s\\n' "$i" "$p" "$c"
         else printf 'P %s x %s\\n' "$i" "$p"; fi ;;
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
if [ -n "$1" ]; then d=$1; while [ ! -e "$d" ]; do d=$(dirname -- "$d"); done; df -Pk -- "$d" 2>/dev/null; fi
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
  return flag === '+' ? { state: 'alive', pid: Number(pid), cmdline: cmd.join(' ').trim() } : { state: 'dead', pid: Number(pid) };
}

/** Runs the probe; a failure to run it at all (not a missing file) is a RemoteError naming the host. */
export async function probeHost(t: Transport, paths: ProbePaths): Promise<HostFacts> {
  const r = await t.exec({ argv: hostProbeArgv(paths), timeoutMs: 120_000 });
  if (r.exitCode !== 0 || !r.stdout.includes('@arch')) {
    throw new RemoteError(t.host, `host probe failed (exit ${r.exitCode})`, r.stderr.slice(-2000));
  }
  return parseHostProbe(r.stdout, paths);
}
