/** A temp dir per test file holding the simulated distributions, inventories and .env files; removed by cleanup(). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDistributions } from '../../../src/lab/dist/build.js';
import { parseRelease } from '../../support/release-label.js';

export interface Workspace {
  readonly dir: string;
  /** Where `buildDists` put the simulated packs and JDK. */
  readonly distDir: string;
  cleanup(): void;
}

/** Creates the temp dir and builds the simulated distributions into it (~0.3 s). */
export async function makeWorkspace(prefix: string, opts: { version?: string; fault?: string } = {}): Promise<Workspace> {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const distDir = join(dir, 'dist');
  await buildDistributions({ ...parseRelease(opts.version ?? '4.6.0'), outDir: distDir, ...(opts.fault ? { fault: opts.fault } : {}) });
  return { dir, distDir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
