import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HindsightError } from '../../../electron/core/errors';
import { timeline } from '../../../electron/core/history/timeline';
import { runJob } from '../../../electron/core/jobs/runner';
import { buildReportModel } from '../../../electron/core/reports/build';
import { generateReport } from '../../../electron/core/reports/generate';
import type { PdfPrinter } from '../../../electron/core/reports/pdf';
import { parseReportModel, type ReportModel } from '../../../electron/core/reports/schema';
import { EventStore } from '../../../electron/core/store/eventStore';
import { makeStore } from '../../helpers/storeFixtures';
import { useTempDir } from '../../helpers/tempDir';
import { buildFixtureStore, eventId, GOLDEN_NOW, GOLDEN_PARAMS, openFixture } from './fixture';

// biome-ignore lint/correctness/useHookAtTopLevel: useTempDir is a Vitest helper (afterEach cleanup), not a React hook.
const tempDir = useTempDir('hindsight-report-');

async function rejection(promise: Promise<unknown>): Promise<HindsightError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HindsightError) return error;
    throw error;
  }
  throw new Error('it did not fail');
}

/** Edits an event in place, as an attacker with the file could (dropping the append-only trigger first). */
function tamper(file: string, position: number, data: string): void {
  const db = new Database(file);
  try {
    db.exec('DROP TRIGGER events_append_only_update');
    db.prepare('UPDATE events SET data = ? WHERE global_position = ?').run(data, position);
  } finally {
    db.close();
  }
}

