/** Exit codes of command-line mistakes: 2, except under --detailed-exitcode, where 2 means "changes pending". */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliTimeout } from '../cli/run-cli.js';

const REPO = resolve(import.meta.dirname, '../../..');
const cli = (...args: string[]) => spawnSync(join(REPO, 'bin/apim-deploy'), args, { cwd: REPO, encoding: 'utf8', timeout: 60_000 });

describe('usage errors', { timeout: cliTimeout(1) }, () => {
  it('exit 2 with the help and the mistake', () => {
    const r = cli('plan', '--no-such-option');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/error: .*(no-such-option|inventory)/);
  });

  it('exit 1 under --detailed-exitcode, so a typo never reads as "changes pending"', () => {
    const r = cli('plan', '--detailed-exitcode', '--no-such-option');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error: /);
  });
});
