/**
 * Each host's login, from the connection keys of src/inventory/connection-keys.ts: host over datacenter over
 * defaults, every value remembering the key that gave it (`validate --explain`). `proxy_jump` names inventory hosts
 * (their own login, and their own jump hosts before them: chains) or `user@host:port`.
 */
import type { BecomeSpec, HostSpec, JumpHost } from '../model/inventory.js';
import { parseJumpSpec } from '../model/jump.js';
import type { DotenvFile } from '../secrets/dotenv.js';
import type { DocPath, YamlSource } from '../yaml/source.js';
import { CONNECTION_KEY_NAMES, CONNECTION_KEYS, type CheckedValue, type ConnectionKey } from './connection-keys.js';
import type { WrittenInventory } from './schema.js';

type Checked = { -readonly [K in ConnectionKey]?: CheckedValue<K> };
type Block = Partial<Record<ConnectionKey, unknown>>;

/** The connection fields of a HostSpec. */
export type HostConnection = Pick<HostSpec, 'user' | 'port' | 'sshKey' | 'sshKeyPassphrase' | 'knownHosts' | 'sshConfig' | 'proxyJump' | 'become' | 'connectionOrigins'>;

interface Level {
  readonly values: Checked;
  readonly origins: Partial<Record<ConnectionKey, string>>;
}

function readBlock(block: Block | undefined, at: DocPath, local: boolean, ctx: { src: YamlSource; env: DotenvFile; file: string }): Level {
  const values: Checked = {};
  const origins: Partial<Record<ConnectionKey, string>> = {};
  for (const k of CONNECTION_KEY_NAMES) {
    const raw = block?.[k];
    if (raw === undefined) continue;
    const path = [...at, k];
    if (local && CONNECTION_KEYS[k].sshOnly) {
      ctx.src.add(path, `'${k}' has no meaning with connection: local; remove it`, 'key');
      continue;
    }
    const v = (CONNECTION_KEYS[k].check as (value: unknown, c: object) => unknown)(raw, { ...ctx, path });
    if (v === undefined) continue;
    (values as Record<string, unknown>)[k] = v;
    origins[k] = path.join('.');
  }
  return { values, origins };
}

/** Most specific first: host, its datacenter, defaults. */
function merge(levels: readonly Level[]): Level {
  const values: Checked = {};
  const origins: Partial<Record<ConnectionKey, string>> = {};
  for (const k of CONNECTION_KEY_NAMES) {
    const from = levels.find((l) => l.values[k] !== undefined);
    if (!from) continue;
    (values as Record<string, unknown>)[k] = from.values[k];
    origins[k] = from.origins[k]!;
  }
  return { values, origins };
}

/** Host names that `proxy_jump` mentions anywhere: they may play no role (a pure bastion). */
export function jumpHostNames(w: WrittenInventory): Set<string> {
  const blocks: (Block | undefined)[] = [w.defaults, ...Object.values(w.datacenters ?? {}), ...Object.values(w.hosts)];
  const names = blocks.flatMap((b) => {
    const raw = b?.proxy_jump;
    return typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : [];
  }).map((n) => String(n).trim());
  return new Set(names.filter((n) => n in w.hosts));
}

export interface ConnectionInput {
  readonly w: WrittenInventory;
  readonly file: string;
  readonly src: YamlSource;
  readonly env: DotenvFile;
  /** Host → its address and connection kind. */
  readonly hosts: ReadonlyMap<string, Pick<HostSpec, 'address' | 'connection'>>;
  /** Host → its datacenter (multi-DC patterns). */
  readonly datacenterOf: ReadonlyMap<string, string>;
}

export function readConnections(input: ConnectionInput): Map<string, HostConnection> {
  const { w, src } = input;
  const ctx = { src, env: input.env, file: input.file };
  const defaults = readBlock(w.defaults, ['defaults'], false, ctx);
  const dcs = new Map(Object.entries(w.datacenters ?? {}).map(([dc, b]) => [dc, readBlock(b, ['datacenters', dc], false, ctx)]));
  const merged = new Map<string, Level>();
  for (const [name, h] of Object.entries(w.hosts)) {
    const own = readBlock(h, ['hosts', name], input.hosts.get(name)?.connection === 'local', ctx);
    const dc = dcs.get(input.datacenterOf.get(name) ?? '');
    merged.set(name, merge([own, ...(dc ? [dc] : []), defaults]));
  }
  const out = new Map<string, HostConnection>();
  for (const [name, level] of merged) {
    const v = level.values;
    out.set(name, {
      ...(v.user !== undefined ? { user: v.user } : {}),
      ...(v.port !== undefined ? { port: v.port } : {}),
      ...(v.ssh_key !== undefined ? { sshKey: v.ssh_key } : {}),
      ...(v.ssh_key_passphrase !== undefined ? { sshKeyPassphrase: v.ssh_key_passphrase } : {}),
      ...(v.known_hosts !== undefined ? { knownHosts: v.known_hosts } : {}),
      ...(v.ssh_config !== undefined ? { sshConfig: v.ssh_config } : {}),
      ...becomeOf(name, level, src),
      ...(v.proxy_jump !== undefined ? { proxyJump: jumpChain(name, merged, input, [name]) ?? [] } : {}),
      connectionOrigins: level.origins,
    });
  }
  return out;
}

function becomeOf(name: string, level: Level, src: YamlSource): { become?: BecomeSpec } {
  const v = level.values;
  if (!v.become) {
    for (const k of ['become_user', 'become_password'] as const) {
      const at = level.origins[k];
      if (at?.startsWith(`hosts.${name}.`)) src.add(at.split('.'), `'${k}' needs become: sudo on this host (or in defaults)`, 'key');
    }
    return {};
  }
  return { become: { method: 'sudo', user: v.become_user ?? 'root', ...(v.become_password ? { password: v.become_password } : {}) } };
}

/** The hops of `name`'s proxy_jump, each inventory host preceded by its own hops; undefined after an error. */
function jumpChain(name: string, merged: ReadonlyMap<string, Level>, input: ConnectionInput, seen: readonly string[]): JumpHost[] | undefined {
  const level = merged.get(name)!;
  // Problems are reported where the host being resolved got its proxy_jump (seen[0]), also for hops deeper down.
  const at = (merged.get(seen[0]!)!.origins.proxy_jump ?? '').split('.');
  const out: JumpHost[] = [];
  for (const hop of level.values.proxy_jump ?? []) {
    // A host never jumps through itself: the bastion inherits `defaults.proxy_jump: bastion-1` too.
    if (hop === name) continue;
    if (!merged.has(hop)) {
      const spec = parseJumpSpec(hop);
      if (!spec) {
        input.src.add(at, `jump host '${hop}' is neither a host of this inventory nor user@host:port`);
        return undefined;
      }
      out.push(spec);
      continue;
    }
    if (seen.includes(hop)) {
      input.src.add(at, `proxy_jump goes round in a circle: ${[...seen, hop].join(' → ')}`);
      return undefined;
    }
    const before = merged.get(hop)!.values.proxy_jump !== undefined ? jumpChain(hop, merged, input, [...seen, hop]) : [];
    if (before === undefined) return undefined;
    const v = merged.get(hop)!.values;
    out.push(...before, {
      label: hop, address: input.hosts.get(hop)?.address ?? hop,
      ...(v.port !== undefined ? { port: v.port } : {}), ...(v.user !== undefined ? { user: v.user } : {}),
      ...(v.ssh_key !== undefined ? { sshKey: v.ssh_key } : {}), ...(v.known_hosts !== undefined ? { knownHosts: v.known_hosts } : {}),
    });
  }
  return out;
}