describe('generateReport', () => {
  it('a cancelled report leaves nothing behind, whether cancelled while verifying or while writing rows', async () => {
    const dir = tempDir();
    const store = makeStore(dir, 6000, 3);
    try {
      for (const phase of ['verify', 'rows'] as const) {
        for (const format of ['html', 'json', 'csv'] as const) {
          const controller = new AbortController();
          const head = store.head().position;
          const error = await rejection(
            generateReport(
              store,
              { kind: 'window', from: 0, to: Date.now() },
              {
                out: path.join(dir, `report.${format}`),
                format,
                signal: controller.signal,
                onProgress: (done) => {
                  if (phase === 'verify' || done > head + 1000) controller.abort();
                },
              },
            ),
          );
          expect(error.code).toBe('cancelled');
          // The store (open read-write, so with its -wal/-shm) and nothing else.
          expect(fs.readdirSync(dir).filter((name) => !name.startsWith('test.hindsight'))).toEqual([]);
        }
      }
    } finally {
      store.close();
    }
  });

  it('a failed PDF print leaves nothing behind either (no HTML temp, no PDF)', async () => {
    const dir = tempDir();
    const file = buildFixtureStore(dir);
    const store = openFixture(file);
    try {
      const broken: PdfPrinter = {
        async print() {
          throw new HindsightError('unavailable', 'no printer here');
        },
      };
      const error = await rejection(
        generateReport(store, GOLDEN_PARAMS.summary, { out: path.join(dir, 'r.pdf'), format: 'pdf', printer: broken }),
      );
      expect(error.code).toBe('unavailable');
      expect(fs.readdirSync(dir)).toEqual(['fixture.hindsight']);
      // A printer that works gets the HTML file; the PDF bytes are written as given.
      let seen = '';
      const fake: PdfPrinter = {
        async print(source) {
          seen = 'file' in source ? fs.readFileSync(source.file, 'utf8') : source.html;
          return new TextEncoder().encode('%PDF-1.7 fake');
        },
      };
      const result = await generateReport(store, GOLDEN_PARAMS.summary, {
        out: path.join(dir, 'r.pdf'),
        format: 'pdf',
        printer: fake,
      });
      expect(seen).toContain('<!DOCTYPE html>');
      // Too many rows for a PDF: refused before anything is verified, printed or written.
      let printed = 0;
      const counting: PdfPrinter = {
        async print() {
          printed++;
          return new Uint8Array();
        },
      };
      const tooBig = await rejection(
        generateReport(store, GOLDEN_PARAMS.entity, {
          out: path.join(dir, 'big.pdf'),
          format: 'pdf',
          printer: counting,
          maxPdfRows: 6,
        }),
      );
      expect(tooBig).toMatchObject({ code: 'payload_too_large', details: { rows: 7, limit: 6 } });
      expect(tooBig.message).toMatch(/a PDF is limited to 6/);
      expect(printed).toBe(0);
      expect(fs.existsSync(path.join(dir, 'big.pdf'))).toBe(false);
      expect(fs.readFileSync(result.out, 'utf8')).toBe('%PDF-1.7 fake');
      expect(fs.readdirSync(dir).sort()).toEqual(['fixture.hindsight', 'r.pdf']);
    } finally {
      store.close();
    }
  });

  it('replaces an existing report atomically, refuses to write over the store or into a missing folder', async () => {
    const dir = tempDir();
    const file = buildFixtureStore(dir);
    const store = openFixture(file);
    try {
      const out = path.join(dir, 'r.json');
      fs.writeFileSync(out, 'old');
      await generateReport(store, GOLDEN_PARAMS.summary, { out, format: 'json' });
      expect(JSON.parse(fs.readFileSync(out, 'utf8')).kind).toBe('summary');
      const self = await rejection(generateReport(store, GOLDEN_PARAMS.summary, { out: file, format: 'json' }));
      expect(self).toMatchObject({ code: 'invalid_input', details: { field: 'out' } });
      const missing = await rejection(
        generateReport(store, GOLDEN_PARAMS.summary, { out: path.join(dir, 'nope', 'r.json'), format: 'json' }),
      );
      expect(missing.code).toBe('not_found');
      const format = await rejection(generateReport(store, GOLDEN_PARAMS.summary, { out, format: 'docx' as 'json' }));
      expect(format).toMatchObject({ code: 'invalid_input', details: { field: 'format' } });
      const stream = await rejection(
        generateReport(store, { kind: 'entity', streams: ['nope-1'] }, { out, format: 'json' }),
      );
      expect(stream.code).toBe('not_found');
    } finally {
      store.close();
    }
  });

  it('a tampered store still gets its report, which says TAMPERED and where', async () => {
    const dir = tempDir();
    const file = buildFixtureStore(dir);
    tamper(file, 5, '{"amount":1,"currency":"EUR","customerAccountId":"acme","orderId":"1001"}');
    const store = openFixture(file);
    try {
      const result = await generateReport(store, GOLDEN_PARAMS.entity, {
        out: path.join(dir, 'r.html'),
        format: 'html',
      });
      expect(result.verification).toEqual({ ok: false, status: 'tampered', firstBadPosition: 5 });
      const html = fs.readFileSync(result.out, 'utf8');
      expect(html).toContain('TAMPERED — this store failed verification');
      expect(html).toContain('At position 5 (modified)');
      expect(html).toContain('@top-right { content: "TAMPERED at position 5');
      const model = buildReportModel(store, GOLDEN_PARAMS.summary);
      expect(model.integrity.verification).toMatchObject({ ok: false, eventsVerified: 4, firstBad: { position: 5 } });
    } finally {
      store.close();
    }
  });

  it('runs as the `report` worker job, with progress, producing the same bytes as in-process', async () => {
    const dir = tempDir();
    const file = buildFixtureStore(dir);
    const store = openFixture(file);
    try {
      const progress: number[] = [];
      const viaJob = await runJob(
        'report',
        {
          path: store.verificationPath,
          access: 'live',
          filePath: file,
          report: GOLDEN_PARAMS.correlation,
          out: path.join(dir, 'job.json'),
          format: 'json',
          now: GOLDEN_NOW,
        },
        { onProgress: (done) => progress.push(done) },
      );
      const local = await generateReport(store, GOLDEN_PARAMS.correlation, {
        out: path.join(dir, 'local.json'),
        format: 'json',
        now: () => GOLDEN_NOW,
      });
      expect(viaJob).toMatchObject({ kind: 'correlation', format: 'json', rows: local.rows, digest: local.digest });
      expect(fs.readFileSync(viaJob.out, 'utf8')).toBe(fs.readFileSync(local.out, 'utf8'));
      expect(progress.length).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  });

  it('pages through a long stream: states and changes match the timeline, across page boundaries', () => {
    const dir = tempDir();
    const store = EventStore.create(path.join(dir, 'meter.hindsight'));
    try {
      store.transaction(() => {
        for (let i = 0; i < 2500; i++) {
          store.append(i % 2 === 0 ? 'meter-1' : 'meter-2', [
            { type: 'Reading', data: { reading: i, [`k${i % 3}`]: i }, recordedAt: Date.UTC(2024, 0, 1) + i * 1000 },
          ]);
        }
      });
      const entity = buildReportModel(store, {
        kind: 'entity',
        streams: ['meter-1'],
        includeState: true,
        includeDiffs: true,
      });
      parseReportModel(entity);
      const events = entity.sections.find((s) => s.type === 'events')!;
      expect(events.count).toBe(1250);
      const page = timeline(store, 'meter-1', { afterVersion: 995, limit: 10 });
      for (const entry of page.entries) {
        const row = events.rows[entry.version - 1] as ReportModel['sections'][number]['rows'][number] & {
          stateAfter: unknown;
          changes: unknown;
        };
        expect(JSON.parse(JSON.stringify(row.stateAfter))).toEqual(JSON.parse(JSON.stringify(entry.stateAfter)));
        expect(row.changes).toEqual(entry.changes);
      }
      // A window across both streams, with diffs, folds each stream incrementally across pages.
      const window = buildReportModel(store, {
        kind: 'window',
        from: Date.UTC(2024, 0, 1) + 100_000,
        to: Date.UTC(2024, 0, 1) + 2_399_000,
        includeDiffs: true,
        includeState: true,
      });
      const rows = window.sections.find((s) => s.type === 'events')!.rows as { position: number; changes: unknown[] }[];
      expect(rows).toHaveLength(2300);
      expect(rows[0]!.position).toBe(101);
      expect(rows.at(-1)!.position).toBe(2400);
      expect(rows[1500]!.changes).toEqual(
        timeline(store, rows[1500]!.position % 2 === 1 ? 'meter-1' : 'meter-2', {
          afterVersion: Math.floor((rows[1500]!.position - 1) / 2),
          limit: 1,
        }).entries[0]!.changes,
      );
      const entities = window.sections.find((s) => s.type === 'entities')!;
      expect(entities.rows).toMatchObject([
        { streamId: 'meter-1', eventsInScope: 1150, version: 1200, state: { reading: 2398 } },
        { streamId: 'meter-2', eventsInScope: 1150, version: 1200, state: { reading: 2399 } },
      ]);
    } finally {
      store.close();
    }
  });

  it('a stream the reducers cannot fold shows why, and the rest of the report is complete', () => {
    const dir = tempDir();
    // Sample events of the wrong shape for the accounts domain: the domain reducer refuses them.
    const store = makeStore(dir, 30, 3);
    try {
      const model = buildReportModel(store, {
        kind: 'entity',
        streams: ['account-0'],
        includeState: true,
        includeDiffs: true,
      });
      parseReportModel(model);
      const rows = model.sections[1]!.rows as { stateError?: string; stateAfter?: unknown }[];
      expect(rows).toHaveLength(10);
      expect(rows[0]!.stateError).toMatch(/could not be reconstructed/);
      expect(rows.every((r) => r.stateAfter === null)).toBe(true);
    } finally {
      store.close();
    }
  });

  it('actor reports list the actor’s rejected commands; correlation reports the chain with its rejected follow-up', () => {
    const dir = tempDir();
    const store = openFixture(buildFixtureStore(dir));
    try {
      const actor = buildReportModel(store, GOLDEN_PARAMS.actor);
      const commands = actor.sections.find((s) => s.type === 'commands')!.rows as {
        commandId: string;
        outcome: string;
      }[];
      expect(commands.map((c) => `${c.commandId}:${c.outcome}`)).toEqual([
        'cmd-open-acme:accepted',
        'cmd-dep-1:accepted',
        'cmd-close-acme:rejected',
        'cmd-adj-1:accepted',
      ]);
      expect(actor.overview).toMatchObject({ events: 5, commands: 4, rejectedCommands: 1 });

      const chain = buildReportModel(store, { kind: 'correlation', correlationId: 'c-order-1001' });
      const nodes = chain.sections[0]!.rows as { node: string; id: string; depth: number; streamId: string }[];
      expect(nodes.map((n) => `${n.depth}:${n.node}:${n.streamId}`)).toEqual([
        '0:command:order-1001',
        '1:event:order-1001',
        '0:command:order-1001',
        '1:event:order-1001',
        '2:command:account-acme',
        '3:event:account-acme',
      ]);
      expect(nodes[3]!.id).toBe(eventId(5));
      const rejected = buildReportModel(store, GOLDEN_PARAMS.correlation);
      expect(rejected.overview).toMatchObject({ commands: 3, rejectedCommands: 1 });
    } finally {
      store.close();
    }
  });
});
