import type { Transport } from '../transport/transport.js';

export const LOG_TAIL_LINES = 30;

/** tail -n 30 of a remote log; a description of the problem instead when it cannot be read. Never throws. */
export async function readLogTail(transport: Transport, file: string, lines = LOG_TAIL_LINES): Promise<string> {
  try {
    const r = await transport.exec({ argv: ['tail', '-n', String(lines), '--', file], timeoutMs: 10_000 });
    if (r.exitCode !== 0) return `  (cannot read it: ${r.stderr.trim() || `tail exit ${r.exitCode}`})`;
    const text = r.stdout.replace(/\n$/, '');
    return text === '' ? '  (empty)' : text.split('\n').map((l) => `  ${l}`).join('\n');
  } catch (err) {
    return `  (cannot read it: ${err instanceof Error ? err.message : String(err)})`;
  }
}
