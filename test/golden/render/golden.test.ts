import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, renderExample } from '../../unit/render/examples.js';

/**
 * Golden files: every rendered file of every example inventory under test/golden/render/<case>/<host>/<path>,
 * reviewed against the reference. A mismatch shows a diff; `UPDATE_GOLDEN=1 npx vitest run test/golden/render`
 * rewrites them (then review `git diff`). The example secrets are the committed `.env.example` values.
 */
const ROOT = import.meta.dirname;
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? listFiles(join(dir, f)) : [join(dir, f)]));
}

describe.each(EXAMPLES)('golden render of %s', (name) => {
  it('matches the reviewed files', async () => {
    const caseDir = join(ROOT, name);
    const rendered = new Map<string, string>();
    for (const node of await renderExample(name)) {
      for (const f of node.files) rendered.set(join(node.host, f.path), `# mode ${f.mode} owner ${f.owner}:${f.group} secret=${f.secret}\n${f.content}`);
    }
    if (UPDATE) {
      rmSync(caseDir, { recursive: true, force: true });
      for (const [path, text] of rendered) {
        mkdirSync(dirname(join(caseDir, path)), { recursive: true });
        writeFileSync(join(caseDir, path), text);
      }
    }
    const expectedFiles = listFiles(caseDir).map((f) => relative(caseDir, f)).sort();
    expect([...rendered.keys()].sort(), `files of ${name} (UPDATE_GOLDEN=1 to accept)`).toEqual(expectedFiles);
    for (const [path, text] of rendered) {
      expect(text, `${name}/${path} (UPDATE_GOLDEN=1 to accept)`).toBe(readFileSync(join(caseDir, path), 'utf8'));
    }
  });
});
