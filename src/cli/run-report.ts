import { ApimDeployError, EXIT } from '../errors.js';
import type { RunEvent } from '../model/events.js';
import type { Renderer } from '../ui/index.js';
import { createRunRecorder } from '../ui/run-report/recorder.js';
import { runReportHtml } from '../ui/run-report/report-html.js';
import { checkOutFile, writeOutFile } from './output.js';

export interface Reporting {
  /** Feed this one to the workflow: it passes every event to the screen renderer and to the recorder. */
  readonly renderer: Renderer;
  readonly notice: (text: string) => void;
  /**
   * Runs `work`, waits for the screen renderer, and writes the report (when asked) whatever happens: with the exit
   * code the run returns, or the one its error stands for (the error is then thrown on).
   */
  run<T extends { exitCode: number }>(work: () => Promise<T>): Promise<T>;
}

const exitCodeOf = (err: unknown): number => (err instanceof ApimDeployError ? err.exitCode : EXIT.internal);

/**
 * `--report FILE.html`: a recorder listening beside the screen renderer, on the same events `--json` prints. The
 * file is checked before the run starts and written after it ends, whatever the outcome.
 */
export function reporting(screen: Renderer, file: string | undefined, command: string): Reporting {
  const settle = async <T extends { exitCode: number }>(work: () => Promise<T>, finish: (exitCode: number) => void): Promise<T> => {
    let result: T;
    try {
      result = await work();
    } catch (err) {
      await screen.done();
      finish(exitCodeOf(err));
      throw err;
    }
    await screen.done();
    finish(result.exitCode);
    return result;
  };
  if (!file) return { renderer: screen, notice: () => {}, run: (work) => settle(work, () => {}) };
  checkOutFile(file, '--report');
  const recorder = createRunRecorder();
  const startedAt = new Date().toISOString();
  return {
    renderer: {
      onEvent: (e: RunEvent) => {
        recorder.onEvent(e);
        screen.onEvent(e);
      },
      done: () => screen.done(),
    },
    notice: (text) => recorder.onNotice(text),
    run: (work) => settle(work, (exitCode) => {
      writeOutFile(file, runReportHtml(recorder.timeline(), { command, startedAt, exitCode }), '--report');
      process.stderr.write(`run report: ${file}\n`);
    }),
  };
}

/** The command line as typed, for the report's title. */
export const commandLine = (args: readonly string[]): string => args.filter((a) => a !== '--').join(' ');
