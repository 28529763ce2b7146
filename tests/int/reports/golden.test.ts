import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReport } from '../../../electron/core/reports/generate';
import { REPORT_CSV_COLUMNS } from '../../../electron/core/reports/renderCsv';
import {
  parseReportModel,
  REPORT_KINDS,
  type ReportFormat,
  type ReportModel,
  reportJsonSchema,
} from '../../../electron/core/reports/schema';
import type { EventStore } from '../../../electron/core/store/eventStore';
import { csvObjects } from '../../unit/reports/rfc4180';
import { buildFixtureStore, GOLDEN_GENERATOR, GOLDEN_NOW, GOLDEN_PARAMS, openFixture } from './fixture';

/**
 * Golden files: every report kind × HTML, CSV and JSON, generated from the fixture store with a fixed clock,
 * compared byte for byte with tests/fixtures/golden/report-<kind>.<ext>. `UPDATE_GOLDEN=1` rewrites them (review
 * the diff!). The file's SHA-256 and size are replaced by placeholders first, because SQLite versions may lay
 * out the same database in different bytes; a separate test checks those two values against the file.
 */

const GOLDEN_DIR = path.resolve(__dirname, '../../fixtures/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const FORMATS = ['html', 'csv', 'json'] as const satisfies readonly ReportFormat[];

let dir: string;
let file: string;
let store: EventStore;
let sha256: string;
let size: number;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hindsight-golden-'));
  file = buildFixtureStore(dir);
  const bytes = fs.readFileSync(file);
  sha256 = createHash('sha256').update(bytes).digest('hex');
  size = bytes.length;
  store = openFixture(file);
});

