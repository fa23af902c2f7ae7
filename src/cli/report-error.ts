import { appendDebugLog } from './debug-log.js';
import { ApimDeployError, ConfigError, EXIT, formatIssue } from '../errors.js';

/**
 * Prints an error the way an operator needs it and returns the exit code.
 * Known errors: message, issues, hint. Anything else is our bug: stack to a debug log, short message.
 */
export function reportError(err: unknown, write: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (err instanceof ApimDeployError) {
    if (err instanceof ConfigError && err.issues.length > 0) {
      for (const issue of err.issues) write(`${formatIssue(issue)}\n`);
    }
    write(`error: ${err.message}\n`);
    // Remote errors carry the per-host lines (unreachable hosts, preflight problems) their message summarizes.
    const detail = 'detail' in err && typeof err.detail === 'string' ? err.detail.trimEnd() : '';
    if (detail) write(`${detail}\n`);
    if (err.hint) write(`hint: ${err.hint}\n`);
    return err.exitCode;
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  const log = appendDebugLog(`${new Date().toISOString()} ${stack}\n`);
  write(`internal error: ${err instanceof Error ? err.message : String(err)}\n`);
  write(log
    ? `This is a bug in apim-deploy. The stack trace is in ${log}; please attach it to a report.\n`
    : `This is a bug in apim-deploy. No private place for a debug log was found; the stack trace:\n${stack}\n`);
  return EXIT.internal;
}
