// Foreign event stores in the UI: a SQLite table read through the column-mapping dialog, and an Emmett
// store written by the real package. Both open read-only, say that they carry no tamper evidence, and
// leave the file, its mtime and its folder exactly as they were.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { writeDemoEmmettStore } from '../support/emmett';
import { expectNoSeriousA11yViolations } from './axe';
import { expect, test } from './fixtures';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const snapshot = (file: string) => {
  const dir = join(file, '..');
  return { sha: sha256(file), mtime: statSync(file).mtimeMs, listing: readdirSync(dir).sort() };
};

/** An audit table as some other application keeps it (no hash chain, its own column names), beside another table. */
function writeAuditTable(file: string): void {
  const db = new Database(file);
  db.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
    INSERT INTO customers (name) VALUES ('Ada'), ('Bob');
    CREATE TABLE audit_log (
      seq INTEGER PRIMARY KEY, aggregate_id TEXT NOT NULL, revision INTEGER, event_name TEXT,
      payload TEXT, headers TEXT, created_at TEXT, uuid TEXT);`);
  const insert = db.prepare(
    'INSERT INTO audit_log (aggregate_id, revision, event_name, payload, headers, created_at, uuid) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  insert.run('cart-1', 1, 'CartOpened', '{"owner":"ada"}', '{"actor":"ada"}', '2024-03-01 09:00:00', null);
  insert.run('cart-2', 1, 'CartOpened', '{"owner":"bob"}', '{"actor":"bob"}', '2024-03-01 09:05:00', 'not-a-uuid');
  insert.run('cart-1', 2, 'ItemAdded', '{"sku":"A-1","qty":2}', '{"actor":"ada"}', '2024-03-01T09:10:00Z', null);
  // Out of order in time: shown at the preceding time (an adjustment the banner lists).
  insert.run('cart-1', 3, 'ItemAdded', '{"sku":"B-7","qty":1}', '{"actor":"ada"}', '2024-03-01 08:00:00', null);
  insert.run('cart-2', 2, 'CartClosed', '{}', '{"actor":"bob"}', '2024-03-01 09:15:00', null);
  db.close();
}

function sharedFile(dir: string, name: string): string {
  mkdirSync(join(dir, 'shared'), { recursive: true });
  return join(dir, 'shared', name);
}

test('a SQLite table is mapped in the dialog, shown without tamper evidence, and reopens with its mapping', async ({
  app,
}) => {
  const { page } = app;
  const file = sharedFile(app.dir, 'audit.db');
  writeAuditTable(file);
  const before = snapshot(file);

  app.pickOnOpen(file);
  await page.getByRole('button', { name: 'Open a store…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Map columns to events' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('audit.db is a SQLite file');
  // The refusal is the dialog's business: no generic error on the welcome screen.
  await expect(page.locator('.welcome .error-banner')).toHaveCount(0);

  // The suggestion is prefilled, on the table that looks like events; the other table is offered too.
  const table = dialog.getByLabel('Table');
  await expect(table).toHaveValue('audit_log');
  await expect(table.locator('option')).toHaveText(['audit_log — 5 rows', 'customers — 2 rows']);
  const role = (name: string) => dialog.getByRole('combobox', { name, exact: true });
  await expect(role('Stream')).toHaveValue('aggregate_id');
  await expect(role('Event type')).toHaveValue('event_name');
  await expect(role('Data')).toHaveValue('payload');
  await expect(role('Position')).toHaveValue('seq');
  await expect(role('Stream version')).toHaveValue('revision');
  await expect(role('Metadata')).toHaveValue('headers');
  await expect(role('Time')).toHaveValue('created_at');
  await expect(role('Event id')).toHaveValue('uuid');

  // The preview reads the first rows as the mapping says.
  const preview = dialog.getByRole('table');
  const firstRow = preview.locator('tbody tr').first();
  await expect(firstRow.locator('td')).toHaveText(['cart-1', 'CartOpened', '2024-03-01 09:00:00', '{"owner":"ada"}']);
  await expect(preview.locator('tbody tr')).toHaveCount(3);

  // Unset the time: the preview says where times come from then; set it again.
  await role('Time').selectOption('');
  await expect(firstRow.locator('td').nth(2)).toHaveText('file time');
  await expect(dialog).toContainText("every event is shown at the file's modification time");
  await role('Time').selectOption('created_at');
  await expect(firstRow.locator('td').nth(2)).toHaveText('2024-03-01 09:00:00');

  // A required role left empty keeps Open disabled.
  const openButton = dialog.getByRole('button', { name: 'Open', exact: true });
  await role('Data').selectOption('');
  await expect(openButton).toBeDisabled();
  await role('Data').selectOption('payload');
  await expect(openButton).toBeEnabled();
  await expect(dialog.getByLabel('Remember this mapping for this file')).toBeChecked();

  await app.screenshot('foreign-mapping-dialog');
  await expectNoSeriousA11yViolations(page, 'the column-mapping dialog');

  // Enter opens (from a select, where the browser would not submit by itself).
  await role('Time').focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.locator('.store-name')).toHaveText('audit.db');
  await expect(page.locator('.topbar').getByText('read-only evidence')).toBeVisible();
  await expect(page.getByTestId('integrity-badge')).toHaveText('no tamper evidence');

  const banner = page.getByTestId('evidence-banner');
  await expect(banner).toContainText('Read-only · mapped table "audit_log" · no hash chain');
  await expect(banner).toContainText('this file carries no tamper evidence');
  await expect(banner).toContainText(`SHA-256 ${before.sha.slice(0, 16)}`);
  // The copy button carries the whole fingerprint: the SHA-256 of the file's bytes, computed here.
  await expect(banner.getByRole('button', { name: `Copy the file's SHA-256: ${before.sha}` })).toBeVisible();
  const toggle = banner.getByRole('button', { name: /^\d+ adjustments? / });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(banner.getByRole('list', { name: 'How the file was read' })).toBeHidden();
  await toggle.click();
  const notes = banner.getByRole('list', { name: 'How the file was read' });
  await expect(notes).toContainText('1 event is earlier than the event before it');
  await expect(notes).toContainText('not a UUID');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await app.screenshot('foreign-banner-overview');
  await toggle.click();
  await expect(notes).toBeHidden();

  // Every screen works as usual: the mapped streams, a stream's timeline.
  await page.getByRole('button', { name: 'Streams', exact: true }).click();
  await expect(page.getByRole('cell', { name: 'cart-2' })).toBeVisible();
  await page.getByRole('cell', { name: 'cart-1' }).click();
  const events = page.getByRole('grid', { name: 'Events of cart-1' });
  await expect(events.locator('.type-chip')).toHaveText(['CartOpened', 'ItemAdded', 'ItemAdded']);
  await expect(events).toContainText('sku=B-7');
  await expect(page.getByText('v3/3')).toBeVisible();

  // Integrity: no verify, no verified copy, the reason and the fingerprint instead.
  await page.getByRole('button', { name: 'Integrity', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Integrity' })).toBeVisible();
  await expect(page.getByTestId('verify-result')).toContainText('there is no tamper evidence');
  await expect(page.getByRole('button', { name: 'Verify now' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save a verified copy…' })).toHaveCount(0);
  await expect(page.getByTestId('no-verify')).toHaveText('No hash chain: nothing to verify, no verified copy to save');
  await expect(page.locator('dl.kv')).toContainText(before.sha);
  await expect(page.locator('dl.kv')).toContainText('stream aggregate_idtype event_name');
  await expect(page.getByText('What can be proved about this file')).toBeVisible();
  await app.screenshot('foreign-integrity');

  // "Change mapping…" reopens the dialog with the mapping in use; Esc leaves everything as it was.
  await banner.getByRole('button', { name: 'Change mapping…' }).click();
  await expect(dialog).toBeVisible();
  await expect(table).toHaveValue('audit_log');
  await expect(role('Time')).toHaveValue('created_at');
  await expect(table).toBeFocused(); // focus starts on the table picker
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.locator('.store-name')).toHaveText('audit.db');

  // Closed and reopened from the recent list: the remembered mapping is used, no dialog.
  await page.getByRole('button', { name: 'Close store' }).click();
  await expect(page.getByRole('heading', { name: 'Open an event store' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^audit\.db/ })).toContainText('mapped table');
  await page.getByRole('button', { name: /^audit\.db/ }).click();
  await expect(page.locator('.store-name')).toHaveText('audit.db');
  await expect(banner).toContainText('mapped table "audit_log"');
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Streams', exact: true }).click();
  await page.getByRole('cell', { name: 'cart-1' }).click();
  await expect(events.locator('.type-chip')).toHaveText(['CartOpened', 'ItemAdded', 'ItemAdded']);
  await page.getByRole('button', { name: 'Close store' }).click();

  expect(snapshot(file)).toEqual(before);
});

test('the dialog shows an open that fails inline; a SQLite file with no tables keeps the usual error', async ({
  app,
}) => {
  const { page } = app;
  const empty = sharedFile(app.dir, 'empty.db');
  const db = new Database(empty);
  db.pragma('user_version = 7'); // a SQLite file with a header and no tables: nothing to map
  db.close();
  const file = sharedFile(app.dir, 'changing.db');
  writeAuditTable(file);

  app.pickOnOpen(empty);
  await page.getByRole('button', { name: 'Open a store…' }).click();
  await expect(page.locator('.welcome').getByRole('alert')).toContainText('empty.db');
  const dialog = page.getByRole('dialog', { name: 'Map columns to events' });
  await expect(dialog).toBeHidden();

  app.pickOnOpen(file);
  await page.getByRole('button', { name: 'Open a store…' }).click();
  await expect(dialog).toBeVisible();
  await expect(page.locator('.welcome .error-banner')).toHaveCount(0);
  await expect(dialog.getByRole('combobox', { name: 'Metadata', exact: true })).toHaveValue('headers');

  // The dialog only offers columns that exist, so the way to a refused mapping is a file that changes
  // while the dialog is open: its metadata column goes away.
  const writer = new Database(file);
  writer.exec('ALTER TABLE audit_log DROP COLUMN headers');
  writer.close();
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'The table "audit_log" has no column "headers" (chosen for the metadata).',
  );
  await expect(dialog.getByRole('combobox', { name: 'Metadata', exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.welcome .error-banner')).toHaveCount(0);
  await app.screenshot('foreign-mapping-error');
  // Changing a choice clears the error; without the metadata column the table opens.
  await dialog.getByRole('combobox', { name: 'Metadata', exact: true }).selectOption('');
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('evidence-banner')).toContainText('mapped table "audit_log"');
  await expect(page.getByTestId('integrity-badge')).toHaveText('no tamper evidence');
});

test('an Emmett store opens without a dialog; hostile strings in its events stay text', async ({ app }) => {
  const { page } = app;
  const file = sharedFile(app.dir, 'carts.db');
  await writeDemoEmmettStore(file);
  const before = snapshot(file);

  app.pickOnOpen(file);
  await page.getByRole('button', { name: 'Open a store…' }).click();
  await expect(page.locator('.store-name')).toHaveText('carts.db');
  await expect(page.getByRole('dialog', { name: 'Map columns to events' })).toBeHidden();
  const banner = page.getByTestId('evidence-banner');
  await expect(banner).toContainText('Read-only · Emmett SQLite event store · no hash chain');
  await expect(banner.getByRole('button', { name: `Copy the file's SHA-256: ${before.sha}` })).toBeVisible();
  await expect(banner.getByRole('button', { name: 'Change mapping…' })).toHaveCount(0);
  await expect(page.getByTestId('integrity-badge')).toHaveText('no tamper evidence');

  await page.getByRole('button', { name: 'Streams', exact: true }).click();
  const streams = page.getByRole('table', { name: 'Streams' });
  await expect(streams.getByRole('cell', { name: /^shopping_cart-/ })).toHaveCount(3);
  const hostileStream = 'shopping_cart-5a7c9e2b-3f1d-4c8a-b6e4-2d9f0a1b3c02';
  await streams.getByRole('cell', { name: hostileStream }).click();
  const events = page.getByRole('grid', { name: `Events of ${hostileStream}` });
  await expect(events.locator('.type-chip')).toHaveText([
    'ProductItemAdded',
    'ProductItemAdded',
    'ProductItemRemoved',
    'ProductItemAdded',
  ]);
  // The payloads are shown as the literal text they are, in the list and in the state at that version.
  await expect(events).toContainText('<script>window.__pwned=1</script>');
  await expect(events).toContainText('<img src=x onerror="window.__pwned=1">');
  await events.getByRole('row').filter({ hasText: '<script>' }).click();
  await expect(page.getByText('v4/4')).toBeVisible();
  await expect(page.getByText('<img src=x onerror="window.__pwned=1">').first()).toBeVisible();
  await app.screenshot('foreign-emmett-timeline');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);

  await page.getByRole('button', { name: 'Close store' }).click();
  expect(snapshot(file)).toEqual(before);
});

test('a big table shows its reading progress on the Open button, and Esc stops the reading', async ({ app }) => {
  const { page } = app;
  const file = sharedFile(app.dir, 'big.db');
  const db = new Database(file);
  db.exec('CREATE TABLE log (id INTEGER PRIMARY KEY, stream_id TEXT, event_type TEXT, data TEXT, created_at TEXT)');
  const insert = db.prepare('INSERT INTO log (stream_id, event_type, data, created_at) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 200_000; i++) insert.run(`s-${i % 500}`, 'Tick', `{"i":${i}}`, '2024-01-01 00:00:00');
  })();
  db.close();
  const before = snapshot(file);

  app.pickOnOpen(file);
  await page.getByRole('button', { name: 'Open a store…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Map columns to events' });
  await expect(dialog.getByLabel('Table')).toHaveValue('log');
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(dialog.getByRole('button', { name: /^Reading…/ })).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden({ timeout: 30_000 });
  // The reading job was cancelled, not left to finish: nothing opens, nothing is listed, no error is shown.
  await expect(page.locator('.statusbar')).toContainText('No jobs running', { timeout: 30_000 });
  expect(await app.services.handlers['store.current']({})).toBeNull();
  await expect(page.getByRole('heading', { name: 'Open an event store' })).toBeVisible();
  await expect(page.locator('.welcome .error-banner')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^big\.db/ })).toHaveCount(0);
  expect(snapshot(file)).toEqual(before);
});

test('a page that loads after the file was refused still shows the mapping dialog; Cancel leaves nothing waiting', async ({
  app,
}) => {
  const { page } = app;
  const file = sharedFile(app.dir, 'late.db');
  writeAuditTable(file);
  app.pickOnOpen(file);
  await page.getByRole('button', { name: 'Open a store…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Map columns to events' });
  await expect(dialog).toBeVisible();

  // As a window made for a file from the OS: its page starts after the refusal and its event.
  await app.reload();
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('late.db is a SQLite file');

  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await app.reload();
  await expect(page.getByRole('button', { name: 'Open a store…' })).toBeVisible();
  await expect(dialog).toHaveCount(0);
});
