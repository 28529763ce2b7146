import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

// Where is the Electron binary? Read electron's own path.txt instead of require('electron'), which
// would try to download the binary on a machine without it.
function electronBinary(): string | null {
  const pathFile = join('node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join('node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

function nativeAddonReady(): boolean {
  const version = JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')).version;
  return existsSync(
    join('.electron-native', `electron-${version}-${process.platform}-${process.arch}`, 'better_sqlite3.node'),
  );
}

const binary = electronBinary();
const skipReason = !binary
  ? 'no Electron binary on this machine (node_modules/electron/dist is missing; it downloads on first `npm start`)'
  : !nativeAddonReady()
    ? 'better-sqlite3 is not built for Electron yet (run `node scripts/ensure-electron-native.mjs`)'
    : !existsSync('out/main/index.js')
      ? 'the app is not built (run `npm run build`)'
      : null;

if (skipReason) console.log(`[tests/electron] skipped: ${skipReason}`);

test('the real app opens its window with the shell and answers IPC', async () => {
  test.skip(skipReason !== null, skipReason ?? '');
  const userData = mkdtempSync(join(tmpdir(), 'hindsight-electron-'));
  const app = await electron.launch({
    executablePath: binary ?? undefined,
    args: ['.', `--user-data-dir=${userData}`],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('heading', { name: 'Open an event store' })).toBeVisible();
    const info = await page.evaluate(() => window.hindsight.call['app.info']({}));
    expect(info).toMatchObject({ ok: true, value: { name: 'Hindsight' } });
    // The page has no Node: the sandbox holds.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  } finally {
    await app.close();
  }
});
