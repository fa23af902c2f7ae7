import { spawn } from 'node:child_process';
import { isSecret } from '../../../src/model/secret.js';
import type { ExecResult, RemoteCommand } from '../../../src/transport/transport.js';
import { commandLine } from '../../../src/transport/quote.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';

/** Runs the exact wire line through a real /bin/sh on this machine: the commands are tested, not mocked. */
export function runInShell(command: RemoteCommand): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', commandLine(command).wire], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => undefined); // the command may exit without reading its stdin
    child.stdin.end(isSecret(command.stdin) ? command.stdin.reveal() : (command.stdin ?? ''));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ exitCode: code, signal, stdout, stderr, durationMs: 0 }));
  });
}

/** A recording transport whose exec runs locally (a step's command sequence too, as the one script it is). */
export function shellTransport(host = 'local'): RecordingTransport {
  return new RecordingTransport(host, { wholeSequences: true }).on(/.*/, (cmd) => runInShell(cmd));
}
