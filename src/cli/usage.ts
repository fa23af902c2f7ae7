import { UsageError } from '../errors.js';
import { didYouMean } from '../model/did-you-mean.js';

/** What yargs knows about the command being parsed (yargs' getOptions(), the parts we read). */
export interface KnownOptions {
  readonly key: Readonly<Record<string, unknown>>;
  readonly alias: Readonly<Record<string, readonly string[]>>;
  readonly boolean: readonly string[];
}

/** Where a usage error happened: the command path (`['lab', 'up']`) and the words typed. */
export interface UsageContext {
  readonly args: readonly string[];
  readonly path: readonly string[];
  readonly options: KnownOptions;
  /** Subcommand names at this level, for "name a command" and typos of one. */
  readonly commands: readonly string[];
}

/** Usage errors thrown by option checks (coerce): yargs re-throws them as its own class, with the message only. */
const raised = new Map<string, UsageError>();

/** Throws `err` from an option check, remembered so the CLI reports it as it was made (hint included). */
export function rejectOption(err: UsageError): never {
  raised.set(err.message, err);
  throw err;
}

/** Where the usage of the command at `path` is explained. */
const seeHelp = (path: readonly string[]): string => `see '${['apim-deploy', ...path].join(' ')} --help' for usage`;

/**
 * The usage error an option check threw, found again by its message (with where --help is, unless it says
 * something more useful already); undefined for anything else.
 */
export function optionRejection(err: Error, path: readonly string[]): UsageError | undefined {
  const rejected = err instanceof UsageError ? err : raised.get(err.message);
  return rejected && !rejected.hint ? new UsageError(rejected.message, seeHelp(path)) : rejected;
}

const flag = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);

/** " (did you mean --env-file?)" for a typo or a prefix of a known option; "" when nothing is close. */
function suggestOption(name: string, known: readonly string[]): string {
  const long = known.filter((k) => k.length > 1);
  const prefixed = name.length >= 3 ? long.filter((k) => k.startsWith(name)) : [];
  if (prefixed.length === 1) return `: did you mean --${prefixed[0]}?`;
  const close = /'([^']+)'/.exec(didYouMean(name, long))?.[1];
  return close ? `: did you mean --${close}?` : '';
}

/** Option names typed on the command line that the command does not know (before a `--`). */
export function unknownOptions(args: readonly string[], options: KnownOptions): string[] {
  const known = new Set([...Object.keys(options.key), ...Object.values(options.alias).flat()]);
  const unknown: string[] = [];
  for (const arg of args) {
    if (arg === '--') break;
    if (!arg.startsWith('-') || /^-\d/.test(arg)) continue;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0]!;
      const negated = name.startsWith('no-') && options.boolean.includes(name.slice(3));
      if (!known.has(name) && !negated) unknown.push(name);
    } else {
      for (const ch of arg.slice(1).split('=')[0]!) if (!known.has(ch)) unknown.push(ch);
    }
  }
  return [...new Set(unknown)];
}

/** The words after the command path that are not options: an unknown command or an extra argument. */
function strayWords(ctx: UsageContext): string[] {
  const words = ctx.args.filter((a) => !a.startsWith('-'));
  return words.slice(ctx.path.length);
}

/**
 * One line for a command-line mistake, as kubectl and git print it, and where to read the usage. yargs' messages
 * are reworded: the option as typed (never its camelCase alias), a suggestion when one is close.
 */
export function usageError(message: string, ctx: UsageContext): UsageError {
  const help = seeHelp(ctx.path);
  const unknown = unknownOptions(ctx.args, ctx.options);
  if (unknown.length > 0) {
    const known = [...Object.keys(ctx.options.key), ...Object.values(ctx.options.alias).flat()];
    const text = unknown.map((u) => `${flag(u)}${suggestOption(u, known)}`).join('; ');
    return new UsageError(`unknown option ${text}`, help);
  }
  const stray = strayWords(ctx)[0];
  const here = ctx.path.length > 0 ? `${ctx.path.join(' ')} ` : '';
  const recommended = /^Did you mean (.+)\?$/.exec(message);
  if (recommended || (stray !== undefined && ctx.commands.length > 0 && /^Unknown argument/.test(message))) {
    const hint = recommended ? `: did you mean ${recommended[1]}?` : '';
    return new UsageError(`unknown ${here}command '${stray ?? ''}'${hint}`, `commands: ${ctx.commands.join(', ')}; ${help}`);
  }
  const extra = /^Unknown arguments?: (.+)$/.exec(message);
  if (extra) return new UsageError(`unexpected argument${extra[1]!.includes(', ') ? 's' : ''} ${extra[1]!.split(', ').map((a) => `'${a}'`).join(', ')}`, help);
  if (/^Not enough non-option arguments/.test(message) || /^Name a /.test(message)) {
    return new UsageError(`name a ${here}command: ${ctx.commands.join(', ')}`, help);
  }
  const missing = /^Missing required arguments?: (.+)$/.exec(message);
  if (missing) {
    const names = missing[1]!.split(', ').map((n) => [...(ctx.options.alias[n] ?? []), n].map(flag).join('/'));
    return new UsageError(`missing ${names.join(', ')}`, help);
  }
  const choice = /^Invalid values:\s*Argument: (\S+), Given: "(.*)", Choices: (.*)$/s.exec(message);
  if (choice) {
    const choices = choice[3]!.split(', ').map((c) => c.replace(/^"|"$/g, ''));
    const what = ctx.options.key[choice[1]!] !== undefined && ctx.args.some((a) => a.startsWith(`--${choice[1]}`)) ? flag(choice[1]!) : choice[1]!;
    return new UsageError(`${what}: '${choice[2]}' is not one of ${choices.join(', ')}${didYouMean(choice[2]!, choices)}`, help);
  }
  const needsValue = /^Not enough arguments following: (\S+)$/.exec(message);
  if (needsValue) return new UsageError(`${flag(needsValue[1]!)} needs a value`, help);
  const exclusive = /^Arguments (\S+) and (\S+) are mutually exclusive$/.exec(message);
  if (exclusive) return new UsageError(`${flag(exclusive[1]!)} and ${flag(exclusive[2]!)} do not go together`, help);
  return new UsageError(message.split('\n')[0]!, help);
}
