import type { Clock } from '../../src/model/clock.js';

interface Timer {
  readonly at: number;
  readonly resolve: () => void;
}

/**
 * A clock whose time moves only when told (advance) or, with autoAdvance, whenever every pending task is
 * asleep: it then jumps to the earliest timer. Records every sleep for interval assertions.
 */
export class FakeClock implements Clock {
  #now: number;
  #timers: Timer[] = [];
  #tickQueued = false;
  readonly sleeps: number[] = [];

  constructor(readonly opts: { start?: number; autoAdvance?: boolean } = {}) {
    this.#now = opts.start ?? 0;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer: Timer = { at: this.#now + Math.max(0, ms), resolve };
      this.#timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.#timers = this.#timers.filter((t) => t !== timer);
          reject(signal.reason);
        },
        { once: true },
      );
      if (this.opts.autoAdvance) this.#queueTick();
    });
  }

  /** Moves time forward, waking every timer due by then, in order. */
  advance(ms: number): void {
    this.#now += ms;
    this.#fireDue();
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  #fireDue(): void {
    const due = this.#timers.filter((t) => t.at <= this.#now).sort((a, b) => a.at - b.at);
    this.#timers = this.#timers.filter((t) => t.at > this.#now);
    for (const t of due) t.resolve();
  }

  // setImmediate runs after pending promise callbacks: by then everyone that can make progress has.
  #queueTick(): void {
    if (this.#tickQueued) return;
    this.#tickQueued = true;
    setImmediate(() => {
      this.#tickQueued = false;
      if (this.#timers.length === 0) return;
      const next = Math.min(...this.#timers.map((t) => t.at));
      this.#now = Math.max(this.#now, next);
      this.#fireDue();
      if (this.#timers.length > 0) this.#queueTick();
    });
  }
}
