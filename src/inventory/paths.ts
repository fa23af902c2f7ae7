import { homedir } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';

/** A path from the inventory: `~/` is the home directory, relative paths are relative to the inventory file. */
export function resolveInventoryPath(inventoryFile: string, path: string): string {
  if (path === '~' || path.startsWith('~/')) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(dirname(inventoryFile), path);
}
