/**
 * java.util.Properties.load, as the andes JNDI factory reads a provider file: `key = value`, `key: value` or
 * `key value`; `#` and `!` comments; a backslash escapes the next character (`\:`, `\=`, `\ `, `\t`, `\n`, `\uXXXX`)
 * and a trailing one continues the line (JDK java.util.Properties#load javadoc).
 */
export function readJavaProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i]!.replace(/^[ \t\f]+/, '');
    let key = '';
    let j = 0;
    for (; j < line.length; j++) {
      const c = line[j]!;
      if (c === '\\') { key += line.slice(j, j + 2); j++; continue; }
      if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
      key += c;
    }
    let rest = line.slice(j).replace(/^[ \t\f]*/, '');
    if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]*/, '');
    out.set(unescape(key), unescape(rest));
  }
  return out;
}

const NAMED: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => (e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : (NAMED[e] ?? e)));
}
