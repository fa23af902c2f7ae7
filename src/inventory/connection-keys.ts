/**
 * How apim-deploy logs in to a host: the one table of connection keys (names as Ansible's, so operators recognise
 * them). Each may be written under `defaults:`, `datacenters.<dc>:` or `hosts.<host>:`; the most specific wins, and
 * what none of them says is left to ssh_config, then to the transport's defaults.
 */
import { z } from 'zod';
import type { Secret } from '../model/secret.js';
import type { DotenvFile } from '../secrets/dotenv.js';
import { substituteSecrets } from '../secrets/references.js';
import { isSecret, Secret as SecretValue } from '../model/secret.js';
import type { DocPath, YamlSource } from '../yaml/source.js';
import { UNIX_NAME } from './names.js';
import { resolveInventoryPath } from './paths.js';
import { checkRegularFile } from '../files/bounded-read.js';
import { quoted } from '../yaml/shown.js';

export interface KeyContext {
  readonly path: DocPath;
  readonly src: YamlSource;
  readonly env: DotenvFile;
  /** The inventory file (relative paths are relative to it). */
  readonly file: string;
}

interface KeySpec<T> {
  /** The written shape (zod), checked with the rest of the inventory's shape. */
  readonly written: z.ZodType;
  /** Only SSH logins have it: a host with `connection: local` may not set it. */
  readonly sshOnly: boolean;
  /** Checks and normalises one written value; problems go to ctx.src. */
  readonly check: (value: never, ctx: KeyContext) => T | undefined;
}

const key = <T>(spec: KeySpec<T>): KeySpec<T> => spec;

function userName(value: string, ctx: KeyContext): string | undefined {
  if (UNIX_NAME.test(value)) return value;
  ctx.src.add(ctx.path, `${quoted(value)} is not a valid user name: use ${UNIX_NAME.expected}`);
  return undefined;
}

/** `${NAME}` from the dotenv file (or the value itself), always a Secret; never echoed in a message. */
function secret(value: string, ctx: KeyContext): Secret | undefined {
  const sub = substituteSecrets(value, ctx.env);
  for (const p of sub.problems) ctx.src.add(ctx.path, p);
  if (sub.problems.length > 0) return undefined;
  const plain = isSecret(sub.value) ? sub.value.reveal() : sub.value;
  if (plain === '' || plain.includes('\n') || plain.includes('\0')) {
    ctx.src.add(ctx.path, 'must be a non-empty single line');
    return undefined;
  }
  return isSecret(sub.value) ? sub.value : new SecretValue(plain, `${ctx.path.join('.')} in ${ctx.src.displayFile}`);
}

/**
 * A file the login reads (key, known_hosts, ssh_config), resolved against the inventory. One that exists must be a
 * regular file of sane size: a directory, FIFO or /dev/zero would hang or crash the connection later. (One that does
 * not exist yet is the transport's to report.)
 */
const path = (maxBytes: number) => (value: string, ctx: KeyContext): string => {
  const resolved = resolveInventoryPath(ctx.file, value);
  const st = checkRegularFile(resolved, maxBytes);
  if (!st.ok && st.reason !== 'missing') ctx.src.add(ctx.path, `${resolved} ${st.message}`);
  return resolved;
};
/** A private key is a few KiB; a known_hosts file of a large estate a few MiB. */
const KEY_BYTES = 256 * 1024;
const KNOWN_HOSTS_BYTES = 16 * 1024 * 1024;
const SSH_CONFIG_BYTES = 1024 * 1024;

/** The proxy_jump hops as written: a list (or comma-separated string) of inventory host names or user@host:port; `none` for none. */
function hops(value: string | string[], ctx: KeyContext): string[] | undefined {
  const list = (Array.isArray(value) ? value : value.split(',')).map((h) => h.trim());
  if (list.some((h) => h === '')) {
    ctx.src.add(ctx.path, 'a jump host is empty: list inventory host names or user@host:port');
    return undefined;
  }
  return list.length === 1 && list[0] === 'none' ? [] : list;
}

function becomeMethod(value: string | boolean, ctx: KeyContext): boolean | undefined {
  if (typeof value === 'boolean' || value === 'sudo') return value !== false;
  ctx.src.add(ctx.path, `${quoted(value)} is not a become method apim-deploy knows: write become: sudo (or false)`);
  return undefined;
}

export const CONNECTION_KEYS = {
  user: key({ written: z.string(), sshOnly: true, check: userName }),
  port: key({ written: z.number().int().min(1).max(65535), sshOnly: true, check: (v: number) => v }),
  ssh_key: key({ written: z.string().min(1), sshOnly: true, check: path(KEY_BYTES) }),
  ssh_key_passphrase: key({ written: z.string(), sshOnly: true, check: secret }),
  known_hosts: key({ written: z.string().min(1), sshOnly: true, check: path(KNOWN_HOSTS_BYTES) }),
  ssh_config: key({ written: z.string().min(1), sshOnly: true, check: path(SSH_CONFIG_BYTES) }),
  proxy_jump: key({ written: z.union([z.string(), z.array(z.string())]), sshOnly: true, check: hops }),
  // `become: sudo` (or true); false switches off what a wider level set.
  become: key({ written: z.union([z.string(), z.boolean()]), sshOnly: false, check: becomeMethod }),
  become_user: key({ written: z.string(), sshOnly: false, check: userName }),
  become_password: key({ written: z.string(), sshOnly: false, check: secret }),
} as const;

export type ConnectionKey = keyof typeof CONNECTION_KEYS;
export const CONNECTION_KEY_NAMES = Object.keys(CONNECTION_KEYS) as ConnectionKey[];
/** Keys whose values may be `${NAME}` references to the dotenv file. */
export const SECRET_CONNECTION_KEYS: readonly ConnectionKey[] = ['ssh_key_passphrase', 'become_password'];

/** The zod shape of every connection key, optional: spread into defaults, datacenters and hosts in schema.ts. */
export const connectionShape = Object.fromEntries(
  CONNECTION_KEY_NAMES.map((k) => [k, CONNECTION_KEYS[k].written.optional()]),
) as { [K in ConnectionKey]: z.ZodOptional<(typeof CONNECTION_KEYS)[K]['written']> };

export type CheckedValue<K extends ConnectionKey> = NonNullable<ReturnType<(typeof CONNECTION_KEYS)[K]['check']>>;
