import { UsageError } from '../errors.js';

/** What a shell would accept as a variable name; the same names `${NAME}` references use. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `--env-from-process NAME,...`: the named variables of the process environment, and only those (CI injects
 * secrets as variables; the rest of the environment — PATH, tokens of other tools — is never read). A name that is
 * not set, or set to an empty string, is a UsageError naming it: a CI job whose secret did not reach it must stop
 * before a host is touched, not deploy an empty password.
 */
export function readProcessVariables(names: readonly string[], env: NodeJS.ProcessEnv = process.env): ReadonlyMap<string, string> {
  const bad = names.filter((n) => !VARIABLE_NAME.test(n));
  if (bad.length > 0) {
    throw new UsageError(`--env-from-process: ${bad.map((n) => `'${n}'`).join(', ')} ${bad.length === 1 ? 'is not a variable name' : 'are not variable names'}`,
      'give names of letters, digits and "_", comma-separated (e.g. --env-from-process DB_PASSWORD,ADMIN_PASSWORD)');
  }
  const values = new Map<string, string>();
  const unset: string[] = [];
  const empty: string[] = [];
  for (const name of new Set(names)) {
    const value = Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined;
    if (value === undefined) unset.push(name);
    else if (value === '') empty.push(name);
    else values.set(name, value);
  }
  const problems = [
    ...(unset.length > 0 ? [`${unset.join(', ')} ${unset.length === 1 ? 'is' : 'are'} not set in the environment`] : []),
    ...(empty.length > 0 ? [`${empty.join(', ')} ${empty.length === 1 ? 'is' : 'are'} set but empty`] : []),
  ];
  if (problems.length > 0) {
    throw new UsageError(`--env-from-process: ${problems.join('; ')}`, 'export each named variable before running apim-deploy, or drop it from --env-from-process');
  }
  return values;
}
