import { Eta, EtaError } from 'eta';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import type { FileFormat } from '../model/role.js';
import { ESCAPERS, SqlIdent, TomlKey, XmlInToml, type EscapeState, type VaultSink } from './escapers.js';
import { strict } from './strict.js';

/**
 * The eta wrapper. One engine per file format: its `escapeFunction` is that format's escaper, so a plain
 * `<%= value %>` is always safe for the file it lands in. Raw output (`<%~ %>`) is allowed only where
 * test/unit/render/raw-output.test.ts lists it (includes of partials, which are escaped themselves).
 * Control lines end with `-%>` to drop their newline; autoTrim is off so interpolations keep theirs.
 */
export interface RenderedText {
  readonly content: string;
  /** True when a Secret was revealed into the content. */
  readonly secret: boolean;
}

class TemplateEngine extends Eta {
  readonly strict = strict;
  readonly ident = (name: string): SqlIdent => new SqlIdent(name);
  readonly xmlInToml = (value: unknown): XmlInToml => new XmlInToml(value);
  readonly key = (name: string): TomlKey => new TomlKey(name);
}

/** Escape state of the render in progress (rendering is synchronous, so one slot is enough). */
let active: EscapeState | null = null;

export class Renderer {
  readonly #engines = new Map<FileFormat, TemplateEngine>();
  constructor(readonly templatesDir: string) {}

  #engine(format: FileFormat): TemplateEngine {
    let engine = this.#engines.get(format);
    if (!engine) {
      const escape = ESCAPERS[format];
      engine = new TemplateEngine({
        views: this.templatesDir,
        autoEscape: true,
        autoTrim: false,
        cache: true,
        debug: true,
        useWith: false,
        functionHeader: 'it = this.strict(it); const ident = this.ident; const xmlInToml = this.xmlInToml; const key = this.key;',
        escapeFunction: (value: unknown) => {
          if (!active) throw new Error('escaper called outside a render');
          return escape(value, active);
        },
      });
      this.#engines.set(format, engine);
    }
    return engine;
  }

  /** Render `template` (relative to the templates dir) for `data`. Errors become ConfigError with template:line. */
  render(template: string, format: FileFormat, data: object, vault?: VaultSink): RenderedText {
    const state: EscapeState = { secretWritten: false, ...(vault ? { vault } : {}) };
    const previous = active;
    active = state;
    try {
      const content = this.#engine(format).render(template, data);
      return { content, secret: state.secretWritten };
    } catch (e) {
      throw templateError(this.templatesDir, template, e);
    } finally {
      active = previous;
    }
  }
}

/** The innermost template position from eta's nested runtime errors ("file:line\n...context...\n\nmessage"). */
function templateError(dir: string, template: string, e: unknown): ConfigError {
  if (!(e instanceof Error)) return new ConfigError(`${template}: ${String(e)}`);
  let innermost: Error = e;
  let cause: unknown = e;
  while (cause instanceof EtaError) {
    innermost = cause;
    cause = (cause as Error & { cause?: unknown }).cause;
  }
  const root = cause instanceof Error ? cause : innermost;
  const where = /^(.+):(\d+)\n/.exec(innermost.message);
  const file = where?.[1] ?? join(dir, template);
  const line = where ? Number(where[2]) : 1;
  const message = root === innermost ? (innermost.message.split('\n').pop() ?? innermost.message) : root.message;
  return new ConfigError(`${file}:${line}: ${message}`, [{ file, line, col: 1, path: '', message }], 'Fix the template or the inventory value it names.');
}
