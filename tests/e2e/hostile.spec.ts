// A hostile store file, opened as evidence: markup and script in every payload field, a `__proto__` key, a
// 5 MB payload and one nested 100,000 deep (the last two written by raw SQL, past the append path). Every
// screen is visited; on each, nothing ran (no `window.__pwned`, no dialog, no prototype pollution), the
// payload shows as literal text, and at the end the file's bytes, mtime and folder are exactly as before.
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { executeCommand } from '../../electron/core/commands/bus';
import { EventStore } from '../../electron/core/store/eventStore';
import { appendRawEvents } from '../helpers/rawEvents';
import { expect, test } from './fixtures';

const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror="window.__pwned=1">';
const LINK = 'javascript:window.__pwned=1';
const HUGE = JSON.stringify({ blob: 'x'.repeat(5 * 1024 * 1024) });
const HUGE_NOTE = `The stored data is ${Buffer.byteLength(HUGE).toLocaleString('en-US')} bytes; Hindsight shows payloads up to 1,048,576 bytes.`;
const DEEP_NOTE =
  'The stored data is nested more than 64 levels deep; Hindsight shows payloads nested up to 64 levels.';
const CORRELATION = 'corr-hostile';

/**
 * hostile-1: v1 markup everywhere (+ `__proto__`), v2 links, v3 5 MB (raw SQL), v4 100,000 deep (raw SQL),
 * v5 an ordinary event; account-x1: opened by a command whose owner, actor and reason are markup.
 */
