import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MAX = 256 * 1024 * 1024;

/** Entry names of a zip, through the controller's unzip (installed wherever apim-deploy runs). */
export async function zipEntries(zip: string): Promise<string[]> {
  const { stdout } = await run('unzip', ['-Z1', zip], { maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\n').filter(Boolean);
}

/** A distribution's entry for `path` below its one top directory (`wso2am-4.6.0/<path>`), if it ships one. */
export const entryFor = (entries: readonly string[], path: string): string | undefined =>
  entries.find((e) => e.split('/').slice(1).join('/') === path);

/** The bytes of one zip entry. */
export async function readEntry(zip: string, entry: string): Promise<Buffer> {
  return (await run('unzip', ['-p', zip, entry], { maxBuffer: MAX, encoding: 'buffer' })).stdout;
}
