import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';

test('issue commands from generated forms: accepted, invalid inline, rejected with the reason', async ({ app }) => {
  const { page } = app;
  app.pickOnCreate(join(app.dir, 'bank.hindsight'));
  await page.getByRole('button', { name: 'Create a store…' }).click();
  await expect(page.locator('.store-name')).toHaveText('bank.hindsight');
  await page.getByRole('button', { name: 'Commands' }).click();
  const pick = (command: string) =>
    page.getByRole('navigation', { name: 'Commands by domain' }).getByRole('button', { name: command }).click();

  // OpenAccount, with the example values replaced by ours.
  await pick('OpenAccount');
  await page.getByLabel('accountId').fill('acc-1');
  await page.getByLabel('owner').fill('Ada Lovelace');
  await page.getByLabel('currency').fill('EUR');
  await page.getByLabel('actor').fill('e2e-operator');
  await page.getByRole('button', { name: 'Execute OpenAccount' }).click();
  const result = page.getByTestId('command-result');
  await expect(result).toContainText('accepted');
  await expect(result).toContainText('AccountOpened');
  await expect(result).toContainText('account-acc-1');

  // DepositMoney with an invalid amount: the inline message, and nothing is sent.
  await pick('DepositMoney');
  await page.getByLabel('accountId').fill('acc-1');
  await page.getByLabel('amount').fill('12.50');
  await page.getByLabel('actor').fill('e2e-operator');
  await page.getByRole('button', { name: 'Execute DepositMoney' }).click();
  await expect(page.getByText('A whole number, in minor units (e.g. cents).')).toBeVisible();
  await expect(page.getByLabel('amount')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('amount').fill('5000');
  await page.getByRole('button', { name: 'Execute DepositMoney' }).click();
  await expect(result).toContainText('MoneyDeposited');

  // A written event links to its stream's history.
  await result.getByRole('button', { name: 'MoneyDeposited' }).click();
  await expect(page.getByRole('heading', { name: 'account-acc-1' })).toBeVisible();
  await expect(page.getByRole('grid', { name: 'Events of account-acc-1' }).locator('.event-row')).toHaveCount(2);
  await page.getByRole('button', { name: 'Commands' }).click();

  // WithdrawMoney beyond the balance is rejected, and the screen says why.
  await pick('WithdrawMoney');
  await page.getByLabel('accountId').fill('acc-1');
  await page.getByLabel('amount').fill('999999');
  await page.getByLabel('actor').fill('e2e-operator');
  await page.getByRole('button', { name: 'Execute WithdrawMoney' }).click();
  await expect(result).toContainText('rejected');
  await expect(result).toContainText(/insufficient/i);

  // The log lists all three, and filters to the rejection.
  const log = page.getByRole('table', { name: 'Command log' });
  await expect(log.locator('tbody tr')).toHaveCount(3);
  await page.getByRole('button', { name: 'rejected', exact: true }).click();
  await expect(log.locator('tbody tr')).toHaveCount(1);
  await expect(log).toContainText('WithdrawMoney');
  await app.screenshot('commands-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await app.screenshot('commands-dark');
});

test('import a JSONL file from the Commands screen: the events arrive, a bad file imports nothing', async ({ app }) => {
  const { page } = app;
  app.pickOnCreate(join(app.dir, 'ledger.hindsight'));
  await page.getByRole('button', { name: 'Create a store…' }).click();
  await expect(page.locator('.store-name')).toHaveText('ledger.hindsight');
  await page.getByRole('button', { name: 'Commands' }).click();

  const good = join(app.dir, 'events.jsonl');
  const line = (streamId: string, type: string, data: unknown) =>
    `${JSON.stringify({ streamId, type, data, metadata: { actor: 'importer' } })}\n`;
  writeFileSync(
    good,
    line('cart-7', 'CartOpened', { owner: 'ada' }) +
      line('cart-7', 'ItemAdded', { sku: 'A-1' }) +
      line('cart-8', 'CartOpened', { owner: 'bob' }),
  );
  app.pickOnOpen(good);
  await page.getByRole('button', { name: 'Import events (JSONL)…' }).click();
  await expect(page.getByTestId('import-result')).toHaveText('Imported 3 events (positions 1–3).');
  await expect(page.locator('.statusbar')).toContainText('3 events');
  await expect(page.getByTestId('integrity-badge')).toContainText('intact · 3:'); // re-verified with the new events
  await app.screenshot('commands-import');

  const bad = join(app.dir, 'bad.jsonl');
  writeFileSync(bad, `${line('cart-9', 'CartOpened', {})}{"streamId":"cart-9"}\n`);
  app.pickOnOpen(bad);
  await page.getByRole('button', { name: 'Import events (JSONL)…' }).click();
  await expect(page.getByRole('alert')).toContainText('Line 2');
  await expect(page.locator('.statusbar')).toContainText('3 events');
});
