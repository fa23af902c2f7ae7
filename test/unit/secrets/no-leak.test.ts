import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatIssue } from '../../../src/errors.js';
import { reportError } from '../../../src/cli/report-error.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { cliTimeout } from '../cli/run-cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const FIX = join(ROOT, 'test/fixtures/inventories');

/** Every secret value in every fixture dotenv file (the defaults like wso2carbon are not secret to anyone). */
function secretValues(): string[] {
  const values: string[] = [];
  for (const dir of ['good', 'bad', 'secrets']) {
    for (const f of readdirSync(join(FIX, dir)).filter((n) => n.endsWith('.env'))) {
      values.push(...Object.values(parse(readFileSync(join(FIX, dir, f)))));
    }
  }
  return values.filter((v) => v.length >= 6);
}

function expectNoSecret(text: string): void {
  for (const v of secretValues()) expect(text, `output contains the secret value ${JSON.stringify(v)}`).not.toContain(v);
}

describe('secrets never appear in output', () => {
  it('the scan has secrets to look for', () => expect(secretValues().length).toBeGreaterThan(10));

  it('not in messages about invalid values that came from the dotenv file', async () => {
    const err = await loadInventory(join(FIX, 'secrets/leaky.yaml')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const issues = (err as ConfigError).issues;
    expect(issues.map((i) => i.path).sort()).toEqual(['vars.database.user', 'vars.install_dir', 'vars.jvm_heap', 'vars.service_manager']);
    // Only passwords may come from the dotenv file: anything else reaches argv, paths and plans.
    expect(issues.find((i) => i.path === 'vars.jvm_heap')!.message).toBe('secret references (${NAME}) are for passwords: write this value itself');
    let printed = '';
    reportError(err, (s) => (printed += s));
    expectNoSecret(printed + issues.map(formatIssue).join('\n'));
  });

  it('not in a loaded inventory serialized or inspected', async () => {
    for (const f of readdirSync(join(FIX, 'good')).filter((n) => n.endsWith('.yaml'))) {
      const inv = await loadInventory(join(FIX, 'good', f));
      expectNoSecret(JSON.stringify(inv));
      expectNoSecret((await import('node:util')).inspect(inv, { depth: 20 }));
    }
  });

  it('not in validate output, valid or not', () => {
    const runs = [
      ['validate', '-i', 'test/fixtures/inventories/good/pattern-3.yaml'],
      ['validate', '-i', 'test/fixtures/inventories/secrets/leaky.yaml'],
      ['validate', '-i', 'test/fixtures/inventories/bad/missing-secret.yaml', '--env-file', 'test/fixtures/inventories/bad/common.env'],
    ];
    for (const args of runs) {
      const r = spawnSync(join(ROOT, 'bin/apim-deploy'), args, { cwd: ROOT, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(args[2]!.includes('good') ? 0 : 3);
      expectNoSecret(r.stdout + r.stderr);
    }
  }, cliTimeout(3));
});
