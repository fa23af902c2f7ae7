import { posix } from 'node:path';
import { RemoteError, TransportError } from '../../errors.js';
import type { HostName, NodeRef } from '../../model/inventory.js';
import type { RemoteCommand, Transport } from '../../transport/transport.js';

/** What a role dir holds: the running release, the remembered previous one, every unpacked release. */
export interface RoleReleases {
  readonly current: string | null;
  readonly previous: string | null;
  /** Newest first (by the time the directory was created or last had entries added: ctime). */
  readonly releases: readonly string[];
}

/** Per role dir: its links and its release dirs with their ctime. Read-only. */
export const releasesCommand = (roleDirs: readonly string[]): RemoteCommand => ({
  argv: ['sh', '-c', [
    'for d in "$@"; do',
    '  printf "role\\t%s\\n" "$d"',
    '  printf "current\\t%s\\n" "$(readlink -- "$d/current" 2>/dev/null)"',
    '  printf "previous\\t%s\\n" "$(readlink -- "$d/previous" 2>/dev/null)"',
    '  for r in "$d"/releases/*/; do [ -d "$r" ] && printf "release\\t%s\\t%s\\n" "$(stat -c %Z -- "$r")" "${r%/}"; done',
    'done',
    'exit 0',
  ].join('\n'), 'releases', ...roleDirs],
});

/** Pure parser of releasesCommand's output. */
export function parseReleases(out: string): Map<string, RoleReleases> {
  const acc = new Map<string, { current: string | null; previous: string | null; releases: { dir: string; ctime: number }[] }>();
  let role: ReturnType<typeof acc.get>;
  for (const line of out.split('\n')) {
    const [tag, a = '', b = ''] = line.split('\t');
    if (tag === 'role') acc.set(a, (role = { current: null, previous: null, releases: [] }));
    else if (!role) continue;
    else if (tag === 'current') role.current = a || null;
    else if (tag === 'previous') role.previous = a || null;
    else if (tag === 'release') role.releases.push({ ctime: Number(a), dir: b });
  }
  return new Map([...acc].map(([dir, r]) => [dir, {
    current: r.current, previous: r.previous,
    releases: [...r.releases].sort((x, y) => y.ctime - x.ctime || y.dir.localeCompare(x.dir)).map((x) => x.dir),
  }]));
}

export async function readReleases(transport: Transport, roleDirs: readonly string[]): Promise<Map<string, RoleReleases>> {
  const r = await transport.exec(releasesCommand(roleDirs));
  if (r.exitCode !== 0) throw new RemoteError(transport.host, 'cannot list the release directories', r.stderr.trim());
  return parseReleases(r.stdout);
}

/**
 * The release to go back to: `previous` when it names another existing release, else the newest other
 * release dir; null when there is none.
 */
export function rollbackTarget(r: RoleReleases): string | null {
  if (r.previous && r.previous !== r.current && r.releases.includes(r.previous)) return r.previous;
  return r.releases.find((d) => d !== r.current) ?? null;
}

/** `…/releases/4.5.0-1a2b3c4d` → `4.5.0` (null for a dir not named by apim-deploy). */
export function releaseVersion(dir: string | null): string | null {
  if (!dir) return null;
  return /^(\d+\.\d+\.\d+)-[0-9a-f]{8}$/.exec(posix.basename(dir))?.[1] ?? null;
}

export const roleDirOf = (link: string): string => posix.dirname(link);

/**
 * Release facts for every WSO2 node given, one command per host, all hosts at once. Keyed by releasesKey.
 * `skipUnreachable` (a run's closing recap): a host that stopped answering is left out instead of failing the read.
 */
export async function readNodeReleases(transports: ReadonlyMap<HostName, Transport>, nodes: readonly { node: NodeRef; link: string }[],
  opts: { skipUnreachable?: boolean } = {}): Promise<Map<string, RoleReleases>> {
  const byHost = new Map<HostName, string[]>();
  for (const n of nodes) (byHost.get(n.node.host) ?? byHost.set(n.node.host, []).get(n.node.host)!).push(roleDirOf(n.link));
  const out = new Map<string, RoleReleases>();
  await Promise.all([...byHost].map(async ([host, dirs]) => {
    const t = transports.get(host);
    if (!t && opts.skipUnreachable) return;
    const found = await readReleases(t!, dirs).catch((err: unknown) => {
      if (opts.skipUnreachable && err instanceof TransportError) return new Map<string, RoleReleases>();
      throw err;
    });
    for (const [dir, r] of found) out.set(`${host}:${dir}/current`, r);
  }));
  return out;
}

/** The key of a node's releases in readNodeReleases' answer: its host and its `current` link. */
export const releasesKey = (node: NodeRef, link: string): string => `${node.host}:${link}`;
