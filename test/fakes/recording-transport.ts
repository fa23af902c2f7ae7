/**
 * An in-memory Transport for unit tests of modules above the transport (executor, workflows, health).
 * Records every call, answers exec from scripted responses, keeps put files in memory, and in read-only mode
 * throws on any exec outside an allow-list and on every write: the dry-run tests use that to prove nothing changes.
 */
import { TransportError } from '../../src/errors.js';
import { READ_ONLY_SCRIPTS } from '../../src/facts/index.js';
import { commandLine } from '../../src/transport/quote.js';
import type { ExecResult, PutOptions, RemoteCommand, RemoteStat, Transport } from '../../src/transport/transport.js';

export type RecordedCall =
  | { readonly op: 'exec'; readonly command: RemoteCommand; readonly display: string }
  | { readonly op: 'put'; readonly path: string; readonly content: string | Uint8Array; readonly opts: PutOptions }
  | { readonly op: 'putFile'; readonly path: string; readonly localPath: string; readonly opts: PutOptions }
  | { readonly op: 'read' | 'stat'; readonly path: string }
  | { readonly op: 'close' };

type Matcher = string | RegExp | ((cmd: RemoteCommand, display: string) => boolean);
type Response = Partial<ExecResult> | TransportError | ((cmd: RemoteCommand) => Partial<ExecResult>);

/** Programs that only read; argv[0] or its basename must be one of them in read-only mode. */
export const READ_ONLY_PROGRAMS = ['cat', 'sha256sum', 'readlink', 'test', 'stat', 'df', 'uname', 'ss', 'ls', 'id', 'getent', 'java', 'true'];

export class ReadOnlyViolation extends Error {}

export interface RecordingOptions {
  /** true = READ_ONLY_PROGRAMS plus `sh -c` with a facts script; or an explicit allow-list of programs. */
  readonly readOnly?: boolean | { readonly programs: readonly string[]; readonly scripts?: readonly string[] };
}

interface StoredFile {
  content: Uint8Array;
  mode: string;
  owner: string;
}

export class RecordingTransport implements Transport {
  readonly calls: RecordedCall[] = [];
  readonly files = new Map<string, StoredFile>();
  readonly dirs = new Map<string, { mode: string; owner: string }>();
  readonly links = new Map<string, string>();
  readonly #script: { match: Matcher; response: Response; once: boolean }[] = [];
  closed = false;

  constructor(readonly host: string, private readonly opts: RecordingOptions = {}) {}

  /** Answer matching commands (display line prefix, RegExp or predicate); the first match added wins. */
  on(match: Matcher, response: Response, opts: { once?: boolean } = {}): this {
    this.#script.push({ match, response, once: opts.once ?? false });
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

  /** The display lines (secrets as ***) of every exec, in order. */
  commandLines(): string[] {
    return this.calls.flatMap((c) => (c.op === 'exec' ? [c.display] : []));
  }

  async exec(command: RemoteCommand): Promise<ExecResult> {
    const { display } = commandLine(command);
    this.calls.push({ op: 'exec', command, display });
    this.#checkReadOnly(command, display);
    const i = this.#script.findIndex((s) => matches(s.match, command, display));
    const entry = i < 0 ? undefined : this.#script[i]!;
    if (entry?.once) this.#script.splice(i, 1);
    const response = entry?.response ?? {};
    if (response instanceof TransportError) throw response;
    const r = typeof response === 'function' ? response(command) : response;
    return { exitCode: 0, signal: null, stdout: '', stderr: '', durationMs: 0, ...r };
  }

  async put(content: string | Uint8Array, path: string, opts: PutOptions): Promise<void> {
    this.calls.push({ op: 'put', path, content, opts });
    this.#refuseWrite(`put ${path}`);
    this.files.set(path, { content: toBytes(content), mode: opts.mode, owner: opts.owner ?? 'root' });
  }

  async putFile(localPath: string, path: string, opts: PutOptions): Promise<void> {
    this.calls.push({ op: 'putFile', path, localPath, opts });
    this.#refuseWrite(`putFile ${path}`);
    this.files.set(path, { content: new TextEncoder().encode(`<contents of ${localPath}>`), mode: opts.mode, owner: opts.owner ?? 'root' });
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

  #checkReadOnly(command: RemoteCommand, display: string): void {
    const ro = this.opts.readOnly;
    if (!ro) return;
    const programs = ro === true ? READ_ONLY_PROGRAMS : ro.programs;
    const scripts = ro === true ? READ_ONLY_SCRIPTS : (ro.scripts ?? READ_ONLY_SCRIPTS);
    const [argv0, flag, script] = command.argv;
    const base = typeof argv0 === 'string' ? (argv0.split('/').pop() ?? '') : '';
    const isFactScript = base === 'sh' && flag === '-c' && typeof script === 'string' && scripts.includes(script);
    if (!isFactScript && !programs.some((p) => p === argv0 || (!p.includes('/') && p === base))) {
      throw new ReadOnlyViolation(`${this.host}: read-only run tried to execute: ${display}`);
    }
  }

  #refuseWrite(what: string): void {
    if (this.opts.readOnly) throw new ReadOnlyViolation(`${this.host}: read-only run tried to ${what}`);
  }
}

function toBytes(content: string | Uint8Array): Uint8Array {
  return typeof content === 'string' ? new TextEncoder().encode(content) : content;
}

function matches(m: Matcher, cmd: RemoteCommand, display: string): boolean {
  if (typeof m === 'string') return display.startsWith(m);
  if (m instanceof RegExp) return m.test(display);
  return m(cmd, display);
}
