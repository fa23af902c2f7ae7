import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'dotenv';

/** A dotenv file read for secrets. `values` is undefined when the file does not exist. Never touches process.env. */
export interface DotenvFile {
  /** As shown to the user. */
  readonly display: string;
  readonly values: ReadonlyMap<string, string> | undefined;
}

export function readDotenv(path: string, display: string = path): DotenvFile {
  if (!existsSync(path)) return { display, values: undefined };
  const parsed = parse(readFileSync(path));
  return { display, values: new Map(Object.entries(parsed)) };
}

/** The default dotenv file of an inventory: `lab.yaml` → `lab.env`. */
export function defaultEnvFile(inventoryFile: string): string {
  return /\.ya?ml$/.test(inventoryFile) ? inventoryFile.replace(/\.ya?ml$/, '.env') : `${inventoryFile}.env`;
}
