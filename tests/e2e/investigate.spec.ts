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
  // The expected number comes from the store itself, through the same service the page calls.
  const expected = await app.services.handlers['search.events']({
    filters: {
      types: ['MoneyWithdrawn'],
      actors: ['payments-worker@2.4.0-rc1'],
      recordedFrom: Date.UTC(2026, 1, 17, 14, 5),
      recordedTo: Date.UTC(2026, 1, 17, 14, 35),
    },
    limit: 1000,
  });
  const doubleCharges = expected.total ?? 0;
  expect(doubleCharges).toBeGreaterThan(5);
  await expect(page.getByTestId('search-count')).toHaveText(`${doubleCharges} events`);
  expect(page.url()).toContain('actors=payments-worker');
  const results = page.getByRole('grid', { name: 'Search results' });
  await expect(results.locator('.search-item')).toHaveCount(doubleCharges);
  for (const item of expected.items) expect(item.metadata.actor).toBe('payments-worker@2.4.0-rc1');
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
  // One correction per accepted double charge.
  await expect(page.getByTestId('search-count')).toHaveText(`${doubleCharges} events`, { timeout: 60_000 });
  await expect(results.locator('mark').first()).toBeVisible();

  // Back to the double charges, then the chain of the first one.
  await page.goBack();
  await expect(page.getByTestId('search-count')).toHaveText(`${doubleCharges} events`);
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

  // Bookmark the first bad event with a note; the Notes screen lists it and leads back.
  await page.getByRole('tab', { name: 'Raw event' }).click();
  await page.getByRole('button', { name: 'Bookmark this event…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a note' });
  await dialog.getByLabel('Note text').fill('Second charge by 2.4.0-rc1: the duplicate (INC-2041).');
  await dialog.getByRole('button', { name: 'Save note' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Notes', exact: true }).click();
  const notes = page.getByRole('list', { name: 'Notes' });
  await expect(notes).toContainText('the duplicate (INC-2041)');
  await notes.getByRole('button', { name: /account-cust-/ }).click();
  await expect(page.locator('.event-row[aria-selected="true"]')).toContainText('MoneyWithdrawn');
});
