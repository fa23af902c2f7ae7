import { isSecret, type Secret } from '../model/secret.js';
import { describe } from '../yaml/shape-check.js';
import { quoted } from '../yaml/shown.js';
import type { DocPath, YamlSource } from '../yaml/source.js';
import type { ScalarKind, VarSpec, VarValue } from './variables.js';

/**
 * Bring-your-own certificates (issue 12): `keystores` (the 4.x split into [keystore.primary], [keystore.tls] and
 * [keystore.internal]), `truststore` (extra CA certificates every node trusts) and `load_balancer_tls` (the
 * balancer's own certificate and key). Each is set at vars, role_vars, datacenter or host level like any variable;
 * files are on the controller, relative to the inventory. The files themselves are opened by tls-files.ts.
 */

/** Checks one scalar the usual way (check-vars.ts), so passwords become Secrets and `${NAME}` resolves from the dotenv. */
export type ScalarCheck = (kind: ScalarKind, value: unknown, path: DocPath) => VarValue | undefined;
export type CustomCheck = (value: unknown, path: DocPath, src: YamlSource, scalar: ScalarCheck) => VarValue | undefined;

export const KEYSTORE_TYPES = ['JKS', 'PKCS12'] as const;
const TYPE: ScalarKind = { kind: 'enum', values: KEYSTORE_TYPES };
const PASSWORD: ScalarKind = { kind: 'password' };
const FILE: ScalarKind = {
  kind: 'text',
  rule: { test: (v) => v.length > 0 && v.length <= 4096 && !v.includes('\0'), expected: 'a file path on the controller, relative to the inventory', pattern: '^[^\\u0000]+$' },
};
const ALIAS: ScalarKind = { kind: 'text', rule: { test: (v) => /^[^\s"\\]{1,128}$/.test(v), expected: 'a keystore alias (no spaces, quotes or backslashes)', pattern: '^[^\\s"\\\\]{1,128}$' } };
const REFERENCE = /^\$\{\w+\}$/;

function mapping(value: unknown, path: DocPath, src: YamlSource, keys: readonly string[]): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return void src.add(path, `expected a mapping (key: value), got ${describe(value)}`);
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) src.add([...path, key], `unknown key ${quoted(key)}; allowed here: ${keys.join(', ')}`, 'key');
  }
  return value as Record<string, unknown>;
}

/** A keystore password is a `${NAME}` from the dotenv file: never written in clear in the inventory. */
function password(value: unknown, path: DocPath, src: YamlSource, scalar: ScalarCheck): Secret | undefined {
  if (typeof value === 'string' && !REFERENCE.test(value.trim())) {
    return void src.add(path, 'write a ${NAME} reference to the dotenv file: keystore passwords are never kept in the inventory');
  }
  const out = scalar(PASSWORD, value, path);
  return isSecret(out) ? out : undefined;
}

const KEYSTORE_KEYS = ['file', 'type', 'alias', 'password', 'key_password'];

/** One keystore: `{ file, type, alias, password, key_password }`; type from the file's extension when unset, key_password = password. */
const checkKeystore: CustomCheck = (value, path, src, scalar) => {
  const m = mapping(value, path, src, KEYSTORE_KEYS);
  if (!m) return undefined;
  for (const key of ['file', 'alias', 'password']) if (m[key] === undefined) src.add(path, `${key} is missing (a keystore needs ${KEYSTORE_KEYS.slice(0, 4).join(', ')})`);
  const file = m['file'] === undefined ? undefined : scalar(FILE, m['file'], [...path, 'file']);
  const alias = m['alias'] === undefined ? undefined : scalar(ALIAS, m['alias'], [...path, 'alias']);
  const type = m['type'] === undefined ? (/\.(p12|pfx)$/i.test(String(m['file'])) ? 'PKCS12' : 'JKS') : scalar(TYPE, m['type'], [...path, 'type']);
  const pass = m['password'] === undefined ? undefined : password(m['password'], [...path, 'password'], src, scalar);
  const keyPass = m['key_password'] === undefined ? pass : password(m['key_password'], [...path, 'key_password'], src, scalar);
  if (file === undefined || alias === undefined || type === undefined || pass === undefined || keyPass === undefined) return undefined;
  return { file, type, alias, password: pass, key_password: keyPass };
};

/** `truststore: [corp-ca.pem, ...]`: PEM files of CA certificates every node adds to its client-truststore.jks. */
const checkTruststore: CustomCheck = (value, path, src, scalar) => {
  if (!Array.isArray(value)) return void src.add(path, `expected a list of PEM files, got ${describe(value)}`);
  const files = value.map((v, i) => scalar(FILE, v, [...path, i]));
  return files.every((f) => typeof f === 'string') ? (files as string[]) : undefined;
};

/** `load_balancer_tls: { certificate, key }`: PEM files replacing the certificate the internal CA issues the balancer. */
const checkBalancerTls: CustomCheck = (value, path, src, scalar) => {
  const m = mapping(value, path, src, ['certificate', 'key']);
  if (!m) return undefined;
  for (const key of ['certificate', 'key']) if (m[key] === undefined) src.add(path, `${key} is missing (the balancer needs both, PEM files)`);
  const certificate = m['certificate'] === undefined ? undefined : scalar(FILE, m['certificate'], [...path, 'certificate']);
  const key = m['key'] === undefined ? undefined : scalar(FILE, m['key'], [...path, 'key']);
  return typeof certificate === 'string' && typeof key === 'string' ? { certificate, key } : undefined;
};

const custom = (check: CustomCheck, text: string, schema: Readonly<Record<string, unknown>>): ScalarKind => ({ kind: 'custom', check, text, schema });
const PATH_SCHEMA = { type: 'string', minLength: 1 };
const REF_SCHEMA = { type: 'string', pattern: '^\\$\\{\\w+\\}$' };
const KEYSTORE = custom(checkKeystore, 'keystore: `{ file, type: JKS|PKCS12, alias, password: ${NAME}, key_password: ${NAME} }`', {
  type: 'object', additionalProperties: false, required: ['file', 'alias', 'password'],
  properties: { file: PATH_SCHEMA, type: { type: 'string', enum: [...KEYSTORE_TYPES] }, alias: { type: 'string' }, password: REF_SCHEMA, key_password: REF_SCHEMA },
});

/** The three variables, for the VARIABLES table (src/inventory/variables.ts). Unset: the pack's keystores and the internal CA. */
export const TLS_VARIABLES = {
  keystores: {
    scope: 'node',
    kind: { kind: 'object', fields: { primary: { kind: KEYSTORE, default: null }, tls: { kind: KEYSTORE, default: null }, internal: { kind: KEYSTORE, default: null } } },
  },
  truststore: { scope: 'node', kind: custom(checkTruststore, 'list of PEM files (CA certificates)', { type: 'array', items: PATH_SCHEMA }), default: [] },
  load_balancer_tls: {
    scope: 'node',
    kind: custom(checkBalancerTls, '`{ certificate, key }`: PEM files', { type: 'object', additionalProperties: false, required: ['certificate', 'key'], properties: { certificate: PATH_SCHEMA, key: PATH_SCHEMA } }),
    default: null,
  },
} as const satisfies Record<string, VarSpec>;
