import type { JumpHost } from './inventory.js';

/**
 * `[user@]host[:port]` (IPv6 as `[addr]:port`), as ssh_config's ProxyJump and the inventory's `proxy_jump` write a
 * jump host that is not an inventory host. Undefined when it is not of that shape.
 */
export function parseJumpSpec(spec: string): JumpHost | undefined {
  const m = /^(?:([A-Za-z0-9._-]+)@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(spec.trim());
  if (!m) return undefined;
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  const address = m[2]!.replace(/^\[(.*)\]$/, '$1');
  return { label: spec.trim(), address, ...(m[1] ? { user: m[1] } : {}), ...(port !== undefined ? { port } : {}) };
}
