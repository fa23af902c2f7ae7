import type { StepEndEvent } from '../model/events.js';

/** 850 → '0.9s', 72_000 → '1m12s'. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** `gateway` from `gw-1/start-component/gateway`; the description when the id does not follow the convention. */
export function stepSubject(e: Pick<StepEndEvent, 'stepId' | 'host' | 'kind' | 'description'>): string {
  const prefix = `${e.host}/${e.kind}/`;
  return e.stepId.startsWith(prefix) ? e.stepId.slice(prefix.length) : e.description;
}

export function indentLines(text: string, by = '    '): string[] {
  return text.split('\n').map((l) => (l === '' ? '' : `${by}${l}`));
}
