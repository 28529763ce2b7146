import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HindsightError } from '../../../electron/core/errors';
import { createDemoStore } from '../../../electron/core/investigate/demo';
import { buildReportModel } from '../../../electron/core/reports/build';
import { generateReport } from '../../../electron/core/reports/generate';
import { CHROMIUM_ARGS, chromiumPrinter, defaultChromiumPath, pdfFromHtml } from '../../../electron/core/reports/pdf';
import { renderHtml } from '../../../electron/core/reports/renderHtml';
import { REPORT_KINDS } from '../../../electron/core/reports/schema';
import { EventStore } from '../../../electron/core/store/eventStore';
import { buildFixtureStore, GOLDEN_NOW, GOLDEN_PARAMS, openFixture, T0 } from './fixture';

/**
 * Reports in a real Chromium (Debian's, through playwright-core; one browser for the whole file): screenshots of
 * every kind for review (test-results/screens/report-*.png), hostile payloads proven inert in the DOM, and PDFs
 * checked with poppler (page count, the digest and store id on every page).
 */

const CHROMIUM = defaultChromiumPath();
const HAS_CHROMIUM = fs.existsSync(CHROMIUM);
const HAS_POPPLER = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const SCREENS = path.resolve(__dirname, '../../../test-results/screens');

if (!HAS_CHROMIUM) console.warn(`Chromium not found at ${CHROMIUM}: the report rendering tests are skipped.`);

