/**
 * The inventory reference (schema/inventory.schema.json, docs/inventory.md) is generated: it must match what
 * `npm run gen:docs` writes now, and every example inventory must pass the JSON Schema (editor and CLI agree).
 * Ajv: the most used JSON Schema validator on npm, draft-07 as editors read it, strict about unknown keywords.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REFERENCE_FILES, referenceFiles } from '../../../src/workflows/reference/files.js';
import { loadInventory } from '../../../src/inventory/load.js';

const REPO = resolve(import.meta.dirname, '../../..');
const generated = referenceFiles();
const schema = JSON.parse(readFileSync(join(REPO, REFERENCE_FILES.schema), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
const examples = readdirSync(join(REPO, 'inventories')).filter((f) => f.endsWith('.yaml')).map((f) => join('inventories', f));
const goodFixtures = readdirSync(join(REPO, 'test/fixtures/inventories/good')).filter((f) => f.endsWith('.yaml')).map((f) => join('test/fixtures/inventories/good', f));
const read = (f: string) => parse(readFileSync(join(REPO, f), 'utf8')) as Record<string, unknown>;

describe('inventory reference', () => {
  it.each(Object.keys(REFERENCE_FILES) as (keyof typeof REFERENCE_FILES)[])('%s file is what gen:docs writes (run npm run gen:docs)', (name) => {
    expect(readFileSync(join(REPO, REFERENCE_FILES[name]), 'utf8')).toBe(generated[name]);
  });

  it('documents every variable and every variable field', () => {
    const doc = generated.doc;
    for (const v of ['admin_password', 'database.type', 'database.replicated', 'public_hostname.gateway', 'jvm_heap', 'java_home']) expect(doc).toContain(`| \`${v}\` |`);
    expect(doc).toContain('`h2` only in pattern 0');
    expect(doc).toMatch(/\| `tm` \| traffic-manager \(>=4\.5\.0\) \| pattern 3, pattern 4, multi-dc-active-active, multi-dc-active-passive \|/);
  });

  it.each(examples)('%s points editors at the schema and passes it', (f) => {
    expect(readFileSync(join(REPO, f), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/inventory.schema.json');
    expect(validate(read(f)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(goodFixtures)('%s (valid for the CLI) passes the schema', async (f) => {
    await loadInventory(join(REPO, f));
    expect(validate(read(f)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects what the CLI rejects: an unknown key, an unknown variable, a variable in the wrong layer, a bad value', () => {
    const base = read('inventories/pattern-3.yaml');
    const cases: [string, Record<string, unknown>][] = [
      ['unknown top-level key', { ...base, hostz: {} }],
      ['unknown variable', { ...base, vars: { ...(base.vars as object), jvm_heep: '2g' } }],
      ['database in host vars', { ...base, hosts: { ...(base.hosts as object), 'gw-1': { address: '10.0.3.11', vars: { database: { host: 'x' } } } } }],
      ['heap size', { ...base, role_vars: { gateway: { jvm_heap: 'lots' } } }],
      ['unknown role', { ...base, roles: { gatway: ['gw-1'] } }],
      ['unknown pack', { ...base, apim: { ...(base.apim as object), distributions: { 'acp-4': { path: 'x.zip' } } } }],
      ['secret reference outside a password', { ...base, vars: { ...(base.vars as object), install_dir: '${DIR}' } }],
      ['become method other than sudo', { ...base, defaults: { ...(base.defaults as object), become: 'su' } }],
      ['login user that is no Unix name', { ...base, hosts: { ...(base.hosts as object), 'gw-1': { address: '10.0.3.11', user: 'Deploy Admin' } } }],
      ['unknown login key', { ...base, defaults: { ...(base.defaults as object), ssh_port: 2222 } }],
    ];
    for (const [what, inv] of cases) expect(validate(inv), what).toBe(false);
  });

  it('documents every login key at defaults, datacenter and host level', () => {
    for (const key of ['user', 'port', 'ssh_key', 'ssh_key_passphrase', 'known_hosts', 'ssh_config', 'proxy_jump', 'become', 'become_user', 'become_password']) {
      for (const level of ['defaults', 'datacenters.<dc>', 'hosts.<host>']) expect(generated.doc).toContain(`| \`${level}.${key}\` |`);
    }
    expect(generated.doc).toMatch(/\| `hosts\.<host>\.become` \| one of `sudo` or boolean \|/);
  });
});
