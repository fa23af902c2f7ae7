import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EXIT } from '../errors.js';
import { setConnectionDefaults } from '../workflows/run/connection-defaults.js';
import { parsing, tracked } from './command-path.js';
import { COMMANDS } from './commands/index.js';
import { packageVersion } from './package-info.js';
import { terminalPassphrasePrompt } from './passphrase-prompt.js';
import { reportError } from './report-error.js';
import { optionRejection, usageError, type KnownOptions } from './usage.js';

async function main(args: string[]): Promise<void> {
  const topLevel = COMMANDS.map((c) => String(c.command).split(' ')[0]!);
  parsing.commands = topLevel;
  const cli = yargs(args)
    .scriptName('apim-deploy')
    .usage('$0 <command> [options]\n\nInstalls and runs WSO2 API Manager 4.x on plain VMs, in each deployment pattern.')
    // Options are spelled as typed: no camelCase aliases in argv, in messages or in completions.
    .parserConfiguration({ 'camel-case-expansion': false })
    .strict()
    .demandCommand(1, 'Name a command')
    .recommendCommands()
    .fail((msg, err) => {
      // Errors thrown by handlers and coerce functions are reported as they are; yargs' own messages are reworded.
      if (err) throw optionRejection(err, parsing.path) ?? err;
      throw usageError(msg, { args, path: parsing.path, commands: parsing.commands, options: (cli as unknown as { getOptions(): KnownOptions }).getOptions() });
    })
    .option('ssh-config', { type: 'string', global: true, requiresArg: true, describe: 'ssh_config file for logins (default ~/.ssh/config; the inventory\'s ssh_config when set)' })
    .middleware((argv) => {
      const prompt = terminalPassphrasePrompt();
      const file = argv['ssh-config'] as string | undefined;
      setConnectionDefaults({ ...(file !== undefined ? { sshConfig: file } : {}), ...(prompt ? { askPassphrase: prompt } : {}) });
    })
    .example('$0 init --pattern 3 --out inventories/eu-prod.yaml', 'start an inventory for pattern 3')
    .example('$0 validate -i inventories/eu-prod.yaml', 'check it, touching no host')
    .example('$0 plan -i inventories/eu-prod.yaml', 'what provision would change, with diffs')
    .example('$0 provision -i inventories/eu-prod.yaml', 'install, configure and start every node')
    .epilogue('Exit codes: 0 ok, 1 run failed, 2 usage error, 3 configuration error, 4 remote failure, 5 health timeout, 70 bug in apim-deploy.')
    .help()
    .version(packageVersion())
    // yargs' own completion entry point (`--get-yargs-completions`), under a hidden name: `completion` is ours.
    .completion('completion-script', false)
    .wrap(Math.min(110, process.stdout.columns || 110));
  for (const command of COMMANDS) cli.command(tracked(command));
  await cli.parseAsync();
}

const args = hideBin(process.argv);
// bin/apim-deploy passes `--` first so node leaves our options alone; drop it.
if (args[0] === '--') args.shift();
main(args).catch((err: unknown) => {
  const code = reportError(err);
  // Under --detailed-exitcode, 2 means "changes pending": a usage error must not read as one.
  process.exitCode = args.includes('--detailed-exitcode') && code === EXIT.usage ? EXIT.failure : code;
});
