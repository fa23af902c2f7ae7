import type { HostName, NodeRef } from '../model/inventory.js';
import type { Step } from '../model/plan.js';

type StepFields<S> = S extends Step ? Omit<S, 'id' | 'host' | 'node' | 'after' | 'certainty'> & { readonly key: string } : never;
export type NewStep = StepFields<Step>;

/**
 * Builds one chain of steps (a host's shared preparation, or one node's steps): each step waits for the one
 * before it, so a failure blocks the rest of its chain; the first also waits for `after`.
 */
export class StepChain {
  readonly steps: Step[] = [];
  #last: string | null = null;
  constructor(
    readonly host: HostName,
    readonly node: NodeRef | undefined,
    private readonly after: readonly string[] = [],
  ) {}

  add(fields: NewStep, certainty: Step['certainty'] = 'certain'): string {
    const { key, ...rest } = fields;
    const id = `${this.host}/${rest.kind}/${key}`;
    const after = this.#last ? [this.#last] : [...this.after];
    const step = { ...rest, id, host: this.host, after, certainty, ...(this.node ? { node: this.node } : {}) } as Step;
    this.steps.push(step);
    this.#last = id;
    return id;
  }

  /** The id the next chain should wait for (its last step, or what this chain itself waited for). */
  get tail(): readonly string[] {
    return this.#last ? [this.#last] : this.after;
  }
}
