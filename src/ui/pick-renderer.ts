import { createJsonRenderer } from './json-renderer.js';
import { createListrRenderer } from './listr-renderer.js';
import { createPlainRenderer } from './plain-renderer.js';
import type { Renderer, Write } from './renderer.js';

export type RendererKind = 'json' | 'listr' | 'plain';

/**
 * json when asked; listr2 (colours, redrawn lines) on an interactive terminal outside CI; plain lines otherwise,
 * and whenever NO_COLOR is set to anything (no-color.org): the plain renderer writes no escape sequence.
 */
export function chooseRenderer(opts: { json?: boolean; isTTY?: boolean; env?: NodeJS.ProcessEnv }): RendererKind {
  if (opts.json) return 'json';
  const env = opts.env ?? process.env;
  const ci = Boolean(env.CI) && env.CI !== 'false';
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return opts.isTTY && !ci && !noColor && env.TERM !== 'dumb' ? 'listr' : 'plain';
}

export function createRenderer(kind: RendererKind, write: Write = (t) => process.stdout.write(t)): Renderer {
  if (kind === 'json') return createJsonRenderer(write);
  if (kind === 'listr') return createListrRenderer(write);
  return createPlainRenderer(write);
}

export function pickRenderer(opts: { json?: boolean; write?: Write } = {}): Renderer {
  return createRenderer(chooseRenderer({ json: opts.json, isTTY: process.stdout.isTTY }), opts.write);
}
