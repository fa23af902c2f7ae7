import { closeSync, constants, fchmodSync, lstatSync, mkdirSync, openSync, realpathSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
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
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  if (!inside(realOut, realpathSync(dirname(target)))) {
    throw new ConfigError(`render: ${dirname(target)} leads outside ${outDir} through a symbolic link; nothing more was written`,
      [], 'render into a new, empty directory');
  }
  return target;
}

/** Creates or replaces a file without following a symbolic link at its name, with exactly `mode`. */
function writeNoFollow(path: string, content: string, mode: number): void {
  const existing = lstatSync(path, { throwIfNoEntry: false });
  if (existing && !existing.isFile()) throw new ConfigError(`render: ${path} exists and is not a regular file; nothing more was written`, [], 'render into a new, empty directory');
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, mode);
  try {
    fchmodSync(fd, mode); // an existing file keeps its old mode through open
    writeSync(fd, content);
  } finally {
    closeSync(fd);
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

