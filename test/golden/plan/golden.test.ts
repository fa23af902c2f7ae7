import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact } from '../../../src/model/secret.js';
import { buildPlan } from '../../../src/planner/build-plan.js';
import { unifiedDiff } from '../../../src/ui/unified-diff.js';
import { exampleInputs } from '../../unit/planner/fixtures.js';
import { EXAMPLES, REPO } from '../../unit/render/examples.js';
import { canonicalJson, pathLines } from './canonical.js';

/**
 * Golden plans: for every example inventory, the plan the planner computes against fresh hosts (nothing installed,
 * nothing running), as test/golden/plan/<case>/expected-plan.json. Pure: the example's `.env.example` secrets, stub
 * artifacts and pack files with fixed hashes (test/unit/planner/fixtures.ts), no SSH, nothing read outside the repo.
 * Keys are sorted (canonical.ts); a mismatch prints a diff of one line per value, named by step id.
 * `UPDATE_GOLDEN=1 npx vitest run test/golden/plan` rewrites the files (then review `git diff`).
 */
const ROOT = import.meta.dirname;
const UPDATE = process.env.UPDATE_GOLDEN === '1';
/** Lines of diff shown on a mismatch; the rest is summarised (the whole plan is in the file). */
const DIFF_LINES = 400;

/** The mismatch as a unified diff of `path = value` lines, cut after DIFF_LINES lines. */
function shortDiff(expected: string, actual: string, path: string): string {
  const asLines = (json: string) => `${pathLines(JSON.parse(json)).join('\n')}\n`;
  const lines = unifiedDiff(asLines(expected), asLines(actual), path).split('\n');
  return lines.length <= DIFF_LINES ? lines.join('\n') : [...lines.slice(0, DIFF_LINES), `... ${lines.length - DIFF_LINES} more diff lines`].join('\n');
}

describe.each(EXAMPLES)('golden plan of %s on fresh hosts', (name) => {
  it('matches the reviewed plan, with no secret in clear', async () => {
    const inputs = await exampleInputs(name, { packDefaults: true });
    // The inventory's absolute path is the machine's: keep the repo-relative one.
    const plan = { ...buildPlan(inputs), inventory: relative(REPO, inputs.inventory.file) };
    const text = canonicalJson(plan);
    const leaked = inputs.inventory.secrets.filter((s) => redact(text, [s]) !== text).map((s) => s.origin);
    expect(leaked, `secret values in clear in the plan of ${name}`).toEqual([]);
    expect(text).not.toContain(REPO);

    const file = join(ROOT, name, 'expected-plan.json');
    if (UPDATE) {
      mkdirSync(join(ROOT, name), { recursive: true });
      writeFileSync(file, text);
    }
    expect(existsSync(file), `${relative(REPO, file)} is missing (UPDATE_GOLDEN=1 to write it)`).toBe(true);
    const expected = readFileSync(file, 'utf8');
    if (text !== expected) {
      expect.fail(`plan of ${name} differs from ${relative(REPO, file)} (UPDATE_GOLDEN=1 to accept, then review git diff):\n${shortDiff(expected, text, `/${relative(REPO, file)}`)}`);
    }
    expect(text).toBe(expected);
  });
});
