import type { ConfigIssue } from '../errors.js';
import { readDotenv, type DotenvFile } from './dotenv.js';
import { decryptDotenv, type KeySource } from './encrypted-dotenv.js';
import { readProcessVariables } from './process-env.js';

/** Where secrets come from besides the dotenv file: the operator's explicit opt-ins, all on the command line. */
export interface SecretSources {
  /** `--env-from-process NAME,...`: these variables, and only these, from the process environment. */
  readonly envFromProcess?: readonly string[];
  /** `--env-key-file` / `--env-key-from-process`: the private key of an encrypted (dotenvx) dotenv file. */
  readonly envKey?: KeySource;
}

/**
 * The secrets of a run as one DotenvFile: the dotenv file (its `encrypted:` values decrypted on the controller), then
 * the variables named by --env-from-process. Precedence: a named process variable wins over the file, with a warning
 * naming it — naming it is the operator's explicit choice for this run (CI injecting a rotated password over a
 * committed file), as a variable of the environment overrides a .env file in dotenv and docker compose.
 */
export function readSecrets(path: string, display: string, sources: SecretSources = {}, env: NodeJS.ProcessEnv = process.env): DotenvFile {
  const file = readDotenv(path, display);
  const fileValues = file.values && decryptDotenv(file.values, display, sources.envKey, env);
  const names = sources.envFromProcess ?? [];
  if (names.length === 0) return { ...file, values: fileValues };
  const fromProcess = readProcessVariables(names, env);
  const warnings: ConfigIssue[] = [...file.warnings];
  for (const name of fromProcess.keys()) {
    if (fileValues?.has(name)) {
      warnings.push({ file: display, line: 1, col: 1, path: name, message: `${name} is also set by --env-from-process: the process value is used` });
    }
  }
  const values = new Map([...(fileValues ?? []), ...fromProcess]);
  const shown = `${file.values ? display : `${display} (absent)`} and --env-from-process ${[...fromProcess.keys()].join(',')}`;
  return { display: shown, values, warnings, issues: file.issues };
}

/** The secret options a command passes to loadInventory: only those given (exactOptionalPropertyTypes). */
export interface SecretOptions {
  readonly envFile?: string;
  readonly secrets?: SecretSources;
}
export function secretOptions(opts: SecretOptions): SecretOptions {
  return { ...(opts.envFile ? { envFile: opts.envFile } : {}), ...(opts.secrets ? { secrets: opts.secrets } : {}) };
}
