import type { HostName } from '../../model/inventory.js';
import type { CommandAnswer } from '../../transport/transport.js';

/**
 * Answers hosts gave, in their connection's first command, to reads the run makes next. Each is handed out once, to
 * the very same command on the same host, then forgotten: a later read (a rollout reading facts again) always asks
 * the host.
 */
export class EarlyReads {
  readonly #answers = new Map<string, CommandAnswer>();

  add(host: HostName, argv: readonly string[], answer: CommandAnswer): void {
    this.#answers.set(JSON.stringify([host, ...argv]), answer);
  }

  take(host: HostName, argv: readonly string[]): CommandAnswer | undefined {
    const key = JSON.stringify([host, ...argv]);
    const answer = this.#answers.get(key);
    this.#answers.delete(key);
    return answer;
  }

  clear(): void {
    this.#answers.clear();
  }
}
