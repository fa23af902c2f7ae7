import type { FileFormat } from '../model/role.js';
import { isSecret, type Secret } from '../model/secret.js';

/** Set while one file renders: records that a secret was written into it. */
export interface EscapeState {
  secretWritten: boolean;
  /** Secure vault on (deployment.toml only): secrets become `$secret{..}` references instead (src/render/vault.ts). */
  vault?: VaultSink;
}

/** Takes a secret and gives the TOML string value that stands for it. */
export interface VaultSink {
  reference(secret: Secret): string;
}

/** A SQL identifier (database or user name): quoted as an identifier, not as a string literal. */
export class SqlIdent {
  constructor(readonly name: string) {}
}

/**
 * A TOML value that Carbon's config mapper copies verbatim into an XML file (master-datasources.xml.j2 writes the
 * datasource url, username, password and driver as element text, findings i10 §5): XML-escaped, then TOML-escaped.
 */
export class XmlInToml {
  constructor(readonly value: unknown) {}
}

/** A bare dotted TOML key or table name from role data (`apim.cors`), written unquoted. */
export class TomlKey {
  constructor(readonly name: string) {}
}
const BARE_KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** Thrown for a value the file format cannot hold safely; the renderer adds template:line. */
export class UnsafeValueError extends Error {}

type Escaper = (value: unknown, state: EscapeState) => string;

/** Reveal a Secret (recording it), pass strings, stringify numbers and booleans; refuse anything else. */
function scalar(value: unknown, state: EscapeState, format: string): string {
  if (isSecret(value)) {
    state.secretWritten = true;
    return value.reveal();
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  throw new UnsafeValueError(`cannot write ${describe(value)} into a ${format} file`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Carbon resolves these inside deployment.toml values: a secret holding one would be silently rewritten. */
const CARBON_REFERENCE = /\$(env|ref|secret|sys)?\{/;

/** A TOML value: strings become basic strings with every special character escaped; lists become arrays. */
export function tomlValue(value: unknown, state: EscapeState): string {
  if (Array.isArray(value)) return `[${value.map((v) => tomlValue(v, state)).join(', ')}]`;
  if (value instanceof TomlKey) {
    if (!BARE_KEY.test(value.name)) throw new UnsafeValueError(`${JSON.stringify(value.name)} is not a bare TOML key`);
    return value.name;
  }
  if (state.vault && (isSecret(value) || (value instanceof XmlInToml && isSecret(value.value)))) {
    // Carbon's secret resolver hands the decrypted value to the runtime itself: no XML escaping applies to it.
    return `"${state.vault.reference((value instanceof XmlInToml ? value.value : value) as Secret)}"`;
  }
  if (value instanceof XmlInToml) {
    const secret = isSecret(value.value);
    const text = scalar(value.value, state, 'TOML');
    if (secret && CARBON_REFERENCE.test(text)) throw new UnsafeValueError(REFERENCE_IN_SECRET);
    return `"${tomlEscape(xmlEscape(text))}"`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return scalar(value, state, 'TOML');
  const secret = isSecret(value);
  const text = scalar(value, state, 'TOML');
  if (secret && CARBON_REFERENCE.test(text)) throw new UnsafeValueError(REFERENCE_IN_SECRET);
  return `"${tomlEscape(text)}"`;
}

const REFERENCE_IN_SECRET = 'a secret contains "${", "$env{", "$ref{" or "$secret{", which WSO2 would resolve as a reference; choose another value';

function tomlEscape(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0').toUpperCase()}`;
    else out += ch;
  }
  return out;
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
function xmlEscape(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) throw new UnsafeValueError('XML cannot hold control characters');
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c] as string);
}

function xml(value: unknown, state: EscapeState): string {
  return xmlEscape(scalar(value, state, 'XML'));
}

/** java.util.Properties escaping (keys and values alike); non-ASCII as \uXXXX UTF-16 units. */
function properties(value: unknown, state: EscapeState): string {
  const text = scalar(value, state, 'properties');
  const named: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\f': '\\f' };
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const unit = text.charCodeAt(i);
    if (named[ch]) out += named[ch];
    else if ('=:#! '.includes(ch)) out += `\\${ch}`;
    else if (unit < 0x20 || unit > 0x7e) out += `\\u${unit.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** nginx, pg_hba.conf, systemd: values must be single plain tokens; anything else is refused, not quoted. */
const TOKEN = /^[A-Za-z0-9._:/[\]@%+=,~*-]+$/;
function token(format: string): Escaper {
  return (value, state) => {
    if (isSecret(value)) throw new UnsafeValueError(`a secret cannot go into a ${format} file`);
    const text = scalar(value, state, format);
    if (!TOKEN.test(text)) {
      throw new UnsafeValueError(`${JSON.stringify(text)} is not a plain token (letters, digits, . _ : / - ...) for a ${format} file`);
    }
    return text;
  };
}

/** POSIX sh single quoting. */
function shell(value: unknown, state: EscapeState): string {
  const text = scalar(value, state, 'shell');
  if (text.includes('\0')) throw new UnsafeValueError('a shell value cannot contain NUL');
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** PostgreSQL (standard_conforming_strings on): 'literal' with '' doubling; "identifier" with "" doubling. */
function postgres(value: unknown, state: EscapeState): string {
  if (value instanceof SqlIdent) return `"${value.name.replace(/"/g, '""')}"`;
  const text = scalar(value, state, 'SQL');
  if (text.includes('\0')) throw new UnsafeValueError('SQL values cannot contain NUL');
  return typeof value === 'number' ? text : `'${text.replace(/'/g, "''")}'`;
}

/** MySQL/MariaDB: backslash escapes inside 'literals'; `identifiers` with `` doubling. */
function mysql(value: unknown, state: EscapeState): string {
  if (value instanceof SqlIdent) return `\`${value.name.replace(/`/g, '``')}\``;
  const text = scalar(value, state, 'SQL');
  if (typeof value === 'number') return text;
  const map: Record<string, string> = { '\0': '\\0', "'": "\\'", '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\x1a': '\\Z' };
  return `'${text.replace(/[\0'"\\\n\r\x1a]/g, (c) => map[c] as string)}'`;
}

export const ESCAPERS: Readonly<Record<FileFormat, Escaper>> = {
  toml: tomlValue,
  xml,
  properties,
  nginx: token('nginx'),
  conf: token('config'),
  text: (value, state) => scalar(value, state, 'text'),
  shell,
  sql: postgres,
  mysql,
};
