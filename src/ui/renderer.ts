import type { RunEvent } from '../model/events.js';

/** A view of a run: fed every executor event, in order. */
export interface Renderer {
  onEvent(event: RunEvent): void;
  /** Resolves once everything is on screen (after run-end). */
  done(): Promise<void>;
}

export type Write = (text: string) => void;
