import { basename, dirname, posix, resolve } from 'node:path';
import type { DropInFile, DropInRoot } from '../model/vars.js';
import { didYouMean } from '../model/did-you-mean.js';
import { describe } from '../yaml/shape-check.js';
import { quoted } from '../yaml/shown.js';
import type { DocPath, YamlSource } from '../yaml/source.js';
import { UNIX_NAME } from './names.js';
import type { VarValue } from './variables.js';

/**
 * The `files:` variable: controller files dropped into WSO2 nodes (JARs into repository/components/dropins or lib,
 * log4j2.properties, a userstore, a sequence). Written as a list in any vars layer:
 *
 *   files:
 *     - { src: files/audit-handler.jar, dest: repository/components/dropins/ }       # dest_root: release (default)
 *     - { src: files/log4j2.properties.eta, dest: repository/conf/log4j2.properties, template: true }
 *     - { src: files/ldap.xml, dest: repository/deployment/server/userstores/ldap.xml, dest_root: data }
 *     - { src: files/ca.pem, dest: /etc/pki/corp-ca.pem, dest_root: absolute, owner: root, mode: "0644" }
 *
 * `dest` ending in `/` is a directory: the file keeps its source name (without a `.eta` suffix when templated).
 * Layers merge by destination: a later layer (role, datacenter, host) replaces an entry with the same dest_root and
 * dest, and adds the others. This module checks what can be checked from the YAML alone; rules/drop-ins.ts checks
 * the controller files and the roles' own files.
 */
export const DROP_IN_ROOTS: readonly DropInRoot[] = ['release', 'data', 'absolute'];
const KEYS = ['src', 'dest', 'dest_root', 'mode', 'owner', 'template'];
const MODE = /^0?[0-7]{3}$/;

/** The resolution key: one file per destination. */
export const dropInKey = (f: Pick<DropInFile, 'root' | 'dest'>): string => `${f.root}:${f.dest}`;

/** Checks one written `files:` list; `src` paths resolve against the inventory's directory. */
export function checkDropIns(value: unknown, path: DocPath, src: YamlSource): VarValue | undefined {
  if (!Array.isArray(value)) return void src.add(path, `expected a list of files ({ src, dest }), got ${describe(value)}`);
  const out: VarValue[] = [];
  const seen = new Map<string, number>();
  value.forEach((entry, i) => {
    const checked = checkEntry(entry, [...path, i], src);
    if (!checked) return;
    const key = dropInKey(checked);
    if (seen.has(key)) return void src.add([...path, i, 'dest'], `${checked.dest} is already the dest of entry ${seen.get(key)! + 1} in this list`);
    seen.set(key, i);
    out.push(checked as unknown as VarValue);
  });
  return out;
}

function checkEntry(entry: unknown, at: DocPath, src: YamlSource): DropInFile | undefined {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return void src.add(at, `expected a mapping { src, dest }, got ${describe(entry)}`);
  const e = entry as Record<string, unknown>;
  let ok = true;
  const bad = (key: string, message: string, where: 'key' | 'value' = 'value') => {
    ok = false;
    src.add(key ? [...at, key] : at, message, where);
  };
  for (const key of Object.keys(e)) if (!KEYS.includes(key)) bad(key, `unknown key ${quoted(key)}${didYouMean(key, KEYS)}; allowed here: ${KEYS.join(', ')}`, 'key');
  for (const key of ['src', 'dest']) {
    if (e[key] === undefined) bad('', `missing ${key} (${key === 'src' ? 'the file on this machine, relative to the inventory' : 'where it goes on the node'})`);
    else if (typeof e[key] !== 'string' || e[key] === '') bad(key, `expected a non-empty string, got ${describe(e[key])}`);
  }
  const root = (e['dest_root'] ?? 'release') as DropInRoot;
  if (!DROP_IN_ROOTS.includes(root)) bad('dest_root', `must be one of ${DROP_IN_ROOTS.join(', ')}, got ${quoted(String(root))}${didYouMean(String(root), DROP_IN_ROOTS)}`);
  const template = e['template'] ?? false;
  if (typeof template !== 'boolean') bad('template', `expected true or false, got ${describe(template)}`);
  const mode = e['mode'] ?? '0644';
  if (typeof mode === 'number') bad('mode', `quote the mode ("0${mode}"): YAML reads an unquoted 0${mode} as a decimal number`);
  else if (typeof mode !== 'string' || !MODE.test(mode)) bad('mode', `expected an octal mode like "0644", got ${describe(mode)}`);
  const owner = e['owner'] ?? null;
  if (owner !== null && (typeof owner !== 'string' || !owner.split(':').every((n) => UNIX_NAME.test(n)) || owner.split(':').length > 2)) {
    bad('owner', `expected user or user:group (${UNIX_NAME.expected}), got ${describe(owner)}`);
  }
  if (!ok) return undefined;
  const written = e['src'] as string;
  const dest = destOf(e['dest'] as string, written, root, template as boolean, (m) => bad('dest', m));
  if (dest === undefined) return undefined;
  return {
    src: resolve(dirname(src.displayFile), written), dest, root, template: template as boolean,
    mode: (mode as string).padStart(4, '0'), owner: owner as string | null, at: [...at],
  };
}

/** The normalised destination, or undefined (reported) when it climbs out of its root or does not fit it. */
function destOf(written: string, srcPath: string, root: DropInRoot, template: boolean, bad: (m: string) => void): string | undefined {
  const name = template ? basename(srcPath).replace(/\.eta$/, '') : basename(srcPath);
  const full = written.endsWith('/') ? `${written}${name}` : written;
  if (full.includes('\0') || full.includes('\\')) return void bad('must not contain NUL or backslash characters');
  if (root === 'absolute' && !full.startsWith('/')) return void bad('dest_root absolute needs an absolute dest (starting with /)');
  if (root !== 'absolute' && full.startsWith('/')) return void bad(`an absolute dest needs dest_root: absolute (this one is relative to the ${root === 'release' ? 'release dir' : "node's data dir"})`);
  if (full.split('/').some((s) => s === '..')) return void bad(`must not contain ".." (it would leave its ${root === 'absolute' ? 'path' : `${root} dir`})`);
  const normal = posix.normalize(full).replace(/\/+$/, '');
  if (normal === '.' || normal === '' || normal === '/') return void bad('names no file');
  return normal;
}

/** Merges the layers' lists (lowest first): one file per destination, the latest layer's entry wins. */
export function mergeDropIns(lists: readonly (readonly DropInFile[])[]): DropInFile[] {
  const byKey = new Map<string, DropInFile>();
  for (const list of lists) for (const f of list) byKey.set(dropInKey(f), f);
  return [...byKey.values()];
}
