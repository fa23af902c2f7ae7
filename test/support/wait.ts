/** Waiting on a condition, never on the clock: a busy machine is slower, never wrong. For every test tier (needs nothing). */

/**
 * Resolves once `condition` holds (polled every `intervalMs`); throws after `timeoutMs`, naming `what`. The deadline
 * only ends a wait that will not succeed, so it is generous.
 */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(opts.intervalMs ?? 100);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
