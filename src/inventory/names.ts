import { isIPv4, isIPv6, SocketAddress } from 'node:net';

/**
 * Strict shapes for values that reach shells, file paths, systemd unit names, SQL identifiers or TOML raw.
 * Each pattern comes with the sentence the operator sees.
 */
export interface NameRule {
  readonly test: (value: string) => boolean;
  readonly expected: string;
  /** The one spelling a valid value is kept in (an IPv6 address written two ways is one address). */
  readonly normalize?: (value: string) => string;
  /** The same rule as a JSON Schema `pattern`, for editors (looser where the test is code: the CLI decides). */
  readonly pattern: string;
}

const re = (pattern: RegExp, expected: string): NameRule => ({ test: (v) => pattern.test(v), expected, pattern: pattern.source });

/** Host and datacenter names: used in directory names, unit names and TOML; a DNS label, lower case. */
export const HOST_NAME = re(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'lower-case letters, digits and inner hyphens (a DNS label, at most 63 characters)');
export const INVENTORY_NAME = re(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lower-case letters, digits, ".", "_" and "-" (at most 63 characters)');
const DNS_LABELS = '(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*';
export const DNS_NAME: NameRule = { test: isDnsName, expected: 'a DNS name like db.example.internal', pattern: `^${DNS_LABELS}$` };
export const ADDRESS: NameRule = {
  // A zone (fe80::1%eth0) names an interface of the machine that reads it: meaningless on another host, and `%`
  // would need escaping in every URL.
  test: (v) => isIPv4(v) || (isIPv6(v) && !v.includes('%')) || isDnsName(v),
  expected: 'an IPv4 address, an IPv6 address without a %zone, or a DNS name',
  normalize: normalizeAddress,
  // DNS labels (IPv4 addresses among them) or anything of hex digits, ':' and '.' (IPv6, no zone).
  pattern: `^(?:${DNS_LABELS}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$`,
};
/** Absolute, and no segment is `.` or `..` (or starts with a dot): a path can never climb out of where it points. */
export const ABSOLUTE_PATH = re(
  /^(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)+$/,
  'an absolute path like /opt/wso2: segments of letters, digits, ".", "_" and "-", none starting with "." (so no ".." segments)',
);
export const UNIX_NAME = re(/^[a-z_][a-z0-9_-]{0,31}$/, 'a Unix user/group name: lower-case letters, digits, "_" and "-"');
export const SQL_NAME = re(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'letters, digits and "_" (a plain SQL identifier)');
export const LOGIN_NAME = re(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'letters, digits, ".", "_", "@" and "-"');
export const HEAP_SIZE = re(/^[1-9][0-9]{0,5}[mMgG]$/, 'a JVM heap size like 512m or 2g');
export const LABEL = re(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, 'letters, digits, spaces, ".", "_" and "-"');
/** Distribution, JDK and driver files keep their name on the hosts (under .artifacts/<kind>/). */
export const ARTIFACT_FILE_NAME = re(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$/, 'letters, digits, ".", "_", "+" and "-", not starting with "." or "-"');
export const SHA256 = re(/^[0-9a-fA-F]{64}$/, '64 hexadecimal digits');

/**
 * IPv6 in its one canonical text form (RFC 5952, as node:net's SocketAddress writes it), and an IPv4-mapped IPv6
 * address as the IPv4 address it is; DNS names lower-cased. Two spellings of one address compare equal after this.
 */
export function normalizeAddress(v: string): string {
  if (!isIPv6(v)) return isIPv4(v) ? v : v.toLowerCase();
  const canonical = new SocketAddress({ address: v, family: 'ipv6' }).address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(canonical)?.[1];
  return mapped ?? canonical;
}

function isDnsName(v: string): boolean {
  if (v.length === 0 || v.length > 253 || isIPv4(v) || /^[0-9.]+$/.test(v)) return false;
  return v.split('.').every((label) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label));
}
