import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { HindsightError } from '../errors';
import type { CancelSignal } from '../store/types';

/**
 * PDF = the HTML report printed by a Chromium engine (the HTML carries its own page setup: A4, margins, the
 * running header and footer in CSS page-margin boxes). The engine is a seam, `PdfPrinter`:
 * - in the CLI and in worker jobs, `chromiumPrinter()` drives a Chromium through playwright-core (Debian's
 *   /usr/bin/chromium, or HINDSIGHT_CHROMIUM), with JavaScript disabled and every request but the report itself
 *   refused;
 * - in the app, the main process passes a printer built on Electron's `webContents.printToPDF` (see
 *   docs/report-format.md, "PDF"), so no second browser is needed.
 */

export type PdfSource = { html: string } | { file: string };

export interface PdfPrintOptions {
  signal?: CancelSignal;
}

export interface PdfPrinter {
  print(source: PdfSource, options?: PdfPrintOptions): Promise<Uint8Array>;
  /** Frees the engine (a launched browser); optional. */
  close?(): Promise<void>;
}

export function defaultChromiumPath(): string {
  return process.env.HINDSIGHT_CHROMIUM ?? '/usr/bin/chromium';
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-extensions',
];

function unavailable(message: string, details?: Record<string, unknown>): HindsightError {
  return new HindsightError('unavailable', message, details);
}

function cancelled(): HindsightError {
  return new HindsightError('cancelled', 'The report was cancelled.');
}

// biome-ignore lint/suspicious/noExplicitAny: playwright-core is loaded at run time and only where it exists.
type Playwright = any;

async function loadPlaywright(): Promise<Playwright> {
  // A variable specifier: bundlers leave it alone (playwright-core is a development tool, not part of the app).
  const specifier = 'playwright-core';
  try {
    return await import(/* @vite-ignore */ specifier);
  } catch (error) {
    throw unavailable(
      `PDF reports need playwright-core and a Chromium, and playwright-core could not be loaded (${
        error instanceof Error ? error.message : String(error)
      }). Generate HTML instead and print it to PDF.`,
    );
  }
}

export interface ChromiumPrinterOptions {
  /** Default: HINDSIGHT_CHROMIUM, else /usr/bin/chromium. */
  executablePath?: string;
  /** How long one print may take (default 10 minutes: very large reports are thousands of pages). */
  timeoutMs?: number;
}

/** A printer driving a headless Chromium through playwright-core; launched on first use, reused after. */
export function chromiumPrinter(opts: ChromiumPrinterOptions = {}): PdfPrinter {
  const executablePath = opts.executablePath ?? defaultChromiumPath();
  const timeout = opts.timeoutMs ?? 600_000;
  let browser: Promise<Playwright> | undefined;

  async function launch(): Promise<Playwright> {
    if (!fs.existsSync(executablePath)) {
      throw unavailable(
        `PDF reports need Chromium, which was not found at ${executablePath} (install it, or set HINDSIGHT_CHROMIUM to its path). HTML, CSV and JSON reports work without it.`,
        { executablePath },
      );
    }
    const playwright = await loadPlaywright();
    try {
      return await playwright.chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
    } catch (error) {
      throw unavailable(
        `Chromium at ${executablePath} could not be started to print the PDF: ${
          error instanceof Error ? error.message.split('\n')[0] : String(error)
        }`,
        { executablePath },
      );
    }
  }

  return {
    async print(source: PdfSource, options: PdfPrintOptions = {}): Promise<Uint8Array> {
      if (options.signal?.aborted) throw cancelled();
      if (browser === undefined) {
        browser = launch();
        browser.catch(() => {
          browser = undefined;
        });
      }
      const b = await browser;
      const context = await b.newContext({ javaScriptEnabled: false, offline: true });
      let poll: NodeJS.Timeout | undefined;
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(timeout);
        const documentUrl = 'file' in source ? pathToFileURL(source.file).href : undefined;
        // Nothing but the report itself may load (it has no external resource; this is belt and braces).
        await page.route('**/*', (route: Playwright) =>
          documentUrl !== undefined && route.request().url() === documentUrl ? route.continue() : route.abort(),
        );
        const work = (async () => {
          if ('file' in source) await page.goto(documentUrl, { waitUntil: 'load' });
          else await page.setContent(source.html, { waitUntil: 'load' });
          return (await page.pdf({
            preferCSSPageSize: true,
            printBackground: true,
            tagged: true,
            outline: true,
          })) as Buffer;
        })();
        work.catch(() => undefined); // if cancelled, its later failure (context closed) is expected
        const abort = new Promise<never>((_, reject) => {
          poll = setInterval(() => {
            if (options.signal?.aborted) {
              reject(cancelled());
              void context.close().catch(() => undefined);
            }
          }, 100);
        });
        const pdf = await Promise.race([work, abort]);
        return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
      } finally {
        if (poll !== undefined) clearInterval(poll);
        await context.close().catch(() => undefined);
      }
    },
    async close(): Promise<void> {
      const b = browser;
      browser = undefined;
      if (b !== undefined) await (await b.catch(() => undefined))?.close().catch(() => undefined);
    },
  };
}

/**
 * Prints HTML (a string, or an HTML file for large reports) to PDF bytes with `printer` (default: a Chromium
 * launched for this one call and closed after it).
 */
export async function pdfFromHtml(
  html: string | PdfSource,
  opts: { printer?: PdfPrinter; signal?: CancelSignal } = {},
): Promise<Uint8Array> {
  const source: PdfSource = typeof html === 'string' ? { html } : html;
  const own = opts.printer === undefined ? chromiumPrinter() : undefined;
  const printer = opts.printer ?? own!;
  try {
    return await printer.print(source, { signal: opts.signal });
  } finally {
    await own?.close?.();
  }
}
