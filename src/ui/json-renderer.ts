import type { RunEvent } from '../model/events.js';
import type { Renderer, Write } from './renderer.js';

/** Version of the `--json` event stream; bump when an event's shape changes. */
export const EVENTS_FORMAT = 1;

/** One JSON object per line. Events are secret-free; Secret values would serialize as *** anyway. */
export function createJsonRenderer(write: Write): Renderer {
  return {
    onEvent: (event: RunEvent) => write(`${JSON.stringify({ format: EVENTS_FORMAT, ...event })}\n`),
    done: async () => {},
  };
}
