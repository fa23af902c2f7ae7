import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Two tiers, each saying what it needs (`vitest run --project unit|integration`):
 * - unit (test/unit, test/golden): node and coreutils only. No service, no lab host, no network, no root;
 *   test/unit/test-tiers.test.ts keeps it so.
 * - integration (test/integration): root, sshd, PostgreSQL, nginx and the lab's namespaces. Its files share the
 *   machine's namespaces, bridges and cores, so they run one at a time, after the unit tier (groupOrder 1 then 2: with
 *   file parallelism off, vitest would run a project left at groupOrder 0 last).
 * Every test waits on conditions with generous deadlines; the timeouts below only end a test that hangs.
 */
const shared = {
  fileParallelism: false,
  // A test that asserts nothing fails: it would pass whatever the code does.
  expect: { requireAssertions: true },
};

/**
 * The unit tier's os.tmpdir(): one directory per run, made and removed by test/support/temp-root.ts. The integration
 * tier keeps the machine's: its lab processes and sockets are its own files' to clean up.
 */
const unitTempRoot = join(tmpdir(), `apim-unit-tests-${process.pid}`);

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          ...shared, name: 'unit', include: ['test/unit/**/*.test.ts', 'test/golden/**/*.test.ts'], sequence: { groupOrder: 1 },
          testTimeout: 60_000, hookTimeout: 60_000,
          env: { TMPDIR: unitTempRoot }, globalSetup: ['test/support/temp-root.ts'],
        },
      },
      {
        test: {
          ...shared, name: 'integration', include: ['test/integration/**/*.test.ts'], sequence: { groupOrder: 2 },
          testTimeout: 300_000, hookTimeout: 300_000,
        },
      },
    ],
  },
});
