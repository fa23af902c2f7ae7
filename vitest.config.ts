import { defineConfig } from 'vitest/config';

// Integration tests share the machine's namespaces and cores: run files one at a time.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 20_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    // A test that asserts nothing fails: it would pass whatever the code does.
    expect: { requireAssertions: true },
  },
});
