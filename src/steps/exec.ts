import { RemoteError } from '../errors.js';
import type { ExecResult, RemoteCommand, Transport } from '../transport/transport.js';
import { commandLine } from '../transport/quote.js';
import { commandSequence } from './command-sequence.js';

const STDERR_TAIL_LINES = 10;

/** What a shell exit code usually means, so a 3 a.m. reader need not look it up. */
export function exitMeaning(code: number | null, signal: string | null): string {
  if (code === null) return `killed by ${signal ?? 'a signal'}`;
  const known: Record<number, string> = {
    1: 'general failure',
    2: 'bad usage or missing file',
    124: 'timed out',
    126: 'not executable (permission denied)',
    127: 'command not found',
  };
  if (known[code]) return `exit ${code}: ${known[code]}`;
  if (code > 128 && code < 160) return `exit ${code}: killed by signal ${code - 128}`;
  return `exit ${code}`;
}

export function display(command: RemoteCommand): string {
  return commandLine(command).display;
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** The error for a command (`what`, as displayed) that did not exit 0: host, exit meaning, the tail of its output. */
function failed(host: string, what: string, result: Pick<ExecResult, 'exitCode' | 'signal' | 'stderr'>, stdout: string): RemoteError {
  return new RemoteError(host, `${what} failed (${exitMeaning(result.exitCode, result.signal)})`, tail(result.stderr || stdout, STDERR_TAIL_LINES));
}

/** Runs a command and throws RemoteError (host, command, exit meaning, stderr tail) unless it exits 0. */
export async function execChecked(transport: Transport, command: RemoteCommand, signal?: AbortSignal): Promise<ExecResult> {
  const result = await transport.exec(command, signal);
  if (result.exitCode === 0) return result;
  throw failed(transport.host, display(command), result, result.stdout);
}

/** Runs the commands in order, stopping at the first that fails (RemoteError naming it); one exec when they can share one. */
export async function execAll(transport: Transport, commands: readonly RemoteCommand[], signal?: AbortSignal): Promise<void> {
  await execUnless(transport, undefined, commands, signal);
}

/**
 * Runs the commands in order unless `guard` exits 0 (the work is there already): false when the guard said so, true when
 * they all ran. Guard and commands go in one exec (commandSequence): a step's test-then-act costs one sudo and one
 * channel, not one per command. Where they cannot share one, each runs on its own, as before.
 */
export async function execUnless(transport: Transport, guard: RemoteCommand | undefined, commands: readonly RemoteCommand[],
  signal?: AbortSignal): Promise<boolean> {
  const sequence = commands.length + (guard ? 1 : 0) > 1 ? commandSequence(commands, guard) : null;
  if (!sequence) {
    if (guard && (await transport.exec(guard, signal)).exitCode === 0) return false;
    for (const command of commands) await execChecked(transport, command, signal);
    return true;
  }
  const result = await transport.exec(sequence.command, signal);
  const end = sequence.end(result.stdout);
  if (end?.kind === 'skipped') return false;
  if (end?.kind === 'done' && result.exitCode === 0) return true;
  // Killed before it could say which command was running: name them all.
  const what = end?.kind === 'failed' ? display(commands[end.index]!) : commands.map(display).join(' && ');
  throw failed(transport.host, what, result, sequence.output(result.stdout));
}
