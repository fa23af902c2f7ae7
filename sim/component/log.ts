/**
 * Carbon-style log lines: `[2026-11-26 23:10:00,123]  INFO {logger} - message`.
 * Written synchronously so nothing is lost when the process exits right after an ERROR.
 * A line that cannot be written (a full disk) is dropped and the node goes on, as Carbon's log4j2 does: its
 * appenders keep log4j's default `ignoreExceptions=true` (no appender in product-apim's conf/log4j2.properties sets
 * it), and log4j's AppenderControl then reports "An exception occurred processing Appender <name>" on its status
 * logger (the console) instead of throwing into the caller (sim/rules/README.md).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Level = 'INFO' | 'WARN' | 'ERROR' | 'DEBUG';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Local time, as Carbon's log4j pattern `%d` prints it. */
export function carbonTimestamp(d: Date): string {
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
  return `${date} ${time}`;
}

/** One line in the `[%d] %5p {%c} - %m%n` layout. */
export function formatLogLine(at: Date, level: Level, logger: string, message: string): string {
  return `[${carbonTimestamp(at)}] ${level.padStart(5)} {${logger}} - ${message}\n`;
}

export interface Logger {
  info(logger: string, message: string): void;
  warn(logger: string, message: string): void;
  error(logger: string, message: string): void;
}

/** Appends `line` to `file`; a failure is reported once on stderr (log4j's status logger) and the line dropped. */
export function appendOrReport(file: string, appender: string): (line: string) => void {
  let reported = false;
  return (line) => {
    try {
      appendFileSync(file, line);
    } catch (err) {
      if (reported) return;
      reported = true;
      try {
        process.stderr.write(`${carbonTimestamp(new Date())} ERROR An exception occurred processing Appender ${appender} ${String(err)}\n`);
      } catch {
        // stderr gone too: nothing left to tell
      }
    }
  };
}

/** Appends to the log file and echoes to stdout (which the daemon mode sends to /dev/null). */
export function fileLogger(file: string, echo: boolean): Logger {
  mkdirSync(dirname(file), { recursive: true });
  const append = appendOrReport(file, 'CARBON_LOGFILE');
  const write = (level: Level, logger: string, message: string): void => {
    const line = formatLogLine(new Date(), level, logger, message);
    append(line);
    if (echo) {
      try {
        process.stdout.write(line);
      } catch {
        // stdout gone (daemon mode, closed pipe): the log file is what counts
      }
    }
  };
  return {
    info: (l, m) => write('INFO', l, m),
    warn: (l, m) => write('WARN', l, m),
    error: (l, m) => write('ERROR', l, m),
  };
}