function makeHostileStore(file: string): void {
  const store = EventStore.create(file);
  executeCommand(store, {
    commandType: 'OpenAccount',
    payload: { accountId: 'x1', owner: SCRIPT, currency: 'EUR' },
    actor: IMG,
    reason: SCRIPT,
  });
  const meta = { actor: 'mallory', correlation_id: CORRELATION, reason: SCRIPT };
  store.append('hostile-1', [
    {
      type: 'Noted',
      data: JSON.parse(
        `{"__proto__":{"polluted":true},"script":${JSON.stringify(SCRIPT)},"img":${JSON.stringify(IMG)}}`,
      ),
      metadata: meta,
    },
    { type: 'Linked', data: { href: LINK, html: `<a href="${LINK}">click me</a>` }, metadata: meta },
  ]);
  store.close();
  const rawMeta = JSON.stringify({ actor: 'mallory', correlation_id: CORRELATION });
  appendRawEvents(file, [
    { streamId: 'hostile-1', type: 'Dumped', data: HUGE, metadata: rawMeta },
    { streamId: 'hostile-1', type: 'Deep', data: `${'['.repeat(100_000)}${']'.repeat(100_000)}`, metadata: rawMeta },
    { streamId: 'hostile-1', type: 'Closed', data: '{"closed":true}', metadata: rawMeta },
  ]);
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function fileState(dir: string, file: string) {
  return { sha: sha256(file), mtime: statSync(file).mtimeMs, size: statSync(file).size, listing: readdirSync(dir) };
}

test('a hostile file: every screen shows its payloads as text, runs nothing, and the file stays byte-identical', async ({
  app,
}) => {
  test.setTimeout(180_000);
  const { page } = app;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));

  // Built elsewhere, then copied into a read-only folder (0555) as a read-only file (0444). As root (CI) that
  // stops nothing, so the byte/mtime/listing comparison at the end is the proof.
  mkdirSync(join(app.dir, 'build'));
  makeHostileStore(join(app.dir, 'build', 'hostile.hindsight'));
  const dir = join(app.dir, 'evidence');
  const file = join(dir, 'hostile.hindsight');
  mkdirSync(dir);
  copyFileSync(join(app.dir, 'build', 'hostile.hindsight'), file);
  chmodSync(file, 0o444);
  chmodSync(dir, 0o555);
  const before = fileState(dir, file);
  expect(before.listing).toEqual(['hostile.hindsight']);

  try {
    const safe = async (where: string) => {
      const probe = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: unknown }).__pwned,
        polluted: ({} as Record<string, unknown>).polluted,
        inlineScripts: document.querySelectorAll('script:not([src])').length,
      }));
      expect(probe, where).toEqual({ pwned: undefined, polluted: undefined, inlineScripts: 0 });
      expect(dialogs, where).toEqual([]);
      expect(pageErrors, where).toEqual([]);
    };
    const go = async (label: string) => {
      await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: label, exact: true }).click();
    };

    app.pickOnOpen(file);
    await page.getByRole('button', { name: 'Open a store…' }).click();
    await expect(page.locator('.store-name')).toHaveText('hostile.hindsight');
    await expect(page.locator('.topbar').getByText('read-only evidence')).toBeVisible();
    await expect(page.getByTestId('integrity-badge')).toContainText('intact · 6:', { timeout: 30_000 });

    // Overview: the actor written as markup is listed as text.
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await expect(page.locator('.overview-grid')).toContainText(IMG);
    await safe('overview');

    // Streams, and the timeline of hostile-1 on each tab.
    await go('Streams');
    await page.getByRole('cell', { name: 'hostile-1' }).click();
    const list = page.getByRole('grid', { name: 'Events of hostile-1' });
    await expect(list.locator('.event-row')).toHaveCount(5);
    await expect(list).toContainText(SCRIPT);
    await list.locator('.event-row').filter({ hasText: 'Noted' }).click();
    await expect(page.getByText('v1/5')).toBeVisible();
    const panel = page.getByRole('region', { name: 'State at the cursor' });
    await expect(panel).toContainText(SCRIPT);
    // The services keep `__proto__` as a plain key (Electron's IPC clones it as one). This harness's bridge is
    // Playwright's serializer, which assigns keys, so the page gets that object with a changed prototype
    // instead of the key: that object only — `safe` checks that Object.prototype is untouched.
    const state = await app.services.handlers['history.stateAt']({ streamId: 'hostile-1', version: 1 });
    expect(Object.keys(state.state as object)).toContain('__proto__');
    await safe('timeline: state');
    await page.getByRole('tab', { name: 'Changes' }).click();
    await expect(panel).toContainText(SCRIPT);
    await safe('timeline: changes');
    await page.getByRole('tab', { name: 'Raw event' }).click();
    await expect(panel).toContainText(SCRIPT);
    await expect(panel).toContainText('<img src=x onerror=');
    await expect(panel.locator('.raw-event dd').filter({ hasText: 'script' })).toHaveText(SCRIPT); // the reason
    await safe('timeline: raw');
    await app.screenshot('hostile-timeline-script');
    await page.getByRole('tab', { name: 'Compare' }).click();
    await page.getByLabel(/Compare the cursor/).fill('0');
    await expect(page.getByRole('table', { name: 'Changes' })).toContainText(SCRIPT);
    await safe('timeline: compare');

    // v2: a javascript: link is text, not a link.
    await list.locator('.event-row').filter({ hasText: 'Linked' }).click();
    await page.getByRole('tab', { name: 'Raw event' }).click();
    await expect(panel).toContainText(LINK);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    await safe('timeline: link');

    // v3 and v4: the placeholders, as a note.
    await list.locator('.event-row').filter({ hasText: 'Dumped' }).click();
    await expect(page.getByText('v3/5')).toBeVisible();
    await expect(panel).toContainText('1,048,576 bytes');
    await app.screenshot('hostile-placeholder-huge');
    await expect(panel.locator('.json-unreadable')).toHaveText(HUGE_NOTE);
    await list.locator('.event-row').filter({ hasText: 'Deep' }).click();
    await expect(page.getByText('v4/5')).toBeVisible();
    await expect(panel.locator('.json-unreadable')).toHaveText(DEEP_NOTE);
    await page.getByRole('tab', { name: 'State' }).click();
    await expect(panel).toContainText(DEEP_NOTE);
    await safe('timeline: placeholders');

    // Bookmark the markup event with a note that is itself markup (for the Notes screen).
    await list.locator('.event-row').filter({ hasText: 'Noted' }).click();
    await page.getByRole('tab', { name: 'Raw event' }).click();
    await page.getByRole('button', { name: 'Bookmark this event…' }).click();
    const noteDialog = page.getByRole('dialog', { name: 'Add a note' });
    await noteDialog.getByLabel('Note text').fill(`Suspicious: ${IMG}`);
    await noteDialog.getByRole('button', { name: 'Save note' }).click();
    await expect(noteDialog).toBeHidden();

    // Chain: the command whose reason and owner are markup.
    await go('Streams');
    await page.getByRole('cell', { name: 'account-x1' }).click();
    await expect(panel).toContainText(SCRIPT); // the owner, in the domain state
    await page.getByRole('tab', { name: 'Raw event' }).click();
    await page.getByRole('button', { name: 'Show the whole chain of this correlation' }).click();
    const tree = page.getByRole('list', { name: 'Causation tree' });
    await expect(tree).toContainText('OpenAccount');
    await expect(tree).toContainText(SCRIPT);
    await safe('chain');

    // Search for "script" (full text: the index is built as a job).
    await go('Search');
    const bar = page.getByRole('form', { name: 'Search filters' });
    await bar.getByLabel('Text').fill('script');
    await bar.getByRole('button', { name: 'Search' }).click();
    const results = page.getByRole('grid', { name: 'Search results' });
    // Text needs the full-text index; on a small store it may already have been built in the background.
    const buildIndex = page.getByRole('button', { name: 'Build the search index' });
    await expect(results.locator('.search-item').first().or(buildIndex)).toBeVisible();
    if (await buildIndex.isVisible()) await buildIndex.click();
    await expect(results.locator('.search-item').first()).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('search-count')).toHaveText('3 events');
    await expect(results).toContainText('window.__pwned=1');
    await safe('search');

    // Replay the correlation: the touched entity's state shows the markup as text.
    await go('Replay');
    const replayForm = page.getByRole('form', { name: 'Replay window' });
    await replayForm.getByLabel('Correlation id').fill(CORRELATION);
    await replayForm.getByRole('button', { name: 'Load' }).click();
    await page.getByRole('button', { name: 'Jump to the end' }).click();
    await expect(page.getByTestId('replay-counter')).toHaveText('5 / 5');
    await expect(page.getByRole('region', { name: 'Entities touched' })).toContainText(SCRIPT);
    await safe('replay');

    // Read models: the owner in the accounts model.
    await go('Read models');
    const models = page.getByRole('table', { name: 'Read models' });
    await expect(models).toContainText('accounts');
    await models.getByRole('row', { name: /accounts/ }).click();
    await expect(page.getByRole('table', { name: 'Rows of accounts' })).toContainText(SCRIPT, { timeout: 30_000 });
    await safe('read models');

    // Reports: the preview of hostile-1, in its shadow root, as text.
    await go('Reports');
    await page.getByLabel('Streams (comma-separated)').fill('hostile-1');
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByTestId('report-preview');
    await expect(preview).toContainText(SCRIPT, { timeout: 30_000 });
    await expect(preview).toContainText('1,048,576 bytes');
    await safe('reports');

    await go('Integrity');
    await expect(page.getByTestId('verify-result')).toContainText('intact');
    await safe('integrity');

    await go('Notes');
    await expect(page.getByRole('list', { name: 'Notes' })).toContainText(`Suspicious: ${IMG}`);
    await safe('notes');

    await go('Settings');
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    await safe('settings');

    await go('Commands');
    await expect(page.getByText('open as read-only evidence, so commands are disabled')).toBeVisible();
    await expect(page.getByRole('table', { name: 'Command log' })).toContainText(IMG); // the actor
    await safe('commands');

    await page.getByRole('button', { name: 'Close store' }).click();
    await expect(page.getByRole('button', { name: 'Open a store…' })).toBeVisible();
    await safe('closed');
  } finally {
    if (existsSync(dir)) chmodSync(dir, 0o755);
  }
  expect(fileState(dir, file)).toEqual(before);
});
