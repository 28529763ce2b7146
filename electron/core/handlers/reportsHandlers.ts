import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { reportsContract } from '../../../shared/ipc/contracts/reports';
import type { Note, ReportFormatDto, ReportRecord, ReportRequest } from '../../../shared/types';
import { NotesFile } from '../app/notes';
import { RecentReports } from '../app/recentReports';
import { HindsightError } from '../errors';
import { runJob } from '../jobs/runner';
import { type GeneratedReport, MAX_PDF_ROWS } from '../reports/generate';
import type { ReportNoteInput, ReportParams } from '../reports/params';
import { type PdfPrinter, pdfFromHtml } from '../reports/pdf';
import type { HandlersOf, ServiceContext } from './types';

/** A preview bigger than this is not sent to the page: the user saves the report instead. */
const MAX_PREVIEW_BYTES = 8 * 1024 * 1024;

export function reportsHandlers({ deps, session }: ServiceContext): HandlersOf<typeof reportsContract> {
  const recent = new RecentReports(deps.dataDir);
  const generator = { name: 'Hindsight', version: deps.appVersion };

  const paramsFor = (request: ReportRequest): ReportParams => {
    const store = session.require();
    const notes =
      request.includeNotes === false ? [] : new NotesFile(deps.dataDir, store.storeId).list().map(toReportNote);
    return { ...request, notes: notes.length > 0 ? notes : undefined };
  };

  /** Runs the report in a worker thread over its own read-only connection, as a tracked job. */
  const runReportJob = (request: ReportRequest, format: ReportFormatDto, out: string) => {
    const store = session.require();
    const foreignInfo = session.foreignInfo;
    return session.jobs.start('report', `Report: ${request.kind} (${format})`, (context) =>
      runJob<GeneratedReport>(
        'report',
        {
          path: store.verificationPath,
          filePath: session.sourcePath,
          walNotRead: store.companionWal,
          // A foreign store: the report fingerprints the file opened, verifies nothing, and refuses a file that
          // changed since it was read (its SHA-256 from opening).
          foreign: foreignInfo === null ? null : { info: foreignInfo, sha256: session.summary()?.fileSha256 ?? null },
          report: paramsFor(request),
          out,
          format,
          generator,
        },
        context,
      ),
    ).done;
  };

  const printReportInApp = async (request: ReportRequest, out: string, printer: PdfPrinter) => {
    const html = `${out}.print-${process.pid}.html`;
    const partial = `${out}.partial-${process.pid}`;
    try {
      const report = await runReportJob(request, 'html', html);
      if (report.rows > MAX_PDF_ROWS) {
        throw new HindsightError(
          'payload_too_large',
          `This report has ${report.rows} rows; a PDF is limited to ${MAX_PDF_ROWS} (printing lays out every page in memory). Narrow the range, or save it as HTML, CSV or JSON, which have no limit.`,
        );
      }
      writeFileSync(partial, await pdfFromHtml({ file: html }, { printer }));
      renameSync(partial, out);
      return { ...report, out, format: 'pdf' as const, bytes: statSync(out).size };
    } finally {
      rmSync(html, { force: true });
      rmSync(partial, { force: true });
    }
  };

  return {
    'reports.preview': async ({ request }) => {
      const dir = join(session.cacheDir, 'previews');
      mkdirSync(dir, { recursive: true });
      const out = join(dir, `${randomUUID()}.html`);
      try {
        const report = await runReportJob(request, 'html', out);
        if (statSync(out).size > MAX_PREVIEW_BYTES) {
          throw new HindsightError(
            'payload_too_large',
            `This report is ${Math.round(report.bytes / 1048576)} MB: too large to preview. Save it and open it in a browser.`,
          );
        }
        return { html: readFileSync(out, 'utf8'), rows: report.rows, title: report.title };
      } finally {
        rmSync(out, { force: true });
      }
    },

    'reports.save': async ({ request, format }) => {
      session.require(); // no dialog without an open store
      const path = await deps.pickSavePath(`${request.kind}-report.${format}`, [format]);
      if (path === null) return null;
      // PDF in the app: the HTML is built in a worker like any report, then printed by the app's own engine
      // (Electron's printToPDF, in its renderer process); the main thread only waits. Without that engine
      // (CLI, tests) the worker prints with Chromium itself.
      const report =
        format === 'pdf' && deps.pdfPrinter
          ? await printReportInApp(request, path, deps.pdfPrinter)
          : await runReportJob(request, format, path);
      const record: ReportRecord = {
        path: report.out,
        kind: report.kind,
        format: report.format,
        title: report.title,
        createdAt: Date.now(),
        bytes: report.bytes,
        // A foreign store's digest is that of Hindsight's derived copy, which proves nothing: name the file's bytes.
        digest: report.verification.status === 'unprovable' ? `sha256:${report.fileSha256}` : report.digest,
        fileSha256: report.fileSha256,
        verification: report.verification.status,
      };
      recent.add(record);
      return record;
    },

    'reports.recent': () => recent.list(),
  };
}

function toReportNote(note: Note): ReportNoteInput {
  // The report attaches a note beside its event or stream when the target is in this form.
  const target =
    note.target.kind === 'event'
      ? `position:${note.target.position}`
      : note.target.kind === 'stream'
        ? `stream:${note.target.streamId}`
        : new Date(note.target.time).toISOString();
  return { target, text: note.text, createdAt: note.createdAt, author: note.author };
}
