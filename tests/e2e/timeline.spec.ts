import { join } from 'node:path';
import { expect, test } from './fixtures';

test('timeline: step through versions with keys and slider, see the diff, click the chart, compare', async ({
  app,
}) => {
  const { page, services } = app;
  app.pickOnCreate(join(app.dir, 'history.hindsight'));
  await page.getByRole('button', { name: 'Create a store…' }).click();
  await expect(page.locator('.store-name')).toHaveText('history.hindsight');

  // A small history, written through the real command bus.
  const run = (commandType: string, payload: Record<string, unknown>, reason?: string) =>
    services.handlers['commands.execute']({ commandType, payload, actor: 'teller', reason });
  await run('OpenAccount', { accountId: 'acc-7', owner: 'Grace Hopper', currency: 'USD' });
  for (const amount of [1000, 2500, 400]) await run('DepositMoney', { accountId: 'acc-7', amount });
  await run('WithdrawMoney', { accountId: 'acc-7', amount: 900 });
  await run('FreezeAccount', { accountId: 'acc-7' });

  await page.getByRole('button', { name: 'Streams' }).click();
  await page.getByRole('cell', { name: 'account-acc-7' }).click();
  const list = page.getByRole('grid', { name: 'Events of account-acc-7' });
  await expect(list.locator('.event-row')).toHaveCount(6);
  await expect(page.getByText('v6/6')).toBeVisible();

  // The state at the latest version.
  const panel = page.getByRole('region', { name: 'State at the cursor' });
  await expect(panel).toContainText('"frozen"');

  // ← steps back one event; later events are dimmed.
  await page.locator('.timeline-header').click();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByText('v5/6')).toBeVisible();
  await expect(panel).toContainText('"open"');
  await expect(list.locator('.event-row-future')).toHaveCount(1);
  expect(page.url()).toContain('v=5');

  // The slider jumps to v3; the Changes tab shows what the second deposit changed.
  await page.getByRole('slider', { name: 'Version' }).fill('3');
  await expect(page.getByText('v3/6')).toBeVisible();
  await page.getByRole('tab', { name: 'Changes' }).click();
  const changes = page.getByRole('table', { name: 'Changes' });
  await expect(changes).toContainText('balance');
  await expect(changes.locator('.change-changed')).toContainText('1000');
  await expect(changes.locator('.change-changed')).toContainText('3500');
  await app.screenshot('timeline-changes-light');

  // Back returns to the previous point.
  await page.goBack();
  await expect(page.getByText('v5/6')).toBeVisible();

  // Compare v1 with the cursor.
  await page.getByRole('tab', { name: 'Compare' }).click();
  await page.getByLabel(/Compare the cursor/).fill('1');
  await expect(page.getByRole('table', { name: 'Changes' })).toContainText('3000');

  // The value chart: a click on a point moves the cursor there.
  const chart = page.locator('.value-chart .recharts-surface');
  await expect(chart).toBeVisible();
  await expect(page.getByLabel('Value over time')).toHaveValue('balance');
  const box = await chart.boundingBox();
  if (!box) throw new Error('chart has no box');
  await page.mouse.click(box.x + box.width * 0.2, box.y + box.height / 2);
  await expect(page.getByText(/^v[1-3]\/6$/)).toBeVisible();

  await page.getByRole('tab', { name: 'State' }).click();
  await app.screenshot('timeline-state-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await app.screenshot('timeline-state-dark');
});
