import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatIssue, type ConfigIssue } from '../../../src/errors.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { caseText, HOSTILE_CASES, lineOf } from '../../fixtures/hostile-cases.js';
import { writeInventory } from '../../fixtures/hostile-inventory.js';

async function issuesOf(inventory: string, env: string): Promise<readonly ConfigIssue[]> {
  try {
    await loadInventory(inventory, { envFile: env });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err; // anything else would be exit 70
    return err.issues;
  }
  throw new Error('loaded without an error');
}

describe('issue 16: hostile inventories are refused by validate at the line that holds the fault', () => {
  it('covers every input item of the issue', () => {
    expect(new Set(HOSTILE_CASES.map((c) => c.item))).toEqual(new Set(['1', '2', '3', '4', '5', '6', '7', '8', 'smaller']));
  });

  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const w = writeInventory(caseText(c), c.env);
    const issues = await issuesOf(w.inventory, w.env);
    const file = c.inEnv ? w.env : w.inventory;
    const line = lineOf(readFileSync(file, 'utf8'), c.at);
    const match = issues.find((i) => c.message.test(i.message));
    expect(match, `no issue matches ${c.message}; got:\n${issues.map(formatIssue).join('\n').slice(0, 2000)}`).toBeDefined();
    expect({ file: match!.file.endsWith(c.inEnv ? 'inv.env' : 'inv.yaml'), line: match!.line, path: match!.path }).toEqual({ file: true, line, path: c.path });
    // Never a long echo: every message is one line and short.
    for (const i of issues) {
      expect(i.message).not.toContain('\n');
      expect(i.message.length).toBeLessThanOrEqual(2001);
    }
  });
});
