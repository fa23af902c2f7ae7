import type { Argv, CommandModule } from 'yargs';

/**
 * The command being parsed, for usage errors: its path (`lab up`) and the subcommands at that level. yargs runs
 * the builder of each command on the way down, so wrapping the builders records it.
 */
export const parsing = { path: [] as string[], commands: [] as string[] };

interface UsageCommands {
  getCommands(): [string, ...unknown[]][];
}

/** Subcommand names yargs has registered on `y` so far (completion reads the same list). */
export function commandNames(y: Argv<unknown>): string[] {
  try {
    const usage = (y as unknown as { getInternalMethods(): { getUsageInstance(): UsageCommands } }).getInternalMethods().getUsageInstance();
    return usage.getCommands().map((c) => c[0].split(' ')[0]!).filter((n) => n !== '$0');
  } catch {
    return []; // only the wording of a usage error depends on it
  }
}

/** The module with a builder that records where parsing is. */
export function tracked<T, U>(mod: CommandModule<T, U>): CommandModule<T, U> {
  const name = String(mod.command).split(' ')[0]!;
  const builder = mod.builder;
  return {
    ...mod,
    builder: (y: Argv<T>) => {
      parsing.path.push(name);
      parsing.commands = [];
      const built = typeof builder === 'function' ? builder(y) : y.options(builder ?? {});
      parsing.commands = commandNames(y as Argv<unknown>);
      return built as Argv<U>;
    },
  };
}