afterAll(() => {
  store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function normalise(text: string): string {
  return text
    .replaceAll(sha256, '<file-sha256>')
    .replaceAll(`"fileSize":${size},`, '"fileSize":"<file-size>",')
    .replaceAll(`${size.toLocaleString('en-US')} bytes`, '<file-size> bytes');
}

async function generate(kind: (typeof REPORT_KINDS)[number], format: ReportFormat, now = GOLDEN_NOW): Promise<string> {
  const out = path.join(dir, `report-${kind}-${now}.${format}`);
  await generateReport(store, GOLDEN_PARAMS[kind], { out, format, now: () => now, generator: GOLDEN_GENERATOR });
  return fs.readFileSync(out, 'utf8');
}

describe('golden reports of the fixture store', () => {
  for (const kind of REPORT_KINDS) {
    it(`${kind}: HTML, CSV and JSON equal their golden files`, async () => {
      for (const format of FORMATS) {
        const text = normalise(await generate(kind, format));
        const golden = path.join(GOLDEN_DIR, `report-${kind}.${format}`);
        if (UPDATE || !fs.existsSync(golden)) {
          fs.mkdirSync(GOLDEN_DIR, { recursive: true });
          fs.writeFileSync(golden, text);
          if (!UPDATE) throw new Error(`${golden} did not exist and was written: review it and run again.`);
        }
        expect(text, `${golden} differs (UPDATE_GOLDEN=1 rewrites it)`).toBe(fs.readFileSync(golden, 'utf8'));
      }
    });
  }

  it('the evidence names the real file: its SHA-256, size, store id and digest', async () => {
    const model = JSON.parse(await generate('summary', 'json')) as ReportModel;
    expect(model.integrity).toMatchObject({
      fileName: 'fixture.hindsight',
      fileSha256: sha256,
      fileSize: size,
      storeId: store.storeId,
      digest: store.info().digest,
      verification: { ok: true, status: 'intact', eventsVerified: 12, firstBad: null },
    });
    expect(model.integrity.recheck).toBe(
      `To re-check: \`hindsight verify fixture.hindsight --digest ${store.info().digest}\``,
    );
  });

  it('is deterministic: two runs differ only in the generation-time line', async () => {
    for (const kind of REPORT_KINDS) {
      for (const format of FORMATS) {
        const a = await generate(kind, format, GOLDEN_NOW);
        const b = await generate(kind, format, GOLDEN_NOW + 3_600_000);
        const la = a.split('\n');
        const lb = b.split('\n');
        expect(la.length).toBe(lb.length);
        const differing = la.filter((line, i) => line !== lb[i]);
        if (format === 'csv') expect(differing).toEqual([]);
        else {
          expect(differing, `${kind}.${format}`).toHaveLength(1);
          expect(differing[0]).toContain('2024-05-03');
        }
      }
    }
  });

  it('JSON reports validate against the zod schema and the published JSON Schema', async () => {
    let ajvValidate: ((value: unknown) => boolean) | undefined;
    let ajvErrors: () => unknown = () => null;
    try {
      // ajv is not a dependency of the project; it is present here through other packages. Used when found.
      const Ajv2020 = (await import('ajv/dist/2020')).default as unknown as new (
        opts: object,
      ) => {
        compile(schema: object): ((value: unknown) => boolean) & { errors?: unknown };
      };
      const validate = new Ajv2020({ strict: false, allErrors: true }).compile(reportJsonSchema());
      ajvValidate = validate;
      ajvErrors = () => validate.errors;
    } catch {
      console.warn('ajv is not installed: the JSON Schema check is skipped (the zod schema is still checked)');
    }
    for (const kind of REPORT_KINDS) {
      const parsed = JSON.parse(await generate(kind, 'json')) as unknown;
      expect(() => parseReportModel(parsed), kind).not.toThrow();
      if (ajvValidate !== undefined) expect(ajvValidate(parsed), JSON.stringify(ajvErrors())).toBe(true);
      // And the schema does refuse a broken report.
      const broken = { ...(parsed as ReportModel), schemaVersion: 2 };
      expect(() => parseReportModel(broken)).toThrow();
      if (ajvValidate !== undefined) expect(ajvValidate(broken)).toBe(false);
    }
  });

  it('CSV parsed back by a strict RFC 4180 parser gives exactly the stored events', async () => {
    const db = new Database(file, { readonly: true });
    try {
      const stored = db
        .prepare(
          'SELECT global_position, event_id, stream_id, stream_version, event_type, schema_version, data, metadata, recorded_at, occurred_at, hash FROM events WHERE global_position = ?',
        )
        .raw(true);
      for (const kind of REPORT_KINDS) {
        const text = await generate(kind, 'csv');
        const rows = csvObjects(text);
        const model = JSON.parse(await generate(kind, 'json')) as ReportModel;
        const listed = model.sections.flatMap((s) =>
          s.type === 'events' || s.type === 'commands' ? s.rows.map(() => s.type.slice(0, -1)) : [],
        );
        expect(
          rows.map((r) => r.record),
          kind,
        ).toEqual(listed);
        for (const row of rows) {
          expect(Object.keys(row)).toEqual([...REPORT_CSV_COLUMNS]);
          expect(row).toMatchObject({
            storeId: store.storeId,
            storeDigest: store.info().digest,
            storeVerified: 'true',
          });
          if (row.record !== 'event') continue;
          const [
            position,
            eventId,
            streamId,
            version,
            type,
            schemaVersion,
            data,
            metadata,
            recordedAt,
            occurredAt,
            hash,
          ] = stored.get(Number(row.position)) as [
            number,
            string,
            string,
            number,
            string,
            number,
            string,
            string,
            number,
            number,
            string,
          ];
          expect(row).toMatchObject({
            position: String(position),
            eventId,
            streamId,
            version: String(version),
            type,
            schemaVersion: String(schemaVersion),
            recordedAt: new Date(recordedAt).toISOString(),
            occurredAt: new Date(occurredAt).toISOString(),
            // Byte for byte what the store holds and hashes.
            data,
            metadata,
            hash,
          });
        }
      }
    } finally {
      db.close();
    }
  });
});

describe('docs/report-format.md', () => {
  const docsFile = path.resolve(__dirname, '../../../docs/report-format.md');
  let docs = fs.readFileSync(docsFile, 'utf8');
  if (UPDATE) {
    // UPDATE_GOLDEN=1 also rewrites the schema printed in the docs.
    docs = docs.replace(
      /(<!-- report-json-schema:start -->\n)[\s\S]*?(<!-- report-json-schema:end -->)/,
      (_, start: string, end: string) =>
        `${start}\`\`\`json\n${JSON.stringify(reportJsonSchema(), null, 2)}\n\`\`\`\n${end}`,
    );
    fs.writeFileSync(docsFile, docs);
  }

  function between(start: string, end: string): string {
    const a = docs.indexOf(start);
    const b = docs.indexOf(end);
    expect(a).toBeGreaterThan(-1);
    expect(b).toBeGreaterThan(a);
    return docs.slice(a + start.length, b);
  }

  it('prints exactly the JSON Schema the code exports', () => {
    const block = between('<!-- report-json-schema:start -->', '<!-- report-json-schema:end -->');
    const json = /```json\n([\s\S]*)\n```/.exec(block)?.[1];
    expect(json, 'the schema block').toBeDefined();
    expect(JSON.parse(json!)).toEqual(reportJsonSchema());
  });

  it('lists the CSV columns in the order the CSV writes them', () => {
    const table = between('<!-- csv-columns:start -->', '<!-- csv-columns:end -->');
    const columns = [...table.matchAll(/^\| `([a-zA-Z]+)`/gm)].map((m) => m[1]);
    expect(columns).toEqual([...REPORT_CSV_COLUMNS]);
  });
});
