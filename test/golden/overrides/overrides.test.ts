import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/inventory/load.js';
import { renderInventory } from '../../../src/render/render-inventory.js';

/**
 * Golden render of test/fixtures/inventories/overrides: deployment_toml at vars, role_vars and host level (a table
 * merged key by key, an appended [[apim.gateway.environment]] and [[event_listener]] with its sub-table, a forced
 * owned key, a secret) and jvm_options from three layers. `UPDATE_GOLDEN=1` rewrites them (review `git diff`).
 */
const ROOT = import.meta.dirname;
const FIXTURE = resolve(ROOT, '../../fixtures/inventories/overrides');
const FILES = ['repository/conf/deployment.toml', 'wso2.env'];

describe('golden render of deployment_toml and jvm_options overrides', () => {
  it('matches the reviewed files', async () => {
    const inv = await loadInventory(join(FIXTURE, 'overrides.yaml'), { envFile: join(FIXTURE, 'overrides.env'), requireArtifacts: false });
    const [node] = renderInventory(inv);
    for (const name of FILES) {
      const f = node!.files.find((x) => x.path.endsWith(`/${name}`))!;
      const text = `# mode ${f.mode} owner ${f.owner}:${f.group} secret=${f.secret}\n${f.content}`;
      const golden = join(ROOT, 'apim-dev', name);
      if (process.env.UPDATE_GOLDEN === '1') {
        rmSync(golden, { force: true });
        mkdirSync(dirname(golden), { recursive: true });
        writeFileSync(golden, text);
      }
      expect(existsSync(golden), `${golden} (UPDATE_GOLDEN=1 to write)`).toBe(true);
      expect(text, `${name} (UPDATE_GOLDEN=1 to accept)`).toBe(readFileSync(golden, 'utf8'));
    }
  });
});
