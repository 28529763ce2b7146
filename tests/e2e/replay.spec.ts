import { expect, test } from './fixtures';

test('replay the incident window: step, play, pause, and watch the touched entities', async ({ app }) => {
  test.setTimeout(120_000);
  const { page } = app;
  await page.getByRole('button', { name: 'Open the demo' }).click();
  await expect(page.locator('.store-name')).toHaveText('hindsight-demo-1.hindsight', { timeout: 60_000 });

  // From the spike on the Overview straight into the replay of that window.
  await page.getByRole('list', { name: 'Unusual spikes' }).getByRole('button', { name: 'Replay' }).click();
  const counter = page.getByTestId('replay-counter');
  await expect(counter).toHaveText(/^1 \/ \d+/);
  const total = Number((await counter.textContent())?.split('/')[1]?.replace(/\D/g, ''));
  expect(total).toBeGreaterThan(50);

  await page.getByRole('button', { name: 'Step forward' }).click();
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(counter).toHaveText(new RegExp(`^3 / ${total.toLocaleString('en-US')}$`));
  const entities = page.getByRole('region', { name: 'Entities touched' });
  await expect(entities.locator('.replay-entity').first()).toBeVisible();

  await page.getByLabel('Speed').selectOption('100');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect
    .poll(async () => Number((await counter.textContent())?.split('/')[0]?.replace(/\D/g, '')))
    .toBeGreaterThan(6);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const paused = await counter.textContent();
  await page.waitForTimeout(400);
  await expect(counter).toHaveText(paused ?? '');

  // Events after the cursor have not appeared yet; the feed ends at the cursor.
  const feed = page.getByRole('region', { name: 'Events so far' });
  await expect(feed.locator('.replay-current')).toHaveCount(1);
  await app.screenshot('replay-light');

  // Jump to the end: every event of the window has played.
  await page.getByRole('button', { name: 'Jump to the end' }).click();
  await expect(counter).toHaveText(`${total.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`);
});
