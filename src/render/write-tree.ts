import { lstatSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ConfigError } from '../errors.js';
import { writeFileNoFollow } from '../files/write-no-follow.js';
import type { RenderedNode } from './render-inventory.js';

export interface TreeSummary {
  readonly files: number;
  readonly secretFiles: number;
  readonly perHost: readonly { readonly host: string; readonly roles: readonly string[]; readonly files: number }[];
}

/** True when `path` is `dir` itself or below it (both absolute, resolved). */
const inside = (dir: string, path: string): boolean => {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * Where a host's file goes under `outDir`, checked twice: the joined path must stay below `outDir` (validate
 * already refuses `..` in every path that reaches a host), and so must its real parent directory once created
 * (a symlink planted in the tree must not lead out of it).
 */
function targetPath(outDir: string, realOut: string, host: string, remotePath: string): string {
  const target = resolve(outDir, host, `.${remotePath.startsWith('/') ? '' : '/'}${remotePath}`);
  if (!inside(resolve(outDir, host), target)) {
    throw new ConfigError(`render: ${host}:${remotePath} would be written outside ${outDir}; nothing more was written`);
  }
  mkdirInside(realOut, outDir, dirname(target));
  return target;
}

/**
 * Creates `dir` one level at a time below `outDir`: an existing level must be a real directory (a symbolic link
 * planted in the tree would lead mkdir, and then the file, out of it), and the real path must stay inside.
 */
function mkdirInside(realOut: string, outDir: string, dir: string): void {
  const levels = relative(outDir, dir).split(sep).filter(Boolean);
  let at = outDir;
  for (const level of levels) {
    at = join(at, level);
    const st = lstatSync(at, { throwIfNoEntry: false });
    if (st?.isSymbolicLink() && !inside(realOut, realpathSync(at))) {
      throw new ConfigError(`render: ${at} leads outside ${outDir} through a symbolic link; nothing more was written`, [], 'render into a new, empty directory');
    }
    if (!st) mkdirSync(at, { mode: 0o700 });
    else if (!statSync(at).isDirectory()) throw new ConfigError(`render: ${at} exists and is not a directory; nothing more was written`, [], 'render into a new, empty directory');
  }
  if (!inside(realOut, realpathSync(dir))) {
    throw new ConfigError(`render: ${dir} leads outside ${outDir} through a symbolic link; nothing more was written`, [], 'render into a new, empty directory');
  }
}

/** The operator's tree: a planted link or odd file at a target stops the render with a ConfigError. */
function writeNoFollow(path: string, content: string, mode: number): void {
  try {
    writeFileNoFollow(path, content, mode);
  } catch (err) {
    throw new ConfigError(`render: ${(err as Error).message}; nothing more was written`, [], 'render into a new, empty directory');
  }
}

/**
 * Write every rendered file to `<outDir>/<host>/<remote path>` with its mode as on the host (the operator's own
 * disk: secrets are written in place, so keep outDir private). Ownership is not applied (it needs root and
 * users that exist only on the hosts). Never writes outside `outDir`.
 */
export function writeRenderedTree(nodes: readonly RenderedNode[], outDir: string): TreeSummary {
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true, mode: 0o700 });
  const realOut = realpathSync(out);
  const perHost = new Map<string, { roles: string[]; files: number }>();
  let files = 0;
  let secretFiles = 0;
  for (const node of nodes) {
    const entry = perHost.get(node.host) ?? { roles: [], files: 0 };
    entry.roles.push(node.role);
    for (const f of node.files) {
      writeNoFollow(targetPath(out, realOut, node.host, f.path), f.content, Number.parseInt(f.mode, 8));
      entry.files++;
      files++;
      if (f.secret) secretFiles++;
    }
    perHost.set(node.host, entry);
  }
  return { files, secretFiles, perHost: [...perHost].map(([host, e]) => ({ host, ...e })) };
}

