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
 * the script keeps them out of its loops: one `stat` answers every stamp (each directory's owner and mode, each
 * file's identity), one `sha256sum` hashes the files no stamp answers, one `readlink` reads the links, each exec'd by
 * its command substitution (no second fork); a PID file, /proc/PID/stat, os-release, the user's uid and the
 * architecture (/proc/sys/kernel/arch, Linux 6.1+; else `uname -m`) are read with `read`; paths are cut with
 * parameter expansion. A command whose answer does not line up with what it was asked (a file gone or unreadable
 * since the test) is asked again one path at a time, so a path is never answered with another's. Paths stay
 * arguments: the commands name them as "${N}", expanded by `eval`, never pasted into the script. A PID's command
 * line is cut to 300 characters by the parser.
 */
export const HOST_PROBE_SCRIPT = `
nl='
'
me=
while read -r k real eff rest; do [ "$k" = Uid: ] && { me=$eff; break; }; done 2>/dev/null < /proc/self/status
[ -n "$me" ] || me=$(id -u)
lines() { k=0 r=$1; while [ -n "$r" ]; do r=\${r#*"$nl"}; k=$((k+1)); done; }
# hash_one INDEX PATH: one file on its own.
hash_one() {
  if s=$(sha256sum < "$2" 2>/dev/null); then printf 'F %s + %s\\n' "$1" "\${s%% *}"; else printf 'F %s !\\n' "$1"; fi
}
stamps=$1; shift
# Files are $1..$n. A stamp holds its file's sha256 when the stamp's directory is the running user's alone (no group
# or other write) and the file's size, inode, mtime and ctime are as stamped.
n=$1; shift; i=0 srefs= swant= hrefs= hwant=
while [ "$i" -lt "$n" ]; do
  i=$((i+1)); j=$((i-1)); eval "f=\\\${$i}"
  if [ ! -f "$f" ]; then printf 'F %s -\\n' "$j"; continue; fi
  if [ "$stamps" = trust ] && [ -f "$f${STAMP_SUFFIX}" ] && read -r h st 2>/dev/null < "$f${STAMP_SUFFIX}" && [ \${#h} -eq 64 ]; then
    case $h in
      *[!0-9a-f]*) ;;
      *) d=\${f%/*}; eval "h_$j=\\$h st_$j=\\$st d_$j=\\\${d:-/}"
         srefs="$srefs \\"\\$d_$j\\" \\"\\\${$i}\\""; swant="$swant $j"; continue ;;
    esac
  fi
  case $f in /*) hrefs="$hrefs \\"\\\${$i}\\""; hwant="$hwant $j" ;; *) hash_one "$j" "$f" ;; esac
done
if [ -n "$swant" ]; then
  two=$(eval "exec stat -c '%u %a|${STAMP_STAT}' -- $srefs" 2>/dev/null) && two=$two$nl || two=
  for j in $swant; do
    eval "h=\\$h_$j st=\\$st_$j"
    dir=\${two%%"$nl"*}; two=\${two#*"$nl"}; file=\${two%%"$nl"*}; two=\${two#*"$nl"}
    mode=\${dir#* }; mode=\${mode%%|*}
    case $mode in
      ''|*[!0-7]*) ;;
      *) if [ "\${dir%% *}" = "$me" ] && [ $(( 0$mode & 022 )) -eq 0 ] && [ "\${file#*|}" = "$st" ]; then printf 'F %s + %s\\n' "$j" "$h"; continue; fi ;;
    esac
    hrefs="$hrefs \\"\\\${$((j + 1))}\\""; hwant="$hwant $j"
  done
fi
if [ -n "$hwant" ]; then
  out=$(eval "exec sha256sum -- $hrefs" 2>/dev/null) && out=$out$nl || out=
  for j in $hwant; do
    line=\${out%%"$nl"*}; out=\${out#*"$nl"}; s=\${line#\\\\}; s=\${s%% *}
    case $s in
      *[!0-9a-f]*|'') ;;
      *) if [ \${#s} -eq 64 ]; then printf 'F %s + %s\\n' "$j" "$s"; continue; fi ;;
    esac
    eval "f=\\\${$((j + 1))}"; hash_one "$j" "$f"
  done
fi
shift "$n"
n=$1; shift; i=0 refs= want= m=0
while [ "$i" -lt "$n" ]; do
  i=$((i+1)); j=$((i-1)); eval "f=\\\${$i}"
  if [ -L "$f" ]; then refs="$refs \\"\\\${$i}\\""; want="$want $j"; m=$((m+1)); else printf 'L %s -\\n' "$j"; fi
done
if [ -n "$want" ]; then
  out=$(eval "exec readlink -- $refs" 2>/dev/null) && out=$out$nl || out=
  lines "$out"
  for j in $want; do
    if [ "$k" -eq "$m" ]; then printf 'L %s + %s\\n' "$j" "\${out%%"$nl"*}"; out=\${out#*"$nl"}
    else eval "f=\\\${$((j + 1))}"; if t=$(readlink -- "$f"); then printf 'L %s + %s\\n' "$j" "$t"; else printf 'L %s -\\n' "$j"; fi; fi
  done
fi
shift "$n"
n=$1; shift; i=0
while [ "$i" -lt "$n" ]; do
  if [ -r "$1" ]; then
    p=; read -r p rest < "$1"; p=\${p%[[:cntrl:]]}
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
echo @os
if [ -r /etc/os-release ]; then while IFS= read -r l || [ -n "$l" ]; do printf '%s\\n' "$l"; done < /etc/os-release; fi
echo @arch; a=; read -r a 2>/dev/null < /proc/sys/kernel/arch; if [ -n "$a" ]; then echo "$a"; else uname -m; fi
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
