/** commandBatch through a real sh: each command's own output and exit code, its argv as it came, no stdin. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandBatch } from '../../../src/transport/command-batch.js';

const run = (argv: readonly string[], input = '') => spawnSync(argv[0]!, argv.slice(1), { input, encoding: 'utf8' });

describe('command batch', () => {
  it('answers each command with its output and exit code, in order, arguments untouched', () => {
    const hostile = ['a b', '"q"', "'s'", '$(touch /nonexistent/x)', '`id`', 'new\nline', '*', '', '\\', '${1}'];
    const batch = commandBatch([
      ['printf', '%s|', ...hostile],
      ['sh', '-c', 'echo out; echo err >&2; exit 3'],
      ['printf', 'no final newline'],
      ['false'],
      ['sh', '-c', 'printf "%s" "$#"', 'x', ...Array.from({ length: 12 }, (_, i) => `arg${i}`)],
    ]);
    const r = run(batch.argv);
    expect(r.status).toBe(0);
    expect(batch.split(r.stdout)).toEqual([
      { exitCode: 0, stdout: `${hostile.join('|')}|` },
      { exitCode: 3, stdout: 'out\n' },
      { exitCode: 0, stdout: 'no final newline' },
      { exitCode: 1, stdout: '' },
      { exitCode: 0, stdout: '12' },
    ]);
    expect(r.stderr).toBe('err\n');
  });

  it('no command reads the batch\'s stdin', () => {
    const batch = commandBatch([['cat'], ['sh', '-c', 'read -r l; echo "got:$l"']]);
    const r = run(batch.argv, 'secret\n');
    expect(batch.split(r.stdout)).toEqual([{ exitCode: 0, stdout: '' }, { exitCode: 0, stdout: 'got:\n' }]);
  });

  it('an output that prints an end line without the nonce does not end its answer; a batch cut short is no answer', () => {
    const batch = commandBatch([['printf', '%s', 'x\napim-deploy-batch-end 0123 0\ny'], ['true']], 'f00d');
    const r = run(batch.argv);
    expect(batch.split(r.stdout)).toEqual([{ exitCode: 0, stdout: 'x\napim-deploy-batch-end 0123 0\ny' }, { exitCode: 0, stdout: '' }]);
    expect(batch.split(r.stdout.slice(0, r.stdout.lastIndexOf('apim-deploy-batch-end')))).toBeNull();
    expect(commandBatch([['true']]).split(r.stdout)).toBeNull();
  });

  it('no commands: nothing runs, no answers', () => {
    const batch = commandBatch([]);
    const r = run(batch.argv);
    expect(r.stdout).toBe('');
    expect(batch.split(r.stdout)).toEqual([]);
  });
});
