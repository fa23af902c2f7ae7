import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import yargs, { type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { setConnectionDefaults } from '../workflows/run/connect.js';
import { terminalPassphrasePrompt } from './passphrase-prompt.js';
import { reportError } from './report-error.js';

/** Each file in ./commands default-exports one yargs command module (one verb per file). */
async function loadCommands(): Promise<CommandModule[]> {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'commands');
  const files = readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !f.startsWith('_'))
    .sort();
  const modules = await Promise.all(files.map((f) => import(pathToFileURL(join(dir, f)).href)));
  return modules.map((m: { default: CommandModule }) => m.default);
}

async function main(): Promise<void> {
  // bin/apim-deploy passes `--` first so node leaves our options alone; drop it.
  const args = hideBin(process.argv);
  if (args[0] === '--') args.shift();
  const cli = yargs(args)
    .scriptName('apim-deploy')
    .usage('$0 <command> [options]\n\nInstalls and runs WSO2 API Manager 4.x on plain VMs, in each deployment pattern.')
    .strict()
    .demandCommand(1, 'Name a command; `apim-deploy --help` lists them.')
    .recommendCommands()
    .fail((msg, err, y) => {
      if (err) throw err;
      process.stderr.write(`${y.help()}\n\nerror: ${msg}\n`);
      // Under --detailed-exitcode, 2 means "changes pending": a usage error must not read as one.
      process.exit(args.includes('--detailed-exitcode') ? 1 : 2);
    })
    .option('ssh-config', { type: 'string', global: true, describe: 'ssh_config file for logins (default ~/.ssh/config; the inventory\'s ssh_config when set)' })
    .middleware((argv) => {
      const prompt = terminalPassphrasePrompt();
      const file = argv['ssh-config'] as string | undefined;
      setConnectionDefaults({ ...(file !== undefined ? { sshConfig: file } : {}), ...(prompt ? { askPassphrase: prompt } : {}) });
    })
    .help()
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 110));
  for (const command of await loadCommands()) cli.command(command);
  await cli.parseAsync();
}

main().catch((err: unknown) => {
  process.exitCode = reportError(err);
});
