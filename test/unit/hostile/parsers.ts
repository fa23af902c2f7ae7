/**
 * Readers that parse rendered files back the way their consumers do, to check a value survives: POSIX sh words
 * (as sh reads the single-quoted words quote.ts writes), PostgreSQL and MySQL literals and identifiers, nginx
 * directives and whitespace-separated config. Strict: anything a consumer would read differently throws.
 */

/** sh words of a command line; unquoted metacharacters (which sh would interpret) throw. */
export function shWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; ) {
    const ch = line[i]!;
    if (ch === ' ' || ch === '\t') {
      if (word !== null) words.push(word);
      word = null;
      i++;
    } else if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error('unterminated single quote');
      word = (word ?? '') + line.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[i + 1]!;
      i += 2;
    } else if (/[A-Za-z0-9_@%+:,./=-]/.test(ch)) {
      word = (word ?? '') + ch;
      i++;
    } else {
      throw new Error(`unquoted ${JSON.stringify(ch)} at ${i}: sh would interpret it`);
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/** The values of `NAME=word` lines (comments and blank lines skipped), as sh assigns them. */
export function shAssignments(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(l);
    if (!m) throw new Error(`not an assignment: ${JSON.stringify(l.slice(0, 80))}`);
    const words = shWords(m[2]!);
    if (words.length > 1) throw new Error('assignment splits into several words');
    return words[0] ?? '';
  });
}

/**
 * The quoted runs of SQL text: each `quote` character opens a run that a doubled quote continues; with
 * `backslash`, `\x` inside a run is an escape (MySQL strings). `--` comments are skipped; NUL outside a run throws.
 */
function quotedRuns(sql: string, quotes: Readonly<Record<string, boolean>>): string[] {
  const escapes: Record<string, string> = { '0': '\0', n: '\n', r: '\r', Z: '\x1a', t: '\t', b: '\b' };
  const out: string[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === '-' && sql[i + 1] === '-') {
      i = sql.indexOf('\n', i) < 0 ? sql.length : sql.indexOf('\n', i);
      continue;
    }
    if (!(ch in quotes)) {
      if (ch === '\0') throw new Error('NUL outside a literal');
      i++;
      continue;
    }
    let v = '';
    let j = i + 1;
    for (;;) {
      if (j >= sql.length) throw new Error('unterminated SQL quote');
      if (quotes[ch] && sql[j] === '\\') {
        v += escapes[sql[j + 1]!] ?? sql[j + 1]!;
        j += 2;
      } else if (sql[j] === ch && sql[j + 1] === ch) {
        v += ch;
        j += 2;
      } else if (sql[j] === ch) break;
      else v += sql[j++]!;
    }
    out.push(v);
    i = j + 1;
  }
  return out;
}

/** String literals and "identifiers" of PostgreSQL SQL (standard_conforming_strings on: no backslash escapes). */
export const pgValues = (sql: string): string[] => quotedRuns(sql, { "'": false, '"': false });

/** String literals (backslash escapes) and `identifiers` of MySQL SQL. */
export const mysqlValues = (sql: string): string[] => quotedRuns(sql, { "'": true, '`': false });

/** nginx directives' words: braces balanced, every directive ends in `;`, no quotes or variables from values. */
export function nginxWords(conf: string): string[] {
  const words: string[] = [];
  let depth = 0;
  for (const raw of conf.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    if (line === '}') {
      depth--;
      if (depth < 0) throw new Error('unbalanced }');
      continue;
    }
    if (line.endsWith('{')) {
      depth++;
      words.push(...line.slice(0, -1).trim().split(/\s+/));
      continue;
    }
    if (!line.endsWith(';')) throw new Error(`directive without ; ${JSON.stringify(line.slice(0, 80))}`);
    words.push(...line.slice(0, -1).trim().split(/\s+/));
  }
  if (depth !== 0) throw new Error('unbalanced {');
  return words;
}

/** Whitespace-separated words of a line-based config (pg_hba.conf, postgresql.conf, a systemd unit). */
export function confWords(text: string): string[] {
  return text.split('\n').filter((l) => !/^\s*#/.test(l)).flatMap((l) => l.trim().split(/\s+/).filter(Boolean));
}
