import { initInventory } from '../../workflows/init.js';
import type { InitArgs } from '../commands/init.js';
import { checkOutFile } from '../output.js';

/** `apim-deploy init`: a commented inventory and its .env.example, placeholders to fill in. */
export default function init(argv: InitArgs): void {
  checkOutFile(argv.out);
  const written = initInventory({ pattern: argv.pattern, out: argv.out, ...(argv.datacenters !== undefined ? { datacenters: argv.datacenters } : {}) });
  const env = written.envExample.replace(/\.example$/, '');
  process.stdout.write(`wrote ${argv.out} and ${written.envExample}\n`);
  process.stdout.write(`next: fill in every <CHANGE-ME> in ${argv.out}, copy the .env.example to ${env} with real secrets, then run: apim-deploy validate -i ${argv.out}\n`);
}
