import * as fs from 'node:fs';
import * as path from 'node:path';
import { HindsightError } from '../errors';
import type { EventStore } from '../store/eventStore';
import { type BuildOptions, cancelledError, planReport } from './build';
import { AtomicFileWriter, samePath, tempPathBeside } from './fileWriter';
import type { ReportParams } from './params';
import { type ReportRenderer, renderPart } from './parts';
import { chromiumPrinter, type PdfPrinter } from './pdf';
import { createRenderer } from './renderers';
import { REPORT_FORMATS, type ReportFormat, type ReportKind, type VerificationStatus } from './schema';
import { formatInt } from './text';

/**
 * `generateReport`: builds a report from a store and streams it to a file in one of the four formats. The
 * report is written a chunk at a time (events are read a page at a time) to a temporary file beside the target,
 * renamed over the target at the end; if anything fails or the report is cancelled, the temporary file is
 * removed and nothing is left behind. PDF is the HTML printed by a `PdfPrinter` (pdf.ts).
 */

/**
 * The largest PDF report, in rows (events and commands). Chromium lays out the whole document in memory to print
 * it: about 190 pages and 1.2 GB per 1,000 events of the demo store, and printing fails beyond ~2,000 pages. A
 * PDF of more is no longer a document anyone reads; HTML, CSV and JSON have no such limit.
 */
export const MAX_PDF_ROWS = 2000;

export interface GenerateOptions extends BuildOptions {
  /** The file to write (replaced atomically if it exists). */
  out: string;
  format: ReportFormat;
  /** PDF only: the printing engine (default: a Chromium through playwright-core, closed afterwards). */
  printer?: PdfPrinter;
  /** PDF only: the most rows a PDF may have (default MAX_PDF_ROWS). */
  maxPdfRows?: number;
}

export interface GeneratedReport {
  /** The file written (absolute). */
  out: string;
  format: ReportFormat;
  kind: ReportKind;
  title: string;
  /** Size of the file written. */
  bytes: number;
  /** Rows written (events, commands, entities, …; all sections). */
  rows: number;
  storeId: string;
  digest: string;
  fileSha256: string;
  /** `unprovable`: a foreign store, which has no hash chain (nothing was verified; ok is false). */
  verification: { ok: boolean; status: VerificationStatus; firstBadPosition: number | null };
  generatedAt: string;
}

function checkFormat(format: unknown): ReportFormat {
  if (!REPORT_FORMATS.includes(format as ReportFormat)) {
    throw new HindsightError(
      'invalid_input',
      `The report format must be one of ${REPORT_FORMATS.join(', ')} (got ${JSON.stringify(format)}).`,
      { field: 'format' },
    );
  }
  return format as ReportFormat;
}

/** Generates a report into `opts.out`; see the module comment. */
export async function generateReport(
  store: EventStore,
  params: ReportParams,
  opts: GenerateOptions,
): Promise<GeneratedReport> {
  const format = checkFormat(opts.format);
  if (typeof opts.out !== 'string' || opts.out.trim() === '') {
    throw new HindsightError('invalid_input', 'The report needs the path of the file to write.', { field: 'out' });
  }
  const out = path.resolve(opts.out);
  for (const storeFile of [store.path, opts.filePath]) {
    if (storeFile !== undefined && fs.existsSync(out) && samePath(out, storeFile)) {
      throw new HindsightError('invalid_input', 'The report cannot be written over the store file itself.', {
        field: 'out',
      });
    }
  }
  if (!fs.existsSync(path.dirname(out))) {
    throw new HindsightError('not_found', `The folder ${path.dirname(out)} does not exist.`, { path: out });
  }

  const maxPdfRows = opts.maxPdfRows ?? MAX_PDF_ROWS;
  const plan = planReport(store, params, {
    ...opts,
    maxRows:
      format === 'pdf'
        ? {
            rows: maxPdfRows,
            why: `a PDF is limited to ${formatInt(maxPdfRows)} (printing lays out every page in memory). Narrow the range, or choose HTML, CSV or JSON, which have no limit.`,
          }
        : opts.maxRows,
    // The CSV holds events and commands only: the other sections are not even computed.
    sections: format === 'csv' ? ['events', 'commands'] : opts.sections,
  });
  const renderer: ReportRenderer = createRenderer(format);
  let rows = 0;
  // HTML for a PDF goes to its own temporary file first (`.html` so the browser reads it as HTML).
  const writer = new AtomicFileWriter(format === 'pdf' ? tempPathBeside(out, '.html') : out);
  let htmlTemp: string | undefined;
  try {
    for (const part of plan.parts()) {
      if (part.part === 'row') rows++;
      writer.write(renderPart(renderer, part));
    }
    if (opts.signal?.aborted) throw cancelledError();
    writer.commit();
    if (format === 'pdf') {
      htmlTemp = writer.target;
      opts.onProgress?.(plan.total, plan.total);
      const own = opts.printer === undefined ? chromiumPrinter() : undefined;
      const printer = opts.printer ?? own!;
      let pdf: Uint8Array;
      try {
        pdf = await printer.print({ file: htmlTemp }, { signal: opts.signal });
      } finally {
        await own?.close?.();
      }
      if (opts.signal?.aborted) throw cancelledError();
      const pdfWriter = new AtomicFileWriter(out);
      try {
        pdfWriter.write(pdf);
        pdfWriter.commit();
      } catch (error) {
        pdfWriter.abort();
        throw error;
      }
    }
  } catch (error) {
    writer.abort();
    throw error;
  } finally {
    if (htmlTemp !== undefined) fs.rmSync(htmlTemp, { force: true });
  }

  const i = plan.head.integrity;
  return {
    out,
    format,
    kind: plan.head.kind,
    title: plan.head.title,
    bytes: fs.statSync(out).size,
    rows,
    storeId: i.storeId,
    digest: i.digest,
    fileSha256: i.fileSha256,
    verification: {
      ok: i.verification.ok,
      status: i.verification.status,
      firstBadPosition: i.verification.firstBad?.position ?? null,
    },
    generatedAt: plan.head.generatedAt,
  };
}
