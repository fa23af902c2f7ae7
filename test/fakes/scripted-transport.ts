import { createHash } from 'node:crypto';
import { commandLine } from '../../src/transport/quote.js';
import type { ExecResult, PutOptions, RemoteCommand, RemoteStat, Transport } from '../../src/transport/transport.js';

export type Reply = Partial<Omit<ExecResult, 'durationMs'>>;
export type Responder = (command: RemoteCommand, line: string) => Reply | Promise<Reply>;

export type Call =
  | { readonly op: 'exec'; readonly line: string; readonly wire: string; readonly command: RemoteCommand }
  | { readonly op: 'put'; readonly path: string; readonly content: string; readonly opts: PutOptions }
  | { readonly op: 'putFile'; readonly localPath: string; readonly path: string; readonly opts: PutOptions };

/** Shared across transports of one test: how many operations run at once, at most. */
export class InFlight {
  now = 0;
  max = 0;
  enter(): void {
    this.now++;
    this.max = Math.max(this.max, this.now);
  }
  leave(): void {
    this.now--;
  }
}

/**
 * A recording transport that answers exec by the first matching rule (latest added first), matched on the
 * command's display line. Unmatched commands exit 0 with no output unless `strict` is set. put writes into
 * an in-memory file map whose sha256 answers `sha256sum -- PATH`.
 */
export class ScriptedTransport implements Transport {
  readonly calls: Call[] = [];
  readonly files = new Map<string, string>();
  #rules: { match: RegExp | string; respond: Responder }[] = [];

  constructor(
    readonly host: string,
    readonly opts: { strict?: boolean; inFlight?: InFlight; delay?: () => Promise<void> } = {},
  ) {}

  /** `match`: a substring or a RegExp tested against the display line. */
  on(match: RegExp | string, reply: Reply | Responder): this {
    const respond = typeof reply === 'function' ? reply : () => reply;
    this.#rules.unshift({ match, respond });
    return this;
  }

  get lines(): string[] {
    return this.calls.flatMap((c) => (c.op === 'exec' ? [c.line] : [`${c.op} ${c.path}`]));
  }

  async exec(command: RemoteCommand): Promise<ExecResult> {
    const { wire, display: line } = commandLine(command);
    this.calls.push({ op: 'exec', line, wire, command });
    return this.#busy(async () => {
      const rule = this.#rules.find((r) => (typeof r.match === 'string' ? line.includes(r.match) : r.match.test(line)));
      const reply = rule ? await rule.respond(command, line) : this.#builtin(command);
      if (!reply) throw new Error(`${this.host}: no scripted answer for: ${line}`);
      return { exitCode: 0, signal: null, stdout: '', stderr: '', durationMs: 1, ...reply };
    });
  }

  #builtin(command: RemoteCommand): Reply | undefined {
    if (command.argv[0] === 'sha256sum') {
      const path = String(command.argv[2]);
      const content = this.files.get(path);
      if (content === undefined) return { exitCode: 1, stderr: `sha256sum: ${path}: No such file or directory\n` };
      return { stdout: `${createHash('sha256').update(content).digest('hex')}  ${path}\n` };
    }
    return this.opts.strict ? undefined : {};
  }

  async put(content: string | Uint8Array, path: string, opts: PutOptions): Promise<void> {
    const text = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
    this.calls.push({ op: 'put', path, content: text, opts });
    await this.#busy(async () => this.files.set(path, text));
  }

  async putFile(localPath: string, path: string, opts: PutOptions): Promise<void> {
    this.calls.push({ op: 'putFile', localPath, path, opts });
    await this.#busy(async () => this.files.set(path, `<contents of ${localPath}>`));
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    const content = this.files.get(path);
    return content === undefined ? undefined : Buffer.from(content);
  }

  async stat(path: string): Promise<RemoteStat | undefined> {
    const content = this.files.get(path);
    return content === undefined ? undefined : { kind: 'file', mode: '0644', owner: 'root', size: content.length };
  }

  async close(): Promise<void> {}

  async #busy<T>(work: () => Promise<T>): Promise<T> {
    this.opts.inFlight?.enter();
    try {
      await this.opts.delay?.();
      return await work();
    } finally {
      this.opts.inFlight?.leave();
    }
  }
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
