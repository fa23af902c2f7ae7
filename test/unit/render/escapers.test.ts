import { execFileSync } from 'node:child_process';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/model/secret.js';
import { ESCAPERS, SqlIdent, UnsafeValueError, type EscapeState } from '../../../src/render/escapers.js';

const fresh = (): EscapeState => ({ secretWritten: false });
const TRICKY = [
  'plain',
  'with "double" quotes',
  'back\\slash \\n not a newline',
  'new\nline and \r\n crlf',
  'tab\there',
  'dollar $HOME ${not.a.ref} $$ and $',
  'unicode: é ü 日本 🚀',
  "single ' quote",
  'control \u0001 \u001f \u007f chars',
  '[brackets] {braces} # hash = equals',
  '',
];

describe('toml escaper', () => {
  it.each(TRICKY)('round-trips %j through smol-toml to the same value', (value) => {
    const line = `key = ${ESCAPERS.toml(value, fresh())}\n`;
    expect(parseToml(line).key).toBe(value);
  });

  it('writes lists as TOML arrays of escaped strings, numbers and booleans as themselves', () => {
    const doc = parseToml(`a = ${ESCAPERS.toml(['x"y', 'z\\'], fresh())}\nb = ${ESCAPERS.toml(42, fresh())}\nc = ${ESCAPERS.toml(true, fresh())}`);
    expect(doc).toEqual({ a: ['x"y', 'z\\'], b: 42, c: true });
  });

  it('reveals a secret only into the output and records that it did', () => {
    const state = fresh();
    const out = ESCAPERS.toml(new Secret('p@ss"word\n', 'test'), state);
    expect(parseToml(`k = ${out}`).k).toBe('p@ss"word\n');
    expect(state.secretWritten).toBe(true);
  });

  it('refuses a secret that WSO2 would resolve as a reference, without printing it', () => {
    for (const v of ['a${b}', 'x$env{Y}', '$ref{super_admin.password}', '$secret{alias}']) {
      const run = () => ESCAPERS.toml(new Secret(v, 'test'), fresh());
      expect(run).toThrow(UnsafeValueError);
      try {
        run();
      } catch (e) {
        expect((e as Error).message).not.toContain(v);
      }
    }
  });

  it('refuses undefined, null and objects (strict: a missing value is an error, not "undefined")', () => {
    for (const v of [undefined, null, { a: 1 }]) expect(() => ESCAPERS.toml(v, fresh())).toThrow(UnsafeValueError);
  });
});

describe('shell escaper', () => {
  it.each(TRICKY.filter((v) => !v.includes('\u0001')))('round-trips %j through sh', (value) => {
    const out = execFileSync('sh', ['-c', `printf %s ${ESCAPERS.shell(value, fresh())}`], { encoding: 'utf8' });
    expect(out).toBe(value);
  });
});

describe('token escapers (nginx, conf)', () => {
  it('passes plain tokens and refuses anything that could break the file', () => {
    expect(ESCAPERS.nginx('10.0.0.1:8243', fresh())).toBe('10.0.0.1:8243');
    expect(ESCAPERS.conf('/opt/wso2/gateway/current/bin/gateway.sh', fresh())).toBe('/opt/wso2/gateway/current/bin/gateway.sh');
    for (const bad of ['a b', 'x;', 'y{', '}', '"q"', "'", '$var', '#c', 'new\nline', '']) {
      expect(() => ESCAPERS.nginx(bad, fresh())).toThrow(UnsafeValueError);
    }
    expect(() => ESCAPERS.nginx(new Secret('s', 't'), fresh())).toThrow(UnsafeValueError);
  });
});

describe('xml and properties escapers', () => {
  it('escapes XML specials', () => {
    expect(ESCAPERS.xml(`<a href="x">'&'</a>`, fresh())).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
    expect(() => ESCAPERS.xml('bell\u0007', fresh())).toThrow(UnsafeValueError);
  });
  it('escapes java.util.Properties specials', () => {
    expect(ESCAPERS.properties('a=b: c#!\\\né', fresh())).toBe('a\\=b\\:\\ c\\#\\!\\\\\\n\\u00e9');
  });
});

describe('SQL escapers', () => {
  it('quotes PostgreSQL literals and identifiers', () => {
    expect(ESCAPERS.sql("it's", fresh())).toBe("'it''s'");
    expect(ESCAPERS.sql(new SqlIdent('we"ird'), fresh())).toBe('"we""ird"');
    expect(() => ESCAPERS.sql('nul\0', fresh())).toThrow(UnsafeValueError);
  });
  it('quotes MySQL literals (backslash escapes) and identifiers', () => {
    expect(ESCAPERS.mysql("a'b\\c\n", fresh())).toBe("'a\\'b\\\\c\\n'");
    expect(ESCAPERS.mysql(new SqlIdent('we`ird'), fresh())).toBe('`we``ird`');
  });
});
