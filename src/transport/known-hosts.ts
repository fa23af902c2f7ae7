/**
 * OpenSSH known_hosts parsing and matching (pure). Plain, wildcard, negated and hashed (`|1|salt|hash`)
 * host patterns; `[host]:port` names for non-22 ports; @revoked lines. @cert-authority lines are ignored
 * (we do not verify host certificates).
 */
import { createHmac } from 'node:crypto';

export interface KnownHostEntry {
  readonly marker: 'revoked' | 'cert-authority' | null;
  /** Comma-separated patterns as written, or one hashed pattern. */
  readonly patterns: readonly string[];
  readonly keyType: string;
  /** base64 of the key blob, as in the file. */
  readonly keyBase64: string;
  readonly line: number;
}

export type HostKeyStatus = 'known' | 'unknown' | 'changed' | 'revoked';

/**
 * The name a host's key is looked up and recorded under: the address actually dialled (after ssh_config's HostName),
 * as `[address]:port` when the port is not 22, as OpenSSH does; or an explicit HostKeyAlias instead. Never the
 * inventory's logical name: a `gw-1` line learned for one estate must not vouch for the `gw-1` of another inventory
 * that shares the known_hosts file.
 */
export function hostCandidates(address: string, port: number, alias?: string): string[] {
  const name = alias ?? address;
  return [port === 22 ? name : `[${name}]:${port}`];
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields[0] === '@revoked' ? 'revoked' : 'cert-authority';
      fields.shift();
    }
    const [hosts, keyType, keyBase64] = fields;
    if (hosts === undefined || keyType === undefined || keyBase64 === undefined) return; // malformed: skip like ssh
    const patterns = hosts.startsWith('|') ? [hosts] : hosts.split(',');
    out.push({ marker, patterns, keyType, keyBase64, line: i + 1 });
  });
  return out;
}

/** Work done by globMatch, for a test that bounds it by count of steps rather than by wall clock. */
export const globSteps = { count: 0 };

/**
 * OpenSSH's `*` and `?` host patterns, case-insensitive, in O(pattern × text) steps at worst: the last `*` is the
 * only backtracking point, so a pattern like `*a*a*a*a*b` cannot explode the way a regular expression would.
 */
export function globMatch(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    globSteps.count++;
    if (pi < p.length && (p[pi] === '?' || (p[pi] !== '*' && p[pi] === t[ti]))) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = ti;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

function hashedMatches(pattern: string, candidate: string): boolean {
  const [, magic, salt, hash] = pattern.split('|');
  if (magic !== '1' || salt === undefined || hash === undefined) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(candidate).digest('base64');
  return digest === hash;
}

/** True when the entry's host patterns select `candidate` (a negated match excludes the line). */
export function entryMatches(entry: KnownHostEntry, candidate: string): boolean {
  let matched = false;
  for (const p of entry.patterns) {
    if (p.startsWith('|')) {
      if (hashedMatches(p, candidate)) matched = true;
    } else if (p.startsWith('!')) {
      if (globMatch(p.slice(1), candidate)) return false;
    } else if (globMatch(p, candidate)) {
      matched = true;
    }
  }
  return matched;
}

/** Key type name and base64 from an SSH wire-format public key blob (what ssh2's hostVerifier receives). */
export function describeKeyBlob(blob: Buffer): { keyType: string; keyBase64: string } {
  const len = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  return { keyType: blob.subarray(4, 4 + len).toString('latin1'), keyBase64: blob.toString('base64') };
}

/** Decide what the presented key means for a host recorded under any of `candidates`. */
export function checkHostKey(entries: readonly KnownHostEntry[], candidates: readonly string[], blob: Buffer): HostKeyStatus {
  const { keyBase64 } = describeKeyBlob(blob);
  const forHost = entries.filter((e) => candidates.some((c) => entryMatches(e, c)));
  if (forHost.some((e) => e.marker === 'revoked' && e.keyBase64 === keyBase64)) return 'revoked';
  const usable = forHost.filter((e) => e.marker === null);
  if (usable.some((e) => e.keyBase64 === keyBase64)) return 'known';
  return usable.length > 0 ? 'changed' : 'unknown';
}

const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** Like OpenSSH: ask the server first for key types we already know for this host, so a known host is not "changed". */
export function preferredHostKeyAlgorithms(entries: readonly KnownHostEntry[], candidates: readonly string[]): string[] {
  const knownTypes = new Set(
    entries.filter((e) => e.marker === null && candidates.some((c) => entryMatches(e, c))).map((e) => e.keyType),
  );
  const algoType = (a: string): string => (a.startsWith('rsa-sha2-') ? 'ssh-rsa' : a);
  const first = DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => knownTypes.has(algoType(a)));
  return [...first, ...DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => !first.includes(a))];
}

/** The line to append when trusting a new key. Plain names (not hashed), like `ssh-keyscan` without -H. */
export function knownHostsLine(candidates: readonly string[], blob: Buffer): string {
  const { keyType, keyBase64 } = describeKeyBlob(blob);
  return `${candidates.join(',')} ${keyType} ${keyBase64}\n`;
}

/** A key blob (SSH wire format: its type string first) as known_hosts writes it: `<type> <base64>`; null when unreadable. */
export function knownHostsKey(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const n = blob.readUInt32BE(0);
  const type = blob.subarray(4, 4 + n).toString('latin1');
  return n > 0 && 4 + n <= blob.length && /^[a-z0-9@.-]+$/.test(type) ? `${type} ${blob.toString('base64')}` : null;
}
