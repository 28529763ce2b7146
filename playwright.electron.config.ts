import { defineConfig } from '@playwright/test';

// The real app through Playwright's _electron. Runs where an Electron binary exists; elsewhere each
// test skips with the reason printed.
export default defineConfig({
  testDir: 'tests/electron',
  outputDir: 'test-results/electron-artifacts',
  timeout: 60_000,
  workers: 1,
  reporter: process.env.HINDSIGHT_PW_JSON
    ? [['list'], ['json', { outputFile: process.env.HINDSIGHT_PW_JSON }]]
    : [['list']],
});
