/**
 * Listening TCP sockets, from `ss -ltnp` (with process ids when run as root) or, where ss is missing,
 * /proc/net/tcp and /proc/net/tcp6 (no process ids).
 */
export interface ListeningSocket {
  readonly address: string;
  readonly port: number;
  /** Owning processes; empty when unknown (no ss, or not root). */
  readonly pids: readonly number[];
  readonly processes: readonly string[];
}

export function parseSsListening(text: string): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[0] !== 'LISTEN' || f[3] === undefined) continue;
    const local = f[3];
    const colon = local.lastIndexOf(':');
    const port = Number(local.slice(colon + 1));
    if (!Number.isInteger(port)) continue;
    const address = local.slice(0, colon).replace(/^\[|\]$/g, '').replace(/%.*$/, '');
    const rest = f.slice(5).join(' ');
    out.push({
      address, port,
      pids: [...rest.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])),
      processes: [...new Set([...rest.matchAll(/\("([^"]*)"/g)].map((m) => m[1]!))],
    });
  }
  return out;
}

/** /proc/net/tcp{,6}: hex little-endian addresses, state 0A = LISTEN. */
export function parseProcNetTcp(text: string): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[3] !== '0A' || f[1] === undefined || !f[1].includes(':')) continue;
    const [hexAddr, hexPort] = f[1].split(':') as [string, string];
    out.push({ address: decodeProcAddress(hexAddr), port: parseInt(hexPort, 16), pids: [], processes: [] });
  }
  return out;
}

function decodeProcAddress(hex: string): string {
  // Each 32-bit word is stored in host (little-endian) byte order.
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    const word = hex.slice(w, w + 8);
    for (let b = 6; b >= 0; b -= 2) bytes.push(parseInt(word.slice(b, b + 2), 16));
  }
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return compressIpv6(groups);
}

/** RFC 5952: the longest run (2+) of zero groups becomes '::'. */
function compressIpv6(groups: string[]): string {
  let best = { at: -1, len: 1 };
  for (let i = 0; i < groups.length; ) {
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j > i ? j : i + 1;
  }
  if (best.at < 0) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
}
