/** A tiny typed event emitter: the executor emits, renderers listen. A throwing listener cannot stop a run. */
export class TypedEmitter<E extends { readonly type: string }> {
  readonly #listeners = new Set<(event: E) => void>();
  #firstListenerError: unknown;

  on(listener: (event: E) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: E): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (err) {
        // Hosts are half-way through a change: finish the run, then surface the listener's bug.
        this.#firstListenerError ??= err;
      }
    }
  }

  /** The first error a listener threw, if any. */
  get listenerError(): unknown {
    return this.#firstListenerError;
  }
}
