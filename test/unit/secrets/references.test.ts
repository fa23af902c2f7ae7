import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultEnvFile, readDotenv, type DotenvFile } from '../../../src/secrets/dotenv.js';
import { substituteSecrets } from '../../../src/secrets/references.js';
import { isSecret } from '../../../src/model/secret.js';

const env: DotenvFile = { display: 'lab.env', values: new Map([['A', 'alpha'], ['B', 'q"\\$x']]), warnings: [], issues: [] };

describe('substituteSecrets', () => {
  it('leaves text without references plain', () => {
    expect(substituteSecrets('plain', env)).toEqual({ value: 'plain', problems: [] });
  });

  it('wraps a referenced value in a Secret with its origin', () => {
    const { value, problems } = substituteSecrets('${B}', env);
    expect(problems).toEqual([]);
    expect(isSecret(value) && value.reveal()).toBe('q"\\$x');
    expect(isSecret(value) && value.origin).toBe('B in lab.env');
    expect(String(value)).toBe('***');
  });

  it('substitutes inside a longer string and keeps $${ literal', () => {
    const { value } = substituteSecrets('user=${A};lit=$${A}', env);
    expect(isSecret(value) && value.reveal()).toBe('user=alpha;lit=${A}');
    expect(substituteSecrets('cost $${X}', env).value).toBe('cost ${X}');
  });

  it('names a missing variable and the file', () => {
    expect(substituteSecrets('${NOPE}', env).problems).toEqual(['secret NOPE is not defined in lab.env: add a line NOPE=... to that file']);
  });

  it('reports a missing dotenv file once, naming every reference', () => {
    const missing: DotenvFile = { display: 'prod.env', values: undefined, warnings: [], issues: [] };
    const { problems } = substituteSecrets('${A}:${B}', missing);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('references A, B but the dotenv file prod.env does not exist');
  });

  it('rejects malformed references', () => {
    expect(substituteSecrets('${1BAD}', env).problems[0]).toContain("'${1BAD}' is not a valid secret reference");
    expect(substituteSecrets('x ${OPEN', env).problems[0]).toContain('unterminated secret reference');
  });
});

describe('readDotenv', () => {
  it('parses without touching process.env', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apim-env-'));
    const file = join(dir, 'x.env');
    writeFileSync(file, 'APIM_TEST_ONLY_SECRET="a b#c"\n# comment\nOTHER=1\n');
    const parsed = readDotenv(file, 'x.env');
    expect(parsed.values?.get('APIM_TEST_ONLY_SECRET')).toBe('a b#c');
    expect(process.env['APIM_TEST_ONLY_SECRET']).toBeUndefined();
    expect(readDotenv(join(dir, 'absent.env')).values).toBeUndefined();
  });

  it('defaults to the inventory name with .env', () => {
    expect(defaultEnvFile('/x/inventories/lab.yaml')).toBe('/x/inventories/lab.env');
    expect(defaultEnvFile('/x/lab.yml')).toBe('/x/lab.env');
  });
});
