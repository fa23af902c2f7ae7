import { deployLock } from '../../workflows/deploy-lock.js';
import type { LockArgs } from '../commands/lock.js';
import { inventoryRunOptions } from '../options.js';
import { printJson } from '../output.js';

/** `apim-deploy lock status|release`: who holds the deploy lock; remove a stale one. */
export default async function lock(argv: LockArgs): Promise<void> {
  const r = await deployLock(argv.action, { ...inventoryRunOptions(argv), acceptNewHostKeys: argv['accept-new-host-keys'] });
  if (argv.json) printJson({ action: argv.action, locked: r.locked, line: r.line });
  else process.stdout.write(`${r.line}\n`);
}
