import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../../..');
/** The real command, as an operator runs it (tsx loads the TypeScript in-process). */
export const BIN = join(REPO, 'bin/apim-deploy');

/**
 * The test budget per CLI process a test starts. Start-up through tsx is ~1.5 s of CPU; on the shared 2-core machine
 * under load one call has taken over 8 s of wall time. These tests wait on a process, not on a time budget (speed is
 * benchmarked, not asserted), so a test gets this much for each process it starts.
 */
export const CLI_CALL_MS = 60_000;
export const cliTimeout = (calls: number): number => calls * CLI_CALL_MS;
