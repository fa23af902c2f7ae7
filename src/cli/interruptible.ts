/** What a rollout's first Ctrl-C does; a second one kills at once (the lock then needs `apim-deploy lock release`). */
export const ROLLOUT_INTERRUPTED = 'interrupted: finishing the node in flight and putting it back, starting no other (Ctrl-C again to force)';

/**
 * Runs `fn` with a signal the first Ctrl-C aborts (saying `message`): the run lets what is running finish, starts
 * nothing new, releases the lock and exits 130. The second Ctrl-C is Node's default: the process ends at once.
 */
export async function interruptible(fn: (signal: AbortSignal) => Promise<void>, message = ROLLOUT_INTERRUPTED): Promise<void> {
  const abort = new AbortController();
  const onSigint = () => {
    process.stderr.write(`\n${message}\n`);
    process.off('SIGINT', onSigint);
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    await fn(abort.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
