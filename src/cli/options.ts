import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { ROLE_NAMES, type RoleName } from '../model/inventory.js';
import { parseBatchSpec } from '../workflows/rollout/batch-spec.js';
import { didYouMean } from '../model/did-you-mean.js';
import { rejectOption } from './usage.js';
import type { LoadOptions } from '../inventory/load.js';

type SecretSources = NonNullable<LoadOptions['secrets']>;

/**
 * Options that mean the same on every command, declared once. Conventions (README "Commands"):
 * `--out FILE` is always one file the command writes (plan, graph, init, report); a command that writes a tree of
 * files takes `--out-dir DIR` (render, lab dist), as tsc and esbuild split outFile/outDir, so a path is never a
 * file for one command and a directory for another.
 */

export interface InventoryArgs {
  inventory: string;
  'env-file'?: string;
  'env-from-process'?: string[];
  'env-key-file'?: string;
  'env-key-from-process'?: string;
}
export interface HostArgs extends InventoryArgs {
  'accept-new-host-keys': boolean;
}

export const inventoryOptions = <T>(y: Argv<T>) =>
  y
    .option('inventory', { alias: 'i', type: 'string', demandOption: true, requiresArg: true, describe: 'inventory YAML file' })
    .option('env-file', { type: 'string', requiresArg: true, describe: 'dotenv file with the secrets (default: the inventory with .env)' })
    .option('env-from-process', {
      type: 'string', array: true, requiresArg: true, coerce: splitNames,
      describe: 'read these variables (NAME,...) from the process environment, over the dotenv file; no other variable is read',
    })
    .option('env-key-file', { type: 'string', requiresArg: true, describe: 'private key of a dotenvx-encrypted dotenv file (dotenvx .env.keys, or the hex key)' })
    .option('env-key-from-process', { type: 'string', requiresArg: true, describe: 'name of the process variable holding that private key (e.g. DOTENV_PRIVATE_KEY)' })
    .conflicts('env-key-file', 'env-key-from-process');

export const hostOptions = <T>(y: Argv<T>) =>
  inventoryOptions(y).option('accept-new-host-keys', { type: 'boolean', default: false, describe: 'trust unknown SSH host keys on first use and record them' });

/** The workflow options every inventory command passes on. */
export const inventoryRunOptions = (argv: InventoryArgs) => ({
  inventory: argv.inventory,
  ...secretArgs(argv),
});

/** `A,B, C` → [A, B, C]; the option given twice adds up. Names are checked where they are read (src/secrets/process-env.ts). */
function splitNames(raw: string | readonly string[]): string[] {
  return (typeof raw === 'string' ? [raw] : raw).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

/** --env-file and the secret opt-ins as loadInventory's options. */
export function secretArgs(argv: Omit<InventoryArgs, 'inventory'>): { envFile?: string; secrets?: SecretSources } {
  const names = argv['env-from-process'] ?? [];
  const envKey = argv['env-key-file'] ? { file: argv['env-key-file'] }
    : argv['env-key-from-process'] ? { processVariable: argv['env-key-from-process'] } : undefined;
  const secrets: SecretSources = { ...(names.length > 0 ? { envFromProcess: names } : {}), ...(envKey ? { envKey } : {}) };
  return { ...(argv['env-file'] ? { envFile: argv['env-file'] } : {}), ...(Object.keys(secrets).length > 0 ? { secrets } : {}) };
}

export const jsonOption = <T>(y: Argv<T>, describe: string) => y.option('json', { type: 'boolean', default: false, describe });

export const limitOption = <T>(y: Argv<T>, describe = 'only these hosts: names, role names or globs, comma-separated (e.g. gw-*,lb-1)') =>
  y.option('limit', { type: 'string', requiresArg: true, describe });

export const outFileOption = <T>(y: Argv<T>, describe: string) => y.option('out', { type: 'string', requiresArg: true, describe });

/** `--verify`: the same on every command that compares archives (plan, provision, upgrade, rollback). */
export const verifyOption = <T>(y: Argv<T>) =>
  y.option('verify', { type: 'boolean', default: false, describe: 'hash every distribution, JDK and driver again, on the controller and the hosts, trusting no cache or upload stamp' });

/** One value given twice (`--batch 1 --batch 2`) reaches coerce as an array: say so instead of guessing. */
function single(name: string, value: unknown): unknown {
  if (Array.isArray(value)) rejectOption(new UsageError(`--${name} given ${value.length} times`, 'give it once'));
  return value;
}

/** A whole number in [min, max]; yargs turns `abc` into NaN, which never passes. */
export function wholeNumber(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (raw: unknown): number | undefined => {
    const v = single(name, raw);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      rejectOption(new UsageError(`--${name} must be a whole number${max === Number.MAX_SAFE_INTEGER ? ` of at least ${min}` : ` from ${min} to ${max}`}`));
    }
    return v;
  };
}

/** Seconds: a whole number of at least `min`. */
export const secondsOption = <T>(y: Argv<T>, name: string, describe: string, min: number, dflt?: number) =>
  y.option(name, { type: 'number', requiresArg: true, describe, coerce: wholeNumber(name, min), ...(dflt !== undefined ? { default: dflt } : {}) });

/** `--batch N` or `N%`: checked at parse time with the parser the rollouts use. */
export function batchSpec(raw: unknown): string {
  const v = String(single('batch', raw)).trim();
  try {
    parseBatchSpec(v);
  } catch (err) {
    if (err instanceof UsageError) rejectOption(err);
    throw err;
  }
  return v;
}

export const batchOption = <T>(y: Argv<T>, describe: string) =>
  y.option('batch', { type: 'string', default: '1', requiresArg: true, describe, coerce: batchSpec });

/** `--roles a,b`: each a known role, with a suggestion for a typo. */
export function roleList(raw: unknown): RoleName[] | undefined {
  const v = single('roles', raw);
  if (v === undefined) return undefined;
  const roles = String(v).split(',').map((r) => r.trim()).filter(Boolean);
  if (roles.length === 0) rejectOption(new UsageError('--roles names no role', `roles are ${ROLE_NAMES.join(', ')}`));
  for (const r of roles) {
    if (!(ROLE_NAMES as readonly string[]).includes(r)) {
      rejectOption(new UsageError(`--roles: unknown role '${r}'${didYouMean(r, ROLE_NAMES)}`, `roles are ${ROLE_NAMES.join(', ')}`));
    }
  }
  return roles as RoleName[];
}

export const reportOption = <T>(y: Argv<T>) =>
  y.option('report', { type: 'string', requiresArg: true, describe: 'also write a timeline of the run (a bar per step per host) to this HTML file' });
