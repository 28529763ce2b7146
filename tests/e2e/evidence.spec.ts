import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { executeCommand } from '../../electron/core/commands/bus';
import { EventStore } from '../../electron/core/store/eventStore';
import { expect, test } from './fixtures';

/** A store "someone else" wrote: created outside this installation, so it opens as read-only evidence. */
function makeSharedStore(path: string): void {
  const store = EventStore.create(path);
  executeCommand(store, {
    commandType: 'OpenAccount',
    payload: { accountId: 'ev-1', owner: 'Eve', currency: 'EUR' },
    actor: 'colleague',
  });
  for (const amount of [100, 200, 300]) {
    executeCommand(store, { commandType: 'DepositMoney', payload: { accountId: 'ev-1', amount }, actor: 'colleague' });
  }
  store.close();
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('a shared file opens as read-only evidence: banner, fingerprint, intact, and not one byte changes', async ({
  app,
}) => {
  const { page } = app;
  const file = join(app.dir, 'shared', 'from-colleague.hindsight');
  mkdirSync(join(app.dir, 'shared'));
  makeSharedStore(file);
  const before = { sha: sha256(file), mtime: statSync(file).mtimeMs, listing: readdirSync(join(app.dir, 'shared')) };

  app.pickOnOpen(file);
  await page.getByRole('button', { name: 'Open a store…' }).click();
  await expect(page.locator('.store-name')).toHaveText('from-colleague.hindsight');
  await expect(page.locator('.topbar').getByText('read-only evidence')).toBeVisible();
  const banner = page.getByTestId('evidence-banner');
  await expect(banner).toContainText('this file is never modified');
  await expect(banner).toContainText(`SHA-256 ${before.sha.slice(0, 16)}`);
  await expect(page.getByTestId('integrity-badge')).toContainText('intact · 4:');

  // Use the screens; commands are refused on evidence.
  await page.getByRole('button', { name: 'Streams', exact: true }).click();
  await page.getByRole('cell', { name: 'account-ev-1' }).click();
  await expect(page.getByText('v4/4')).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByText('v3/4')).toBeVisible();
  await page.getByRole('button', { name: 'Commands', exact: true }).click();
  await expect(page.getByText('open as read-only evidence, so commands are disabled')).toBeVisible();
  await app.screenshot('evidence-light');
  await page.getByRole('button', { name: 'Close store' }).click();

  expect(sha256(file)).toBe(before.sha);
  expect(statSync(file).mtimeMs).toBe(before.mtime);
  expect(readdirSync(join(app.dir, 'shared'))).toEqual(before.listing);
});

test('a tampered file shows the red warning with the first broken position', async ({ app }) => {
  const { page } = app;
  const file = join(app.dir, 'tampered.hindsight');
  makeSharedStore(file);
  // Someone rewrote history: the second deposit now says 2000.
  const db = new Database(file);
  db.exec('DROP TRIGGER IF EXISTS events_no_update');
  for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
    name: string;
  }[]) {
    db.exec(`DROP TRIGGER "${name}"`);
  }
  db.prepare("UPDATE events SET data = replace(data, '200', '2000') WHERE global_position = 3").run();
  db.close();

  app.pickOnOpen(file);
  await page.getByRole('button', { name: 'Open a store…' }).click();
  await expect(page.getByTestId('integrity-badge')).toContainText('TAMPERED at 3');
  await page.getByRole('button', { name: 'Integrity', exact: true }).click();
  await expect(page.getByTestId('verify-result')).toContainText('breaks at position 3');
  await app.screenshot('tampered-light');
  // The warning leads to the suspect event itself.
  await page.getByRole('button', { name: 'Open that event' }).click();
  await expect(page.getByRole('grid', { name: 'Events of account-ev-1' })).toBeVisible();
  await expect(page.getByText('v3/4')).toBeVisible();
});

test('a -wal beside a shared file: not applied, said so, and its changes shown on request (to the private copy)', async ({
  app,
}) => {
  const { page } = app;
  // A colleague's app still had the store open: its last deposits are only in the -wal beside the file.
  const source = join(app.dir, 'writer');
  mkdirSync(source);
  const writer = EventStore.create(join(source, 'live.hindsight'));
  executeCommand(writer, {
    commandType: 'OpenAccount',
    payload: { accountId: 'w-1', owner: 'Wal', currency: 'EUR' },
    actor: 'colleague',
  });
  writer.db.pragma('wal_checkpoint(TRUNCATE)');
  for (const amount of [10, 20]) {
    executeCommand(writer, { commandType: 'DepositMoney', payload: { accountId: 'w-1', amount }, actor: 'colleague' });
  }
  const shared = join(app.dir, 'shared');
  mkdirSync(shared);
  for (const name of readdirSync(source)) writeFileSync(join(shared, name), readFileSync(join(source, name)));
  writer.close();
  const file = join(shared, 'live.hindsight');
  const listing = readdirSync(shared).sort();
  expect(listing).toContain('live.hindsight-wal');
  const before = listing.map((name) => [name, sha256(join(shared, name)), statSync(join(shared, name)).mtimeMs]);

  app.pickOnOpen(file);
  await page.getByRole('button', { name: 'Open a store…' }).click();
  const banner = page.getByTestId('evidence-banner');
  await expect(banner).toContainText('A -wal file lies beside it and was not applied');
  await expect(page.locator('.statusbar')).toContainText('1 event ');
  await app.screenshot('evidence-wal-not-applied');
  await banner.getByRole('button', { name: 'Show its changes' }).click();
  await expect(page.getByTestId('wal-included')).toBeVisible();
  await expect(page.locator('.statusbar')).toContainText('3 events');
  await expect(banner).not.toContainText('was not applied');
  await page.getByRole('button', { name: 'Close store' }).click();

  const after = readdirSync(shared)
    .sort()
    .map((name) => [name, sha256(join(shared, name)), statSync(join(shared, name)).mtimeMs]);
  expect(after).toEqual(before);
});
