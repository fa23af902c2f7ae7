/**
 * The one in-memory Transport for unit tests of modules above the transport (steps, executor, workflows, health,
 * lock, ui). It records every call (`lines`: the execs and writes), answers exec by scripted rules, and keeps files, directories and
 * links in memory (`sha256sum -- PATH` answers from them). Options: `strict` (an unanswered command throws),
 * `inFlight`/`delay` (measure how many operations overlap), and `readOnly` (any write, or any exec outside an
 * allow-list, throws: the dry-run tests prove with it that nothing changes).
 */
import { createHash } from 'node:crypto';
import { TransportError } from '../../src/errors.js';
import { READ_ONLY_SCRIPTS } from '../../src/facts/index.js';
import { SEQUENCE_END, SEQUENCE_SCRIPT } from '../../src/steps/command-sequence.js';
import { commandLine } from '../../src/transport/quote.js';
import { releasesCommand } from '../../src/workflows/rollout/releases.js';
import type { ExecResult, PutOptions, RemoteCommand, RemoteStat, Transport } from '../../src/transport/transport.js';

export type Reply = Partial<Omit<ExecResult, 'durationMs'>>;
export type Responder = (command: RemoteCommand, line: string) => Reply | Promise<Reply>;

/** Recorded operations; `line` is the display line (secrets as ***), `wire` what a shell would run. */
export type Call =
  | { readonly op: 'exec'; readonly line: string; readonly wire: string; readonly command: RemoteCommand }
  | { readonly op: 'put'; readonly path: string; readonly content: string; readonly opts: PutOptions }
  | { readonly op: 'putFile'; readonly localPath: string; readonly path: string; readonly opts: PutOptions }
  | { readonly op: 'read' | 'stat'; readonly path: string }
  | { readonly op: 'close' };

/** Programs that only read; argv[0] or its basename must be one of them in read-only mode. */
export const READ_ONLY_PROGRAMS = ['cat', 'sha256sum', 'readlink', 'test', 'stat', 'df', 'uname', 'ss', 'ls', 'id', 'getent', 'java', 'true'];

/** Scripts that only read, beside the facts': the release listing the version gate of provision, plan and upgrade runs. */
const READ_ONLY_RUN_SCRIPTS: readonly string[] = [...READ_ONLY_SCRIPTS, String(releasesCommand([]).argv[2])];

export class ReadOnlyViolation extends Error {}

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

export interface RecordingOptions {
  /** An exec no rule answers throws, instead of exiting 0 with no output. */
  readonly strict?: boolean;
  readonly inFlight?: InFlight;
  /** Awaited inside every exec and write, while it counts as in flight. */
  readonly delay?: () => Promise<void>;
  /** true = READ_ONLY_PROGRAMS plus `sh -c` with a facts script; or an explicit allow-list of programs. */
  readonly readOnly?: boolean | { readonly programs: readonly string[]; readonly scripts?: readonly string[] };
  /**
   * A command sequence (a step's commands in one exec) goes to the rules as the one exec it is, for a transport whose
   * rules run it in a real shell. Without it, each of its commands is answered and recorded on its own.
   */
  readonly wholeSequences?: boolean;
}

interface StoredFile {
  readonly content: Uint8Array;
  readonly mode: string;
  readonly owner: string;
}

interface Rule {
  readonly match: RegExp | string;
  readonly respond: Responder | TransportError;
  readonly once: boolean;
}

export class RecordingTransport implements Transport {
  readonly calls: Call[] = [];
  readonly files = new Map<string, StoredFile>();
  readonly dirs = new Map<string, { mode: string; owner: string }>();
  readonly links = new Map<string, string>();
  closed = false;
  #rules: Rule[] = [];

  constructor(readonly host: string, readonly opts: RecordingOptions = {}) {}

  /**
   * Answer commands whose display line contains `match` (a substring) or matches it (a RegExp). The latest rule
   * added wins, so a test can override a catch-all; `once` drops the rule after its first answer.
   */
  on(match: RegExp | string, reply: Reply | Responder | TransportError, opts: { once?: boolean } = {}): this {
    const respond = typeof reply === 'function' || reply instanceof TransportError ? reply : () => reply;
    this.#rules.unshift({ match, respond, once: opts.once ?? false });
    return this;
  }

  seedFile(path: string, content: string | Uint8Array, meta: { mode?: string; owner?: string } = {}): this {
    this.files.set(path, { content: toBytes(content), mode: meta.mode ?? '0644', owner: meta.owner ?? 'root' });
    return this;
  }

  seedDir(path: string, meta: { mode?: string; owner?: string } = {}): this {
    this.dirs.set(path, { mode: meta.mode ?? '0755', owner: meta.owner ?? 'root' });
    return this;
  }

  /** A file's content as text (undefined when absent). */
  text(path: string): string | undefined {
    const f = this.files.get(path);
    return f && new TextDecoder().decode(f.content);
  }

  /** Display lines of every exec, and `put PATH` / `putFile PATH` for writes, in order. */
  get lines(): string[] {
    return this.calls.flatMap((c) => (c.op === 'exec' ? [c.line] : c.op === 'put' || c.op === 'putFile' ? [`${c.op} ${c.path}`] : []));
  }

