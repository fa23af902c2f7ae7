/**
 * ~/.ssh/config (or the file `--ssh-config` names) read as OpenSSH reads it for the connection values apim-deploy
 * uses: HostName, User, Port, IdentityFile, ProxyJump, UserKnownHostsFile. Parsing and Host/Match pattern matching
 * are the `ssh-config` package's (maintained, typed, OpenSSH's first-value-wins semantics); `Match exec` is never
 * run. Each value remembers the line that gave it, for `validate --explain`.
 */
import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import SSHConfig, { LineType, type Line, type Section } from 'ssh-config';
import { ConfigError } from '../errors.js';

/** Where an ssh_config value came from: `~/.ssh/config, Host web-*`. */
export interface SshConfigValue<T> {
  readonly value: T;
  readonly from: string;
}

export interface SshConfigHost {
  readonly hostName?: SshConfigValue<string>;
  readonly user?: SshConfigValue<string>;
  readonly port?: SshConfigValue<number>;
  readonly identityFiles?: SshConfigValue<readonly string[]>;
  /** `none` is returned as an empty list: it switches off a jump set by a wider pattern. */
  readonly proxyJump?: SshConfigValue<readonly string[]>;
  readonly knownHosts?: SshConfigValue<string>;
}

export interface SshConfigFile {
  readonly file: string;
  lookup(alias: string): SshConfigHost;
}

/** No ssh_config at all: every value as the inventory (or a default) says. */
export const NO_SSH_CONFIG: SshConfigFile = { file: '(none)', lookup: () => ({}) };

export const defaultSshConfigFile = (): string => join(homedir(), '.ssh', 'config');

const COMPUTE = { ignoreCase: true, matchExec: false } as const;

/** Reads and parses the file; a missing default file is an empty config, a missing named one an error. */
export function loadSshConfig(file: string | undefined): SshConfigFile {
  const path = file ?? defaultSshConfigFile();
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (file !== undefined || (err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError(`cannot read ssh_config ${path}: ${(err as Error).message}`, [], 'check --ssh-config or the inventory\'s ssh_config');
    }
  }
  return parseSshConfig(text, path);
}

export function parseSshConfig(text: string, file: string): SshConfigFile {
  let config: SSHConfig;
  try {
    config = SSHConfig.parse(text);
  } catch (err) {
    throw new ConfigError(`${file}: not a valid ssh_config: ${(err as Error).message}`, []);
  }
  return { file, lookup: (alias) => lookup(config, file, alias) };
}

const isSection = (l: Line): l is Section => l.type === LineType.DIRECTIVE && 'config' in l;
const valueText = (v: Section['value']): string => (typeof v === 'string' ? v : v.map((p) => p.val).join(' '));

/** Which line gives each parameter: the first directive that applies, as OpenSSH takes it. */
function origins(config: SSHConfig, file: string, alias: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of config) {
    if (line.type !== LineType.DIRECTIVE) continue;
    if (!isSection(line)) {
      const key = line.param.toLowerCase();
      if (!out.has(key)) out.set(key, file);
      continue;
    }
    const alone = SSHConfig.parse('');
    alone.push(line);
    const got = alone.compute(alias, COMPUTE);
    for (const key of Object.keys(got)) {
      if (!out.has(key)) out.set(key, `${file}, ${line.param} ${valueText(line.value)}`);
    }
  }
  return out;
}

function expand(path: string, alias: string, user: string | undefined): string {
  const home = homedir();
  const tokens: Record<string, string> = { '%': '%', d: home, h: alias, u: userInfo().username, r: user ?? '' };
  const out = path.replace(/%([%dhur])/g, (_, t: string) => tokens[t] ?? '');
  return out === '~' ? home : out.startsWith('~/') ? join(home, out.slice(2)) : out;
}

function lookup(config: SSHConfig, file: string, alias: string): SshConfigHost {
  const got = config.compute(alias, COMPUTE);
  const from = origins(config, file, alias);
  const one = (key: string): string | undefined => {
    const v = got[key];
    return Array.isArray(v) ? v[0] : v;
  };
  const list = (key: string): string[] | undefined => {
    const v = got[key];
    return v === undefined ? undefined : Array.isArray(v) ? v : [v];
  };
  const at = <T>(key: string, value: T | undefined): SshConfigValue<T> | undefined =>
    value === undefined ? undefined : { value, from: from.get(key) ?? file };
  const user = one('user');
  const hostName = one('hostname');
  const port = one('port');
  if (port !== undefined && !/^\d{1,5}$/.test(port)) throw new ConfigError(`${from.get('port') ?? file}: Port ${port} is not a port number`, []);
  const jump = one('proxyjump');
  const knownHosts = list('userknownhostsfile')?.[0]?.split(/\s+/)[0];
  return {
    ...(hostName ? { hostName: at('hostname', expand(hostName, alias, user)) } : {}),
    ...(user ? { user: at('user', user) } : {}),
    ...(port ? { port: at('port', Number(port)) } : {}),
    ...(list('identityfile') ? { identityFiles: at('identityfile', list('identityfile')!.map((p) => expand(p, alias, user))) } : {}),
    ...(jump ? { proxyJump: at('proxyjump', jump.toLowerCase() === 'none' ? [] : jump.split(',').map((j) => j.trim())) } : {}),
    ...(knownHosts ? { knownHosts: at('userknownhostsfile', expand(knownHosts, alias, user)) } : {}),
  };
}
