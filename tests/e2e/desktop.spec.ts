import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectNoSeriousA11yViolations } from './axe';
import { expect, test } from './fixtures';

test('command palette jumps to screens and streams; shortcuts open the help', async ({ app }) => {
  const { page, services } = app;
  app.pickOnCreate(join(app.dir, 'palette.hindsight'));
  await page.getByRole('button', { name: 'Create a store…' }).click();
  await expect(page.locator('.store-name')).toHaveText('palette.hindsight');
  await services.handlers['commands.execute']({
    commandType: 'OpenAccount',
    payload: { accountId: 'zed', owner: 'Zed', currency: 'EUR' },
    actor: 'e2e',
  });

  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await expect(palette).toBeVisible();
  await palette.getByRole('combobox').fill('integ');
  await page.keyboard.press('Enter');
  await expect(palette).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Integrity' })).toBeVisible();

  await page.keyboard.press('Control+k');
  await palette.getByRole('combobox').fill('account-z');
  await expect(palette.getByRole('option', { name: /account-zed/ })).toBeVisible();
  await palette.getByRole('option', { name: /account-zed/ }).click();
  await expect(page.getByRole('grid', { name: 'Events of account-zed' })).toBeVisible();

  // Alt+1 goes to the first screen; ? lists the shortcuts; Esc closes.
  await page.locator('.timeline-header').click();
  await page.keyboard.press('Alt+1');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Command palette');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

test('an open from the palette that fails says why, and the store in the window stays open', async ({ app }) => {
  const { page } = app;
  app.pickOnCreate(join(app.dir, 'kept.hindsight'));
  await page.getByRole('button', { name: 'Create a store…' }).click();
  await expect(page.locator('.store-name')).toHaveText('kept.hindsight');
  const notAStore = join(app.dir, 'notes.txt');
  writeFileSync(notAStore, 'not an event store\n'.repeat(200));

  app.pickOnOpen(notAStore);
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByRole('combobox').fill('Open a store');
  await page.keyboard.press('Enter');
  const alert = page.locator('.main > .error-banner');
  await expect(alert).toContainText('notes.txt');
  await expect(page.locator('.store-name')).toHaveText('kept.hindsight');
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(alert).toHaveCount(0);
});

test('settings persist across a restart and change how times are shown', async ({ app }) => {
  const { page } = app;
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Your name on commands').fill('auditor-9');
  await page.getByLabel('Theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByLabel('Show times in').selectOption('local');
  await expect.poll(() => app.services.handlers['settings.get']({})).toMatchObject({ actor: 'auditor-9' });

  await app.restart();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByLabel('Your name on commands')).toHaveValue('auditor-9');
  await expect(page.getByLabel('Show times in')).toHaveValue('local');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(app.services.handlers['settings.get']({})).toMatchObject({ actor: 'auditor-9', timeZone: 'local' });
});

test('the jobs panel shows progress and cancels a running job', async ({ app }) => {
  const { page } = app;
  await expect(page.getByRole('heading', { name: 'Open an event store' })).toBeVisible();
  await page.keyboard.press('Control+k');
  await page.getByRole('dialog', { name: 'Command palette' }).getByRole('combobox').fill('job runner');
  await expect(page.getByRole('option', { name: /Test the job runner/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  const panel = page.getByRole('dialog', { name: 'Jobs' });
  await expect(panel.getByTestId('job-running')).toHaveCount(1);
  const bar = panel.getByRole('progressbar');
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  await expect(page.getByTestId('status-job')).toContainText('self-test');
  await panel.getByRole('button', { name: 'Cancel' }).click();
  await expect(panel.getByTestId('job-running')).toHaveCount(0);
  await expect(panel.getByTestId('job-finished').first()).toContainText('cancelled');
  await app.screenshot('jobs-panel');
});

test('main screens have no serious accessibility violations, in both themes', async ({ app }) => {
  const { page, services } = app;
  app.pickOnCreate(join(app.dir, 'a11y.hindsight'));
  await page.getByRole('button', { name: 'Create a store…' }).click();
  await expect(page.locator('.store-name')).toHaveText('a11y.hindsight');
  await services.handlers['commands.execute']({
    commandType: 'OpenAccount',
    payload: { accountId: 'a1', owner: 'Ada', currency: 'EUR' },
    actor: 'e2e',
  });
  await services.handlers['commands.execute']({
    commandType: 'DepositMoney',
    payload: { accountId: 'a1', amount: 500 },
    actor: 'e2e',
  });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const screens: [string, () => ReturnType<typeof page.getByRole>][] = [
      ['Overview', () => page.getByRole('heading', { name: 'Overview' })],
      ['Search', () => page.getByRole('form', { name: 'Search filters' })],
      ['Read models', () => page.getByRole('table', { name: 'Read models' })],
      ['Replay', () => page.getByRole('form', { name: 'Replay window' })],
      ['Reports', () => page.getByRole('heading', { name: 'Reports' })],
      ['Commands', () => page.getByRole('heading', { name: 'Commands' })],
      ['Integrity', () => page.getByRole('heading', { name: 'Integrity' })],
      ['Notes', () => page.getByRole('heading', { name: 'Notes' })],
      ['Settings', () => page.getByRole('heading', { name: 'Settings' })],
    ];
    for (const [screen, ready] of screens) {
      await page.getByRole('button', { name: screen, exact: true }).click();
      await expect(ready()).toBeVisible();
      await expectNoSeriousA11yViolations(page, `${screen} (${scheme})`);
      await app.screenshot(`screen-${screen.toLowerCase().replace(' ', '-')}-${scheme}`);
    }
    await page.getByRole('button', { name: 'Streams', exact: true }).click();
    await page.getByRole('cell', { name: 'account-a1' }).click();
    await expect(page.getByRole('grid', { name: 'Events of account-a1' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, `Streams (${scheme})`);
    await page.getByRole('button', { name: 'Close store' }).click();
    await expectNoSeriousA11yViolations(page, `Welcome (${scheme})`);
    await page.getByRole('button', { name: /^a11y\.hindsight/ }).click();
    await expect(page.locator('.store-name')).toHaveText('a11y.hindsight');
  }
});
