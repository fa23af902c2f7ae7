/**
 * Where and as whom the SSH transport logs in to a host: what the inventory says, completed by ssh_config for what
 * it leaves unsaid (the inventory wins where both say something), then built-in defaults. Jump hosts (ProxyJump)
 * are resolved the same way, each through ssh_config like OpenSSH does. Every value remembers where it came from,
 * for `validate --explain`.
 */
import { ConfigError } from '../errors.js';
import type { JumpHost } from '../model/inventory.js';
import { parseJumpSpec as parseHop } from '../model/jump.js';
import type { Secret } from '../model/secret.js';
import type { SshConfigFile } from './ssh-config.js';

/** A jump host as the inventory names it: another inventory host, or parsed from `user@host:port`. */
export type JumpRequest = JumpHost;

/** What the inventory says about one host's login; undefined means "not said" (ssh_config or a default decides). */
export interface ConnectionRequest {
  readonly name: string;
  /** Address or ssh_config alias. */
  readonly address: string;
  readonly port?: number;
  readonly user?: string;
  readonly sshKey?: string;
  readonly knownHosts?: string;
  readonly keyPassphrase?: Secret;
  /** Outermost first. `[]`: explicitly none (ssh_config's ProxyJump is ignored). */
  readonly proxyJump?: readonly JumpRequest[];
  /** Where each value the inventory gave came from (`hosts.cp-1`, `defaults`, ...), for explain. */
  readonly origins?: Readonly<Partial<Record<EndpointField, string>>>;
}

export type EndpointField = 'address' | 'port' | 'user' | 'identity' | 'knownHosts' | 'proxyJump';

export interface SshEndpoint {
  /** Names it in messages and connection counts: the inventory host name, or the jump spec. */
  readonly label: string;
  /** known_hosts entries are looked up under this name too (an inventory host name). */
  readonly hostKeyName: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  /** Key files tried after ssh-agent, in order; empty: ~/.ssh/id_ed25519, id_ecdsa, id_rsa. */
  readonly identityFiles: readonly string[];
  readonly keyPassphrase?: Secret;
  readonly knownHosts?: string;
  /** Hosts to jump through, outermost first. */
  readonly jump: readonly SshEndpoint[];
  readonly origins: Readonly<Record<EndpointField, string>>;
}

const DEFAULT = 'built-in default';

/** A ProxyJump hop from ssh_config: `[user@]host[:port]`. */
export function parseJumpSpec(spec: string, from = 'ssh_config'): JumpRequest {
  const hop = parseHop(spec);
  if (!hop) throw new ConfigError(`${from}: jump host '${spec}' is not [user@]host[:port]`, []);
  return hop;
}

/** A jump hop: its own ssh_config entry first, then the target's key and known_hosts (one operator, one key). */
function hop(j: JumpRequest, target: SshEndpoint | undefined, cfg: SshConfigFile, fallbackUser: string): SshEndpoint {
  const c = cfg.lookup(j.address);
  const identity = j.sshKey !== undefined ? [j.sshKey] : c.identityFiles?.value ?? target?.identityFiles ?? [];
  const knownHosts = j.knownHosts ?? c.knownHosts?.value ?? target?.knownHosts;
  return {
    label: j.label, hostKeyName: j.label.includes('@') || j.label.includes(':') ? (c.hostName?.value ?? j.address) : j.label,
    address: c.hostName?.value ?? j.address,
    port: j.port ?? c.port?.value ?? 22,
    user: j.user ?? c.user?.value ?? fallbackUser,
    identityFiles: identity,
    ...(target?.keyPassphrase ? { keyPassphrase: target.keyPassphrase } : {}),
    ...(knownHosts ? { knownHosts } : {}),
    jump: [],
    origins: { address: c.hostName?.from ?? 'proxy_jump', port: j.port !== undefined ? 'proxy_jump' : c.port?.from ?? DEFAULT,
      user: j.user !== undefined ? 'proxy_jump' : c.user?.from ?? 'the target\'s user', identity: c.identityFiles?.from ?? 'the target\'s key',
      knownHosts: c.knownHosts?.from ?? 'the target\'s known_hosts', proxyJump: 'proxy_jump' },
  };
}

export function resolveEndpoint(req: ConnectionRequest, cfg: SshConfigFile): SshEndpoint {
  const c = cfg.lookup(req.address);
  const said = (f: EndpointField): string => req.origins?.[f] ?? 'inventory';
  const pick = <T>(f: EndpointField, own: T | undefined, fromCfg: { value: T; from: string } | undefined, fallback: T): [T, string] =>
    own !== undefined ? [own, said(f)] : fromCfg ? [fromCfg.value, fromCfg.from] : [fallback, DEFAULT];
  const [user, userFrom] = pick('user', req.user, c.user, 'root');
  const [port, portFrom] = pick('port', req.port, c.port, 22);
  const [identityFiles, identityFrom] = pick<readonly string[]>('identity', req.sshKey !== undefined ? [req.sshKey] : undefined, c.identityFiles, []);
  const [knownHosts, knownFrom] = pick<string | undefined>('knownHosts', req.knownHosts, c.knownHosts, undefined);
  const base: SshEndpoint = {
    label: req.name, hostKeyName: req.name, address: c.hostName?.value ?? req.address, port, user, identityFiles,
    ...(req.keyPassphrase ? { keyPassphrase: req.keyPassphrase } : {}), ...(knownHosts ? { knownHosts } : {}),
    jump: [],
    origins: { address: c.hostName?.from ?? said('address'), port: portFrom, user: userFrom, identity: identityFrom, knownHosts: knownFrom, proxyJump: 'none' },
  };
  const hops = req.proxyJump ?? c.proxyJump?.value.map((j) => parseJumpSpec(j, c.proxyJump!.from)) ?? [];
  const jumpFrom = req.proxyJump !== undefined ? said('proxyJump') : c.proxyJump?.from ?? 'none';
  return { ...base, jump: hops.map((j) => hop(j, base, cfg, user)), origins: { ...base.origins, proxyJump: jumpFrom } };
}

/** `deploy@10.0.0.5:22`: how messages name an endpoint's login. */
export const loginOf = (e: Pick<SshEndpoint, 'user' | 'address' | 'port'>): string => `${e.user}@${e.address}:${e.port}`;
