import { expect, test } from './fixtures';

test('read models: rebuild with progress, sort by balance, filter by status, and look as of a past time', async ({
  app,
}) => {
  test.setTimeout(120_000);
  const { page } = app;
  await page.getByRole('button', { name: 'Open the demo' }).click();
  await expect(page.locator('.store-name')).toHaveText('hindsight-demo-1.hindsight', { timeout: 60_000 });

  // The stream list is virtualized and keyset-paged: few rows mounted, later pages load on scroll.
  await page.getByRole('button', { name: 'Streams', exact: true }).click();
  const list = page.getByRole('region', { name: 'Stream list' });
  const mounted = list.locator('tbody tr:not(.virtual-spacer)');
  await expect(mounted.first()).toContainText('account-cust-000001');
  expect(await mounted.count()).toBeLessThan(150);
  // Accounts sort before orders: order streams start after row 500, beyond the first page of 200.
  await expect(async () => {
    await list.evaluate((element) => element.scrollBy(0, 4000));
    await expect(list.getByRole('cell', { name: /^order-o-/ }).first()).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 30_000 });
  expect(await mounted.count()).toBeLessThan(150);

  await page.getByRole('button', { name: 'Read models', exact: true }).click();
  const models = page.getByRole('table', { name: 'Read models' });
  await expect(models).toContainText('accounts');

  // The demo was written in a worker without read models: rebuild them all, as a job.
  await page.getByRole('button', { name: 'Rebuild all' }).click();
  await expect(page.getByTestId('status-job').filter({ hasText: 'Rebuilding' })).toHaveCount(1, { timeout: 10_000 });
  await expect(models.getByRole('row', { name: /accounts/ })).toContainText('up to date', { timeout: 60_000 });

  await models.getByRole('row', { name: /accounts/ }).click();
  const table = page.getByRole('table', { name: 'Rows of accounts' });
  await expect(page.getByTestId('readmodel-count')).toHaveText('500 rows');

  // Sort by balance, largest first.
  await table.getByRole('button', { name: 'Sort by Balance' }).click();
  await table.getByRole('button', { name: 'Sort by Balance' }).click();
  const balances = await table.locator('tbody tr td:nth-child(4)').allTextContents();
  const numbers = balances.slice(0, 20).map((text) => Number(text.replace(/[^\d.-]/g, '')));
  expect(numbers).toEqual([...numbers].sort((a, b) => b - a));

  // Filter by status: pick a status other than "open" that the store really has, and count it the same way.
  const other = await app.services.handlers['readmodels.query']({
    name: 'accounts',
    filters: [{ column: 'status', op: 'ne', value: 'open' }],
    limit: 1,
  });
  const wanted = String(other.rows[0]?.status);
  const expected = await app.services.handlers['readmodels.query']({
    name: 'accounts',
    filters: [{ column: 'status', op: 'eq', value: wanted }],
    limit: 1000,
  });
  await page.getByLabel('Filter column').selectOption({ label: 'Status' });
  await page.getByLabel('Filter value').fill(wanted);
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await expect(page.getByTestId('readmodel-count')).toHaveText(`${expected.rows.length} rows`);
  const statuses = await table.locator('tbody tr td:nth-child(3)').allTextContents();
  expect(statuses.length).toBe(expected.rows.length);
  for (const status of statuses) expect(status).toBe(wanted);

  // As of the first day: fewer accounts, and a banner that says so.
  await page.getByLabel('As of (UTC)').fill('2026-02-02T12:00:00');
  await page.getByRole('button', { name: 'As of', exact: true }).click();
  await expect(page.getByTestId('asof-banner')).toContainText('As of 2026-02-02 12:00:00 UTC');
  const early = Number((await page.getByTestId('readmodel-count').textContent())?.replace(/\D/g, ''));
  expect(early).toBeLessThan(500);
  await app.screenshot('readmodels-asof-light');

  // The activity read model is a time series: drawn as one.
  await page.getByLabel('As of (UTC)').fill('');
  await page.getByRole('button', { name: 'Now', exact: true }).click();
  await models.getByRole('row', { name: /^activity Events per minute/ }).click();
  await expect(
    page.getByRole('figure', { name: 'Activity read model over time' }).locator('.recharts-bar-rectangle').first(),
  ).toBeVisible();
});
