import { readFileSync } from 'node:fs';
import { ConfigError, InventoryPathError } from '../errors.js';
import type { Inventory } from '../model/inventory.js';
import { YamlSource } from '../yaml/source.js';
import { shownInventoryPath } from './load.js';

/**
 * Runs `work` (a render of `inv`); an InventoryPathError it throws becomes a ConfigError at the file:line of that
 * path, like validate's issues. The inventory file is read again only then: the loaded model keeps no positions
 * for values below a variable.
 */
export function atInventoryLines<T>(inv: Pick<Inventory, 'file'>, work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (!(err instanceof InventoryPathError)) throw err;
    const shown = shownInventoryPath(inv.file);
    let text: string;
    try {
      text = readFileSync(inv.file, 'utf8');
    } catch {
      throw err; // the file moved since it loaded: the message still names the path
    }
    const src = new YamlSource(shown, text);
    src.add(err.at, err.detail, 'key');
    throw new ConfigError(`${shown}: 1 problem in the inventory`, src.issues.slice(-1), err.hint ?? 'fix it, then run the command again (validate does not render, so it cannot see this one)');
  }
}
