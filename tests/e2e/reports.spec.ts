import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';

test('build an entity report from a timeline, preview it in the app, and save it', async ({ app }) => {
  test.setTimeout(120_000);
  const { page, services } = app;
  app.pickOnCreate(join(app.dir, 'audit.hindsight'));
  await page.getByRole('button', { name: 'Create a store…' }).click();
  await expect(page.locator('.store-name')).toHaveText('audit.hindsight');
  const run = (commandType: string, payload: Record<string, unknown>, reason?: string) =>
    services.handlers['commands.execute']({ commandType, payload, actor: 'auditor', reason });
  await run('OpenAccount', { accountId: 'r1', owner: 'Rita <script>alert(1)</script>', currency: 'EUR' });
  await run('DepositMoney', { accountId: 'r1', amount: 1200 });
  await run('AdjustBalance', { accountId: 'r1', amount: -200 }, 'Fee charged twice (INC-7)');

  await page.getByRole('button', { name: 'Streams', exact: true }).click();
  await page.getByRole('cell', { name: 'account-r1' }).click();
  await page.getByRole('button', { name: 'Report…' }).click();
  await expect(page.getByRole('heading', { name: 'Reports' })).toBeVisible();
  await expect(page.getByLabel('Streams (comma-separated)')).toHaveValue('account-r1');

  await page.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByTestId('report-preview');
  const head = await services.handlers['store.details']({});
  await expect(preview).toContainText(`${head.head.position}:${head.head.hash}`);
  await expect(preview).toContainText('Fee charged twice (INC-7)');
  // The payload's markup is shown as text; nothing ran.
  await expect(preview).toContainText('<script>alert(1)</script>');
  expect(await page.evaluate(() => document.querySelectorAll('script:not([src])').length)).toBe(0);
  await app.screenshot('report-preview-light');

  const out = join(app.dir, 'account-r1.html');
  app.pickOnSave(out);
  await page.getByRole('button', { name: 'Save HTML…' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved HTML report' })).toBeVisible();
  expect(existsSync(out)).toBe(true);
  const html = readFileSync(out, 'utf8');
  expect(html).toContain(`hindsight verify`);
  expect(html).not.toContain('<script>alert(1)</script>');
  await expect(page.getByRole('table', { name: 'Recent reports' })).toContainText('HTML');
});
