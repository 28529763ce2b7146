import { join } from 'node:path';
import { expect, test } from './fixtures';

test('the shell starts with no store open and makes a real IPC round trip', async ({ app }) => {
  const { page } = app;
  await expect(page.getByRole('heading', { name: 'Open an event store' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Open a store…' })).toBeVisible();
  // Every screen is listed but disabled until a store is open.
  await expect(page.getByRole('button', { name: 'Streams' })).toBeDisabled();
  await expect(page.getByText('No store open').first()).toBeVisible();

  // A real round trip through the bridge to the services.
  const info = await page.evaluate(() => window.hindsight.call['app.info']({}));
  expect(info).toMatchObject({ ok: true, value: { name: 'Hindsight', version: '0.0.0-e2e', dataDir: app.dataDir } });

  await page.emulateMedia({ colorScheme: 'light' });
  await app.screenshot('welcome-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await app.screenshot('welcome-dark');
});

test('bad IPC input is refused with invalid_input naming the field; unknown channels are refused', async ({ app }) => {
  const { page } = app;
  const bad = await page.evaluate(() => window.__hindsightInvoke('streams.list', { limit: 'lots' }));
  expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  expect((bad as { error: { message: string } }).error.message).toContain('limit');

  const unknown = await page.evaluate(() => window.__hindsightInvoke('fs.readFile', { path: '/etc/passwd' }));
  expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
});

test('create a store through the dialog, see the frame fill in, and close it', async ({ app }) => {
  const { page } = app;
  const file = join(app.dir, 'ledger.hindsight');
  app.pickOnCreate(file);
  await page.getByRole('button', { name: 'Create a store…' }).click();

  await expect(page.locator('.store-name')).toHaveText('ledger.hindsight');
  await expect(page.locator('.topbar').getByText('read-write', { exact: true })).toBeVisible();
  await expect(page.getByTestId('integrity-badge')).toContainText('intact');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Streams' })).toBeEnabled();

  await page.getByRole('button', { name: 'Close store' }).click();
  await expect(page.getByRole('heading', { name: 'Open an event store' })).toBeVisible();
  // The file is now in the recent list, and reopens from there.
  await page.getByRole('button', { name: /^ledger\.hindsight/ }).click();
  await expect(page.locator('.store-name')).toHaveText('ledger.hindsight');
});
