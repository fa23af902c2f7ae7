import type { CommandModule } from 'yargs';
import { packageVersion } from '../package-info.js';

interface VersionArgs {
  json: boolean;
}

/** `apim-deploy version`: this tool's version and what it runs on (`--version` prints the number alone). */
const command: CommandModule<object, VersionArgs> = {
  command: 'version',
  describe: 'Print the version of apim-deploy and of the Node.js running it',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false, describe: 'print it as one JSON document' })
      .example('$0 version', 'apim-deploy 0.1.0 (node v20.19.0, linux-x64)')
      .example('$0 --version', 'the number alone, for scripts') as never,
  handler: (argv) => {
    const info = { version: packageVersion(), node: process.version, platform: `${process.platform}-${process.arch}` };
    process.stdout.write(argv.json ? `${JSON.stringify(info)}\n` : `apim-deploy ${info.version} (node ${info.node}, ${info.platform})\n`);
  },
};

export default command;