describe.skipIf(!HAS_CHROMIUM)('reports in Chromium', () => {
  let browser: Browser;
  let dir: string;
  let file: string;
  let store: EventStore;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hindsight-report-chromium-'));
    file = buildFixtureStore(dir);
    store = openFixture(file);
    fs.mkdirSync(SCREENS, { recursive: true });
  });

  afterAll(async () => {
    store?.close();
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function screenshot(html: string, name: string): Promise<void> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    try {
      await page.setContent(html, { waitUntil: 'load' });
      await page.screenshot({ path: path.join(SCREENS, `report-${name}.png`), fullPage: true });
    } finally {
      await page.close();
    }
  }

  it('renders every kind; screenshots for review', async () => {
    for (const kind of REPORT_KINDS) {
      const model = buildReportModel(store, GOLDEN_PARAMS[kind], { now: () => GOLDEN_NOW });
      await screenshot(renderHtml(model), kind);
    }
    // The demo world (four weeks of a shop, with an incident): a summary and the incident's window.
    const demoFile = path.join(dir, 'demo.hindsight');
    const demo = createDemoStore(demoFile, { events: 4000 });
    const demoStore = EventStore.open(demoFile, { mode: 'read-only' });
    try {
      await screenshot(renderHtml(buildReportModel(demoStore, { kind: 'summary' })), 'demo-summary');
      const window = buildReportModel(demoStore, {
        kind: 'window',
        from: demo.incident.from,
        to: demo.incident.from + 10 * 60_000,
        includeState: true,
        includeDiffs: true,
      });
      await screenshot(renderHtml(window), 'demo-window');
    } finally {
      demoStore.close();
    }
    // A tampered store: the banner and the page header say so.
    const tamperedFile = path.join(dir, 'tampered.hindsight');
    fs.copyFileSync(file, tamperedFile);
    const db = new Database(tamperedFile);
    db.exec('DROP TRIGGER events_append_only_update');
    db.prepare(
      `UPDATE events SET data = '{"accountId":"acme","amount":1200,"balanceAfter":38000,"currency":"EUR"}' WHERE global_position = 6`,
    ).run();
    db.close();
    const tampered = openFixture(tamperedFile);
    try {
      await screenshot(
        renderHtml(buildReportModel(tampered, GOLDEN_PARAMS.correlation, { now: () => GOLDEN_NOW })),
        'tampered',
      );
    } finally {
      tampered.close();
    }
    for (const name of [...REPORT_KINDS, 'demo-summary', 'demo-window', 'tampered']) {
      expect(fs.statSync(path.join(SCREENS, `report-${name}.png`)).size).toBeGreaterThan(10_000);
    }
  });

  it('hostile payloads stay text: no script, no image, no event handler reaches the DOM', async () => {
    const evilDir = path.join(dir, 'evil');
    fs.mkdirSync(evilDir);
    const evil = '</pre></td></table><script>window.__xss=1;alert(1)</script><img src=x onerror="window.__xss=2">';
    const evilFile = buildFixtureStore(evilDir, 'evil.hindsight', [
      {
        stream: 'xss-<svg onload=alert(3)>',
        type: 'Evil<script>alert(5)</script>',
        data: { html: evil, style: '</style><script>window.__xss=3</script>', '<b onmouseover=alert(1)>': 1 },
        meta: {
          actor: `"><iframe src=javascript:alert(8)>`,
          reason: `'onmouseover='window.__xss=4`,
          correlation_id: `c<script>`,
          command_id: `cmd"><script>x</script>`,
        },
        at: T0 + 11 * 60_000,
      },
    ]);
    const evilStore = openFixture(evilFile);
    const notes = [{ target: 'store', text: evil, createdAt: '2024-05-02T00:00:00Z', author: evil }];
    const params = [
      { kind: 'entity', streams: ['xss-<svg onload=alert(3)>'], includeState: true, includeDiffs: true, notes },
      { kind: 'actor', actor: `"><iframe src=javascript:alert(8)>`, includeDiffs: true, title: `</title>${evil}` },
      { kind: 'window', from: T0, to: T0 + 3_600_000, includeState: true, notes },
      { kind: 'correlation', correlationId: 'c<script>', includeState: true },
      { kind: 'summary', title: `"; } @page { content: "x</style>${evil}` },
    ] as const;
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    try {
      for (const p of params) {
        const html = renderHtml(
          buildReportModel(evilStore, { ...p, streams: 'streams' in p ? [...p.streams] : undefined }),
        );
        expect(html).not.toMatch(/<script|<img|<iframe/i);
        await page.setContent(html, { waitUntil: 'load' });
        // A string, evaluated in the page (this project's Node tsconfig has no DOM types).
        const dom = (await page.evaluate(`(() => ({
          scripts: document.querySelectorAll('script, iframe, img, object, embed').length,
          handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
          styles: document.querySelectorAll('style').length,
          xss: window.__xss ?? null,
          text: document.body.innerText,
        }))()`)) as { scripts: number; handlers: number; styles: number; xss: unknown; text: string };
        expect(dom).toMatchObject({ scripts: 0, handlers: 0, styles: 1, xss: null });
        // The payloads are there, as text.
        expect(dom.text, p.kind).toContain('<script>');
        if (p.kind === 'summary') expect(dom.text).toContain('"; } @page { content: "x</style></pre>');
      }
      expect(dialogs).toEqual([]);
    } finally {
      await page.close();
      evilStore.close();
    }
  });

  it.skipIf(!HAS_POPPLER)('PDF: printed by Chromium, with the title, store id and digest on every page', async () => {
    const printer = chromiumPrinter();
    try {
      const result = await generateReport(store, GOLDEN_PARAMS.entity, {
        out: path.join(dir, 'entity.pdf'),
        format: 'pdf',
        printer,
        now: () => GOLDEN_NOW,
      });
      const pdf = fs.readFileSync(result.out);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [result.out], { encoding: 'utf8' }))![1]);
      expect(pages).toBeGreaterThanOrEqual(2);
      const digest = result.digest;
      for (let p = 1; p <= pages; p++) {
        const text = execFileSync('pdftotext', ['-f', String(p), '-l', String(p), '-layout', result.out, '-'], {
          encoding: 'utf8',
        });
        expect(text, `page ${p}`).toContain(`store ${store.storeId}`);
        expect(text.replace(/\s+/g, ''), `page ${p}`).toContain(`Digest${digest}`);
        expect(text, `page ${p}`).toContain(`Page ${p} of ${pages}`);
        expect(text, `page ${p}`).toContain('Hindsight audit report · History of 2 entities');
      }
      execFileSync('pdftoppm', [
        '-png',
        '-r',
        '70',
        '-f',
        '1',
        '-l',
        '2',
        result.out,
        path.join(SCREENS, 'report-pdf-page'),
      ]);
      // The same printer prints HTML given as a string.
      const bytes = await pdfFromHtml(renderHtml(buildReportModel(store, GOLDEN_PARAMS.summary)), { printer });
      expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    } finally {
      await printer.close?.();
    }
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('PDF without Chromium fails with a clear `unavailable` error and writes nothing', async () => {
    const out = path.join(dir, 'none.pdf');
    let error: unknown;
    try {
      await generateReport(store, GOLDEN_PARAMS.summary, {
        out,
        format: 'pdf',
        printer: chromiumPrinter({ executablePath: path.join(dir, 'no-chromium-here') }),
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HindsightError);
    expect(error).toMatchObject({ code: 'unavailable' });
    expect((error as Error).message).toMatch(/Chromium.*not found.*HINDSIGHT_CHROMIUM/);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});
