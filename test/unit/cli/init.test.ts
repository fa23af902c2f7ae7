/** `init` for every pattern: validate explains each placeholder; filled in, the inventory is valid. */
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { buildDistributions } from '../../../src/lab/dist/build.js';
import { PATTERN_IDS } from '../../../src/model/inventory.js';
import { initInventory } from '../../../src/workflows/init.js';

const dir = mkdtempSync(join(tmpdir(), 'apim-init-'));
const dist = join(dir, 'dist');
const packFile: Record<string, string> = {
  acp: 'wso2am-acp-4.6.0.zip', tm: 'wso2am-tm-4.6.0.zip', 'universal-gw': 'wso2am-universal-gw-4.6.0.zip', 'all-in-one': 'wso2am-4.6.0.zip',
};

beforeAll(async () => {
  await buildDistributions({ version: '4.6.0', outDir: dist });
}, 120_000);

describe.each(PATTERN_IDS)('init --pattern %s', (pattern) => {
  it('names every placeholder, then validates once they are filled in', async () => {
    const out = join(dir, `p-${pattern}.yaml`);
    const written = initInventory({ pattern, out });
    const text = readFileSync(out, 'utf8');
    copyFileSync(written.envExample, out.replace(/\.yaml$/, '.env'));
    const err = await loadInventory(out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const messages = (err as ConfigError).issues.map((i) => i.message);
    const hosts = [...text.matchAll(/^ {2}([a-z0-9-]+): \{ address: "<CHANGE-ME>" \}$/gm)].map((m) => m[1]!);
    expect(hosts.length).toBeGreaterThan(0);
    for (const h of hosts) expect(messages).toContain(`fill in the address of host ${h}`);
    expect(messages).toContain('fill in the path of the JDK tarball');
    expect(messages).toContain('fill in ADMIN_PASSWORD in the dotenv file (it is still <CHANGE-ME>)');
    expect(messages.every((m) => m.startsWith('fill in ')), messages.join('\n')).toBe(true);

    let n = 10;
    const filled = text
      .replace(/^( {4})([a-z-]+): \{ path: "<CHANGE-ME>" \}$/gm, (_, indent: string, pack: string) => `${indent}${pack}: { path: "${join(dist, packFile[pack]!)}" }`)
      .replace(/jdk: \{ path: "<CHANGE-ME>" \}/, `jdk: { path: "${join(dist, 'jdk-17.tar.gz')}" }`)
      .replace(/jdbc_driver: \{ path: "<CHANGE-ME>" \}/, `jdbc_driver: { path: "${join(dist, 'jdbc-postgresql-sim.jar')}" }`)
      .replace(/address: "<CHANGE-ME>"/g, () => `address: 10.0.0.${n++}`);
    writeFileSync(out, filled);
    writeFileSync(out.replace(/\.yaml$/, '.env'), readFileSync(written.envExample, 'utf8').replace(/<CHANGE-ME>/g, 'S3cret-value'));
    const inv = await loadInventory(out);
    expect(inv.pattern).toBe(pattern);
    expect(inv.hosts.map((h) => h.name).sort()).toEqual([...hosts].sort());
  });
});

describe('init refuses', () => {
  it('to overwrite a file', () => {
    const out = join(dir, 'twice.yaml');
    initInventory({ pattern: '0', out });
    expect(() => initInventory({ pattern: '0', out })).toThrow(/exists: init never overwrites/);
  });
  it('an unknown pattern, with a suggestion', () => {
    expect(() => initInventory({ pattern: 'multi-dc-active-activ', out: join(dir, 'x.yaml') })).toThrow(/did you mean 'multi-dc-active-active'/);
  });
  it('fewer datacenters than the pattern needs', () => {
    expect(() => initInventory({ pattern: 'multi-dc-active-passive', datacenters: 1, out: join(dir, 'y.yaml') })).toThrow(/at least 2/);
  });
  it('writes three datacenters when asked', () => {
    const out = join(dir, 'three.yaml');
    initInventory({ pattern: 'multi-dc-active-active', datacenters: 3, out });
    expect(readFileSync(out, 'utf8')).toMatch(/^ {2}dc3:$/m);
  });
});