  async exec(command: RemoteCommand): Promise<ExecResult> {
    if (!this.opts.wholeSequences && command.argv[0] === 'sh' && command.argv[2] === SEQUENCE_SCRIPT) return this.#sequence(command);
    const { wire, display: line } = commandLine(command);
    this.calls.push({ op: 'exec', line, wire, command });
    this.#checkReadOnly(command, line);
    return this.#busy(async () => {
      const i = this.#rules.findIndex((r) => (typeof r.match === 'string' ? line.includes(r.match) : r.match.test(line)));
      const rule = this.#rules[i];
      if (rule?.once) this.#rules.splice(i, 1);
      if (rule?.respond instanceof TransportError) throw rule.respond;
      const reply = rule ? await rule.respond(command, line) : this.#builtin(command);
      if (!reply) throw new Error(`${this.host}: no scripted answer for: ${line}`);
      return { exitCode: 0, signal: null, stdout: '', stderr: '', durationMs: 1, ...reply };
    });
  }

  async put(content: string | Uint8Array, path: string, opts: PutOptions): Promise<void> {
    this.calls.push({ op: 'put', path, content: typeof content === 'string' ? content : new TextDecoder().decode(content), opts });
    this.#refuseWrite(`put ${path}`);
    await this.#busy(async () => this.seedFile(path, content, { mode: opts.mode, ...(opts.owner ? { owner: opts.owner } : {}) }));
  }

  async putFile(localPath: string, path: string, opts: PutOptions): Promise<void> {
    this.calls.push({ op: 'putFile', localPath, path, opts });
    this.#refuseWrite(`putFile ${path}`);
    await this.#busy(async () => this.seedFile(path, `<contents of ${localPath}>`, { mode: opts.mode, ...(opts.owner ? { owner: opts.owner } : {}) }));
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    this.calls.push({ op: 'read', path });
    return this.files.get(path)?.content;
  }

  async stat(path: string): Promise<RemoteStat | undefined> {
    this.calls.push({ op: 'stat', path });
    const link = this.links.get(path);
    if (link !== undefined) return { kind: 'symlink', mode: '0777', owner: 'root', size: link.length };
    const f = this.files.get(path);
    if (f) return { kind: 'file', mode: f.mode, owner: f.owner, size: f.content.byteLength };
    const d = this.dirs.get(path);
    return d ? { kind: 'dir', mode: d.mode, owner: d.owner, size: 4096 } : undefined;
  }

  async close(): Promise<void> {
    this.calls.push({ op: 'close' });
    this.closed = true;
  }

  /** Execs that carried a command sequence (a step's commands in one exec). */
  sequences = 0;

  /**
   * A command sequence (command-batch.ts) as the host's shell runs it: each command answered by the rules and recorded
   * as its own exec, in order, the guard's exit 0 ending it, the first failure stopping it, and the closing line.
   */
  async #sequence(command: RemoteCommand): Promise<ExecResult> {
    this.sequences++;
    const [nonce, guard, input] = command.argv.slice(4, 7).map(String);
    const parts: RemoteCommand[] = [];
    for (let k = 7; k < command.argv.length;) {
      const n = Number(command.argv[k]);
      const argv = command.argv.slice(k + 1, k + 1 + n);
      parts.push(String(parts.length) === input && command.stdin !== undefined ? { argv, stdin: command.stdin } : { argv });
      k += 1 + n;
    }
    let stdout = '';
    let stderr = '';
    const end = (word: string, exitCode: number | null) =>
      ({ exitCode, signal: null, stdout: `${stdout}\n${SEQUENCE_END} ${nonce} ${word}\n`, stderr, durationMs: 1 });
    for (const [i, part] of parts.entries()) {
      const r = await this.exec(part);
      stdout += r.stdout;
      stderr += r.stderr;
      if (i === 0 && guard === '1') {
        if (r.exitCode === 0) return end('skip', 0);
      } else if (r.exitCode !== 0) return end(`fail ${i}`, r.exitCode);
    }
    return end('done', 0);
  }

  #builtin(command: RemoteCommand): Reply | undefined {
    if (command.argv[0] === 'sha256sum') {
      const path = String(command.argv[2]);
      const file = this.files.get(path);
      if (file === undefined) return { exitCode: 1, stderr: `sha256sum: ${path}: No such file or directory\n` };
      return { stdout: `${createHash('sha256').update(file.content).digest('hex')}  ${path}\n` };
    }
    return this.opts.strict ? undefined : {};
  }

  #checkReadOnly(command: RemoteCommand, line: string): void {
    const ro = this.opts.readOnly;
    if (!ro) return;
    const programs = ro === true ? READ_ONLY_PROGRAMS : ro.programs;
    const scripts = ro === true ? READ_ONLY_RUN_SCRIPTS : (ro.scripts ?? READ_ONLY_RUN_SCRIPTS);
    const [argv0, flag, script] = command.argv;
    const base = typeof argv0 === 'string' ? (argv0.split('/').pop() ?? '') : '';
    const isFactScript = base === 'sh' && flag === '-c' && typeof script === 'string' && scripts.includes(script);
    if (!isFactScript && !programs.some((p) => p === argv0 || (!p.includes('/') && p === base))) {
      throw new ReadOnlyViolation(`${this.host}: read-only run tried to execute: ${line}`);
    }
  }

  #refuseWrite(what: string): void {
    if (this.opts.readOnly) throw new ReadOnlyViolation(`${this.host}: read-only run tried to ${what}`);
  }

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

function toBytes(content: string | Uint8Array): Uint8Array {
  return typeof content === 'string' ? new TextEncoder().encode(content) : content;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
