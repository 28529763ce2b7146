import { defineConfig } from 'vitest/config';

// Unit tests are pure logic; integration tests use real SQLite files in temp folders.
// Both run under plain Node 20: nothing here may need the Electron binary.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/int/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: process.env.HINDSIGHT_VITEST_JSON
      ? ['default', ['json', { outputFile: process.env.HINDSIGHT_VITEST_JSON }]]
      : ['default'],
  },
});
