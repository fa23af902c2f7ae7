import type { RunEvent, StepEndEvent } from '../model/events.js';
import { formatDuration, indentLines, stepSubject } from './format.js';
import { formatRecap } from './recap.js';
import type { Renderer, Write } from './renderer.js';

/** One line per finished step, for CI logs and pipes: "[gw-1] start-component gateway ... changed (2.1s)". */
export function plainLines(event: RunEvent): string[] {
  switch (event.type) {
    case 'run-start': {
      const steps = event.waves.reduce((n, w) => n + w.steps, 0);
      return [`PLAN ${event.waves.length} waves, ${steps} steps`];
    }
    case 'wave-start':
      return [`== wave ${event.index + 1}: ${event.label} (${event.hosts.join(', ')})`];
    case 'step-start':
    case 'wave-end':
      return [];
    case 'step-end':
      return stepEndLines(event);
    case 'run-end': {
      const verdict = event.aborted ? 'INTERRUPTED' : event.failed ? 'FAILED' : 'OK';
      return ['', ...formatRecap(event.recap), '', `${verdict} in ${formatDuration(event.durationMs)}`];
    }
  }
}

function stepEndLines(e: StepEndEvent): string[] {
  const head = `[${e.host}] ${e.kind} ${stepSubject(e)} ... ${e.status} (${formatDuration(e.durationMs)})`;
  // 'changed' and 'ok' speak for themselves; every other status says why.
  const why = e.status === 'changed' || e.status === 'ok' || e.status === 'failed' ? '' : `: ${e.reason}`;
  const lines = [`${head}${why}`];
  for (const w of e.warnings) lines.push(`    warning: ${w}`);
  if (e.error) {
    lines.push(`    error: ${e.error.message}`);
    if (e.error.detail) lines.push(...indentLines(e.error.detail, '      '));
    if (e.error.hint) lines.push(`    hint: ${e.error.hint}`);
  }
  return lines;
}

export function createPlainRenderer(write: Write): Renderer {
  return {
    onEvent: (event) => {
      for (const line of plainLines(event)) write(`${line}\n`);
    },
    done: async () => {},
  };
}
