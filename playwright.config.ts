import { defineConfig } from '@playwright/test';

// End-to-end tests drive the built renderer in Debian's Chromium (no browser download), with its IPC
// bridged to the real services over real store files. See tests/e2e/fixtures.ts.
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e-artifacts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  reporter: process.env.HINDSIGHT_PW_JSON
    ? [['list'], ['json', { outputFile: process.env.HINDSIGHT_PW_JSON }]]
    : [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1360, height: 860 },
    launchOptions: {
      executablePath: process.env.HINDSIGHT_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'off',
  },
});
