/**
 * Unit files as systemd reads them, for the lab's systemctl stand-in (src/lab/systemd/README.md lists the man pages):
 * - systemd.unit(5) "Unit File Load Path": the first directory holding the name wins; a template instance
 *   `name@inst.service` falls back to `name@.service`; "Specifiers": %i (instance), %I (unescaped), %n, %N, %p, %%.
 * - systemd.syntax(7): `[Section]`, `Key=Value`, `#`/`;` comments, a trailing backslash continues the line;
 *   a key given again adds a value (ExecStartPre, EnvironmentFile, After), an empty assignment resets the list.
 * - systemd.service(5) "Command Lines": words split on spaces, "double" and 'single' quotes group, a leading `-`
 *   ignores the command's failure, `$VAR`/`${VAR}` expand from the unit's environment.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOAD_PATH = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];

export type Sections = Record<string, Record<string, string[]>>;

export interface UnitFile {
  /** Full unit name, e.g. `postgresql@15-main.service`. */
  readonly name: string;
  readonly path: string;
  readonly text: string;
  readonly sections: Sections;
}

/** `nginx` → `nginx.service` (systemctl(1): a name without a type suffix means a service). */
export const unitName = (arg: string): string => (/\.[a-z]+$/.test(arg) ? arg : `${arg}.service`);

export function parseSections(text: string): Sections {
  const out: Sections = {};
  let section: Record<string, string[]> | undefined;
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) {
      section = out[head[1]!] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (!section || eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (value === '') section[key] = [];
    else (section[key] ??= []).push(value);
  }
  return out;
}

function specifiers(text: string, name: string): string {
  const at = name.indexOf('@');
  const dot = name.lastIndexOf('.');
  const prefix = at >= 0 ? name.slice(0, at) : name.slice(0, dot);
  const instance = at >= 0 ? name.slice(at + 1, dot) : '';
  const unescape = (s: string) => s.replace(/\\x([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/-/g, '/');
  const map: Record<string, string> = { i: instance, I: unescape(instance), n: name, N: name.slice(0, dot), p: prefix, P: unescape(prefix), '%': '%' };
  return text.replace(/%([a-zA-Z%])/g, (m, c: string) => map[c] ?? m);
}

/** The file systemd would load for `name`, or undefined ("Unit ... not found"). */
export function findUnitPath(name: string, root = ''): string | undefined {
  const at = name.indexOf('@');
  const template = at >= 0 ? `${name.slice(0, at + 1)}${name.slice(name.lastIndexOf('.'))}` : undefined;
  for (const candidate of [name, template]) {
    if (!candidate) continue;
    for (const dir of LOAD_PATH) if (existsSync(join(root, dir, candidate))) return join(dir, candidate);
  }
  return undefined;
}

export function loadUnit(name: string, text: string, path: string): UnitFile {
  return { name, path, text, sections: parseSections(specifiers(text, name)) };
}

export function readUnit(name: string): UnitFile | undefined {
  const path = findUnitPath(name);
  return path ? loadUnit(name, readFileSync(path, 'utf8'), path) : undefined;
}

export const values = (u: UnitFile, section: string, key: string): string[] => u.sections[section]?.[key] ?? [];
export const value = (u: UnitFile, section: string, key: string): string | undefined => values(u, section, key).at(-1);

/** Splits a command line into words (quotes group, backslash escapes), expanding $VAR and ${VAR} from `env`. */
export function splitCommand(line: string, env: Readonly<Record<string, string>>): { argv: string[]; ignoreFailure: boolean } {
  let rest = line.trim();
  let ignoreFailure = false;
  while (/^[-@:+!]/.test(rest)) {
    if (rest[0] === '-') ignoreFailure = true;
    rest = rest.slice(1);
  }
  const argv: string[] = [];
  const re = /"((?:\\.|[^"\\])*)"|'([^']*)'|((?:\\.|[^\s"'\\])+)/g;
  const expand = (s: string) => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? '');
  let m: RegExpExecArray | null;
  while ((m = re.exec(rest)) !== null) {
    if (m[3] !== undefined && /^\$(\w+)$/.test(m[3])) {
      // An unquoted lone $VAR splits into words (systemd.service(5)); ${VAR} stays one word.
      argv.push(...expand(m[3]).split(/\s+/).filter((w) => w !== ''));
    } else argv.push(expand((m[1] ?? m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1')));
  }
  return { argv, ignoreFailure };
}

/** Environment= (quoted "A=b" words) and EnvironmentFile= (a leading `-`: optional) as systemd.exec(5) reads them. */
export function unitEnvironment(u: UnitFile): Record<string, string> {
  const env: Record<string, string> = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' };
  for (const line of values(u, 'Service', 'Environment')) {
    for (const word of splitCommand(line, {}).argv) {
      const eq = word.indexOf('=');
      if (eq > 0) env[word.slice(0, eq)] = word.slice(eq + 1);
    }
  }
  for (const raw of values(u, 'Service', 'EnvironmentFile')) {
    const optional = raw.startsWith('-');
    const file = optional ? raw.slice(1) : raw;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if (optional) continue;
      throw new Error(`Failed to load environment files: ${file}: ${(err as Error).message}`);
    }
    for (const line of text.split('\n')) {
      const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
      if (!m) continue;
      let v = m[2]!.trim();
      if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
      env[m[1]!] = v;
    }
  }
  return env;
}

/** systemd.time(7) for the forms our units use: `120`, `5s`, `2min`, `1h`, `0`/`infinity` (no limit). */
export function seconds(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (text === 'infinity' || text === '0') return Infinity;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|min|m|h)?$/.exec(text);
  if (!m) return fallback;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return unit === 'ms' ? n / 1000 : unit === 'min' || unit === 'm' ? n * 60 : unit === 'h' ? n * 3600 : n;
}
