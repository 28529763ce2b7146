import { expect, test } from './fixtures';

test('open the demo, see the spike, find the double charges, open a chain, jump to the timeline', async ({ app }) => {
  test.setTimeout(120_000);
  const { page } = app;
  await page.getByRole('button', { name: 'Open the demo' }).click();
  await expect(page.locator('.store-name')).toHaveText('hindsight-demo-1.hindsight', { timeout: 60_000 });
  await expect(page.getByTestId('integrity-badge')).toContainText('intact', { timeout: 30_000 });

  // Overview: the incident's spike is marked.
  const spikes = page.getByRole('list', { name: 'Unusual spikes' });
  await expect(spikes).toContainText('2026-02-17');
  await app.screenshot('overview-demo-light');

  // Search: the faulty worker's withdrawals in the incident window.
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const bar = page.getByRole('form', { name: 'Search filters' });
  await bar.getByLabel('Types').fill('MoneyWithdrawn');
  await bar.getByLabel('Actors').fill('payments-worker@2.4.0-rc1');
  await bar.getByLabel('From (UTC)').fill('2026-02-17T14:05:00');
  await bar.getByLabel('To (UTC)').fill('2026-02-17T14:35:00');
  await bar.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('search-count')).toHaveText('18 events');
  expect(page.url()).toContain('actors=payments-worker');
  const results = page.getByRole('grid', { name: 'Search results' });
  await expect(results.locator('.search-item')).toHaveCount(18);
  await app.screenshot('search-double-charges-light');

  // Free text finds the corrections by ticket number.
  await bar.getByLabel('Types').fill('');
  await bar.getByLabel('Actors').fill('');
  await bar.getByLabel('From (UTC)').fill('');
  await bar.getByLabel('To (UTC)').fill('');
  await bar.getByLabel('Text').fill('INC-2041');
  await bar.getByRole('button', { name: 'Search' }).click();
  // Text needs the full-text index: the screen offers to build it as a job.
  await page.getByRole('button', { name: 'Build the search index' }).click();
  await expect(page.getByTestId('search-count')).toHaveText('18 events', { timeout: 60_000 });
  await expect(results.locator('mark').first()).toBeVisible();

  // Back to the double charges, then the chain of the first one.
  await page.goBack();
  await expect(page.getByTestId('search-count')).toHaveText('18 events');
  await results.locator('.search-item').first().getByRole('button', { name: 'Chain' }).click();
  const tree = page.getByRole('list', { name: 'Causation tree' });
  await expect(tree).toContainText('PlaceOrder');
  await expect(tree).toContainText('OrderPaid');
  await expect(tree).toContainText('AdjustBalance');
  await expect(tree.locator('.chain-focus')).toHaveCount(1);
  await app.screenshot('chain-light');

  // From the chain to the account's timeline at that version.
  await tree.locator('.chain-focus').getByRole('button').first().click();
  await expect(page.getByRole('grid', { name: /Events of account-/ })).toBeVisible();
  await expect(page.locator('.event-row[aria-selected="true"]')).toContainText('MoneyWithdrawn');
});
