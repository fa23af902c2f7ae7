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

  /** The next step of the chain; it waits for the one before it and for `also` (steps of another lane it needs). */
  add(fields: NewStep, certainty: Step['certainty'] = 'certain', also: readonly string[] = []): string {
    const id = this.#push(fields, [...this.tail, ...also], certainty);
    this.#last = id;
    return id;
  }

  /**
   * A step of another lane (executor: a host's lanes run side by side): it waits for the chain so far, and the chain
   * goes on without waiting for it. Whatever needs it names it (`add`'s `also`).
   */
  addBeside(fields: NewStep, lane: NonNullable<Step['lane']>): string {
    return this.#push(fields, [...this.tail], 'certain', lane);
  }

  #push(fields: NewStep, after: string[], certainty: Step['certainty'], lane?: Step['lane']): string {
    const { key, ...rest } = fields;
    const id = `${this.host}/${rest.kind}/${key}`;
    this.steps.push({ ...rest, id, host: this.host, after, certainty, ...(lane ? { lane } : {}), ...(this.node ? { node: this.node } : {}) } as Step);
    return id;
  }

  /** The id the next chain should wait for (its last step, or what this chain itself waited for). */
  get tail(): readonly string[] {
    return this.#last ? [this.#last] : this.after;
  }
}
