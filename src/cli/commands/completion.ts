import type { CommandModule } from 'yargs';
import { completionScript, defaultShell, SHELLS, type Shell } from '../completion-scripts.js';

interface CompletionArgs {
  shell?: Shell;
}

/** `apim-deploy completion [bash|zsh]`: the script that makes TAB complete commands, options and choices. */
const command: CommandModule<object, CompletionArgs> = {
  command: 'completion [shell]',
  describe: 'Print a shell completion script for bash or zsh (commands, options and their choices)',
  builder: (y) =>
    y
      .positional('shell', { choices: SHELLS, describe: 'the shell to complete in (default: the one $SHELL names, else bash)' })
      .example('source <($0 completion bash)', 'complete in this bash session')
      .example('$0 completion bash > /etc/bash_completion.d/apim-deploy', 'in every new bash session')
      .example('$0 completion zsh > "${fpath[1]}/_apim-deploy"', 'in zsh (after compinit)') as never,
  handler: (argv) => {
    process.stdout.write(completionScript(argv.shell ?? defaultShell()));
  },
};

export default command;
