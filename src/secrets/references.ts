import { Secret } from '../model/secret.js';
import type { DotenvFile } from './dotenv.js';

/** `${NAME}` where NAME is a dotenv variable name; `$${` stands for a literal `${`. */
const REFERENCE = /\$\$\{|\$\{([^}]*)\}?/g;
const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface Substitution {
  /** A plain string when the text references no secret, else a Secret holding the whole substituted text. */
  readonly value: string | Secret;
  /** Problems, each a full sentence that names the variable and the dotenv file (never a secret value). */
  readonly problems: readonly string[];
}

/** Replace every `${NAME}` in `text` from the dotenv file. */
export function substituteSecrets(text: string, env: DotenvFile): Substitution {
  const problems: string[] = [];
  const names: string[] = [];
  const out = text.replace(REFERENCE, (match, name: string | undefined) => {
    if (match === '$${') return '${';
    if (!match.endsWith('}')) {
      problems.push(`unterminated secret reference '${match}': write \${NAME} (or $\${ for a literal \${)`);
      return '';
    }
    if (name === undefined || !VALID_NAME.test(name)) {
      problems.push(`'${match}' is not a valid secret reference: names are letters, digits and "_" (like \${DB_PASSWORD})`);
      return '';
    }
    names.push(name);
    if (env.values === undefined) return '';
    const value = env.values.get(name);
    if (value === undefined) {
      problems.push(`secret ${name} is not defined in ${env.display}: add a line ${name}=... to that file`);
      return '';
    }
    return value;
  });
  if (names.length > 0 && env.values === undefined) {
    problems.push(
      `references ${names.join(', ')} but the dotenv file ${env.display} does not exist: create it with ${names[0]}=... (or pass --env-file)`,
    );
  }
  if (names.length === 0) return { value: out, problems };
  const origin = `${[...new Set(names)].join(', ')} in ${env.display}`;
  return { value: new Secret(out, origin), problems };
}
