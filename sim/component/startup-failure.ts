/**
 * How a node that cannot start says so. A config mapper failure is caught by Carbon's launcher before any log4j
 * appender exists (kernelMain: java.util.logging SEVERE "Error while performing configuration changes", then
 * System.exit(1)), so the real line goes to the console only, which the start script's daemon mode sends to
 * /dev/null. The simulator prints the same lines on stderr and, as a deliberate aid the product does not give,
 * appends them to wso2carbon.log too, so a lab run can show why a node never came up.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import type { Logger } from './log.js';

const MAIN = 'org.wso2.carbon.server.Main';
const CORE = 'org.wso2.carbon.core.internal.CarbonCoreActivator';

/** Removes the pid file only when it is still ours (a newer start may own it). */
export function removePidFile(pidFile: string): void {
  try {
    if (readFileSync(pidFile, 'utf8').trim() === String(process.pid)) unlinkSync(pidFile);
  } catch {
    // absent: nothing to clean
  }
}

/** java.util.logging's default SimpleFormatter: "Dec 01, 2026 7:40:00 PM <class> <method>" then "SEVERE: <msg>". */
function julHeader(at: Date): string {
  const date = at.toLocaleString('en-US', { month: 'short', day: '2-digit', year: 'numeric' });
  const time = at.toLocaleString('en-US', { hour: 'numeric', minute: '2-digit', second: '2-digit', hour12: true });
  return `${date} ${time} ${MAIN} handleConfiguration`;
}

export function failConfiguration(log: Logger, pidFile: string, exception: string): never {
  process.stderr.write(`${julHeader(new Date())}\nSEVERE: Error while performing configuration changes\n${exception}\n`);
  log.error(MAIN, `Error while performing configuration changes\n${exception}`);
  removePidFile(pidFile);
  process.exit(1);
}

export function fail(log: Logger, pidFile: string, messages: readonly string[]): never {
  for (const m of messages) log.error(CORE, m);
  log.error(CORE, 'WSO2 Carbon failed to start; see the errors above');
  removePidFile(pidFile);
  process.exit(1);
}
