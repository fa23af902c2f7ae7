import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../errors.js';
import { readBounded } from '../files/bounded-read.js';
import { SEALED_PREFIX, type ContentSeal } from '../model/seal.js';

/**
 * The per-inventory plan key: 32 random bytes in hex, in `<inventory>.plan-key` beside the inventory (lab.yaml →
 * lab.plan-key), created 0600 on first use and gitignored like the .env file. It keys the HMAC that replaces the
 * sha256 of every secret-bearing file in plans, their printouts and marker names, so a plan can be shared and
 * compared (`provision --plan`) without letting anyone test password guesses against it. Lose it and the next plan
 * simply uses a new key: saved plans made with the old one are refused, and idempotent setup markers re-run once.
 */
export function planKeyFile(inventoryFile: string): string {
  return join(dirname(inventoryFile), `${basename(inventoryFile).replace(/\.ya?ml$/, '')}.plan-key`);
}

const KEY_TEXT = /^[0-9a-f]{64}\n?$/;

function readKey(file: string): Buffer | undefined {
  const read = readBounded(file, 1024);
  if (!read.ok && read.reason === 'missing') return undefined;
  if (!read.ok) throw new ConfigError(`plan key ${file} ${read.message}`, [], 'remove it; a new key is made on the next plan');
  const text = read.bytes.toString('latin1');
  if (!KEY_TEXT.test(text)) throw new ConfigError(`plan key ${file} is not 64 hexadecimal digits`, [], 'remove it; a new key is made on the next plan');
  return Buffer.from(text.trim(), 'hex');
}

function checkPrivate(file: string): void {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    const uid = process.getuid?.();
    if ((st.mode & 0o077) !== 0) throw new ConfigError(`plan key ${file} can be read by others (mode ${(st.mode & 0o777).toString(8)})`, [], `chmod 600 ${file}`);
    if (uid !== undefined && st.uid !== uid) throw new ConfigError(`plan key ${file} belongs to another user`, [], 'use your own copy of the inventory, or remove it');
  } finally {
    closeSync(fd);
  }
}

function createKey(file: string): Buffer | undefined {
  const key = randomBytes(32);
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined; // made by a run beside us: read it
    throw new ConfigError(`cannot create the plan key ${file}: ${(err as Error).message}`, [], 'make the inventory directory writable');
  }
  try {
    writeSync(fd, `${key.toString('hex')}\n`);
  } finally {
    closeSync(fd);
  }
  return key;
}

/** The inventory's plan key as a ContentSeal, created on first use. */
export function inventorySeal(inventoryFile: string): ContentSeal & { readonly file: string } {
  const file = planKeyFile(inventoryFile);
  let key = readKey(file);
  if (key) checkPrivate(file);
  else key = createKey(file) ?? readKey(file);
  if (!key) throw new ConfigError(`plan key ${file} vanished while it was read`);
  return { file, ...sealWithKey(key) };
}

/** A seal under a given key (tests give a fixed one). */
export function sealWithKey(key: Buffer): ContentSeal {
  const mac = (text: string) => createHmac('sha256', key).update(text).digest('hex');
  return {
    keyId: mac('apim-deploy plan key id').slice(0, 16),
    digest: (purpose, text) => `${SEALED_PREFIX}${mac(`${purpose}\0${text}`)}`,
  };
}

/** The inventory's seal, reading (or creating) the key file only when a digest is first needed. */
export function lazyInventorySeal(inventoryFile: string): ContentSeal {
  let seal: ContentSeal | undefined;
  const get = () => (seal ??= inventorySeal(inventoryFile));
  return {
    get keyId() {
      return get().keyId;
    },
    digest: (purpose, text) => get().digest(purpose, text),
  };
}
