#!/usr/bin/env node
// `npm test`: every suite in turn (unit + integration under Vitest, e2e under Playwright in Chromium,
// the Electron smoke test where an Electron binary exists), then one line of totals across all of
// them: `N passed, N failed, N skipped`. Exit code 1 when anything failed or a suite could not run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const reportDir = join('test-results', 'summaries');
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
let broken = false;

function step(name, command, args, env = {}) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

// 1. Unit + integration (Vitest).
const vitestJson = join(reportDir, 'vitest.json');
const vitestStatus = step('unit + integration', 'npx', ['vitest', 'run'], { HINDSIGHT_VITEST_JSON: vitestJson });
const vitest = readJson(vitestJson);
if (vitest) {
  totals.passed += vitest.numPassedTests;
  totals.failed += vitest.numFailedTests;
  totals.skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0);
}
if (!vitest || (vitestStatus !== 0 && vitest.numFailedTests === 0)) {
  console.error('The Vitest run did not complete (see above).');
  broken = true;
}

// 2. End to end (Playwright + Chromium). Needs the built renderer.
if (step('build', 'npx', ['electron-vite', 'build']) !== 0) {
  console.error('The build failed, so the end-to-end tests could not run.');
  broken = true;
} else {
  for (const [name, config] of [
    ['end to end', 'playwright.config.ts'],
    ['electron', 'playwright.electron.config.ts'],
  ]) {
    const json = join(reportDir, `${name.replace(/\s+/g, '-')}.json`);
    const status = step(name, 'npx', ['playwright', 'test', '--config', config], { HINDSIGHT_PW_JSON: json });
    const report = readJson(json);
    if (report?.stats) {
      totals.passed += report.stats.expected + (report.stats.flaky ?? 0);
      totals.failed += report.stats.unexpected;
      totals.skipped += report.stats.skipped;
    }
    if (!report?.stats || (status !== 0 && report.stats.unexpected === 0)) {
      console.error(`The ${name} run did not complete (see above).`);
      broken = true;
    }
  }
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || broken ? 1 : 0);
