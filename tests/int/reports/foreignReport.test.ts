import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/index';
import { memoryIO } from '../../../electron/cli/io';
import { materializeParams, openDerived } from '../../../electron/core/foreign/derivedStore';
import { materializeForeign } from '../../../electron/core/foreign/materialize';
import { generateReport } from '../../../electron/core/reports/generate';
import {
  parseReportModel,
  type ReportFormat,
  type ReportModel,
  reportJsonSchema,
} from '../../../electron/core/reports/schema';
import type { EventStore } from '../../../electron/core/store/eventStore';
import type { ColumnMapping } from '../../../shared/types';
import { makeServices } from '../../helpers/services';
import { snapshotFolder } from '../../helpers/storeFixtures';
import { useTempDir } from '../../helpers/tempDir';
import { csvObjects } from '../../unit/reports/rfc4180';
import { buildFixtureStore, GOLDEN_GENERATOR, GOLDEN_NOW, openFixture } from './fixture';

// biome-ignore lint/correctness/useHookAtTopLevel: useTempDir is a Vitest helper (afterEach cleanup), not a React hook.
const tempDir = useTempDir('hindsight-foreign-report-');

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const MAPPING: ColumnMapping = {
  table: 'audit_log',
  stream: 'aggregate_id',
  type: 'event_name',
  data: 'payload',
  position: 'seq',
  metadata: 'headers',
  time: 'created_at',
};
const STATEMENT =
  'No tamper evidence: mapped table "audit_log" has no hash chain; this report identifies the file by its SHA-256 only.';

function writeAuditTable(file: string): void {
  const db = new Database(file);
  db.exec(`CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, aggregate_id TEXT, event_name TEXT, payload TEXT,
    headers TEXT, created_at TEXT)`);
  const insert = db.prepare(
    'INSERT INTO audit_log (aggregate_id, event_name, payload, headers, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  insert.run('cart-1', 'CartOpened', '{"owner":"ada"}', '{"actor":"ada"}', '2024-03-01 09:00:00');
  insert.run('cart-1', 'ItemAdded', '{"sku":"A-1"}', '{"actor":"ada"}', '2024-03-01 09:10:00');
  insert.run('cart-2', 'CartOpened', '{"owner":"<b>bob</b>"}', '{"actor":"bob"}', '2024-03-01 09:20:00');
  db.close();
}

/** A mapped table read into its derived store, as the app and the CLI do. */
function readForeign() {
  const dir = tempDir();
  const shared = path.join(dir, 'shared');
  fs.mkdirSync(shared);
  const file = path.join(shared, 'audit.db');
  writeAuditTable(file);
  const sha = sha256(file);
  const params = materializeParams(file, sha, { kind: 'table', mapping: MAPPING }, path.join(dir, 'cache'));
  materializeForeign(params);
  const derived = openDerived(params.target);
  const out = path.join(dir, 'out');
  fs.mkdirSync(out);
  return { dir, shared, file, sha, derived, out };
}

/** Validates against the published JSON Schema when ajv is present (through other packages; not a dependency). */
async function expectValidJsonSchema(value: unknown): Promise<void> {
  let Ajv2020: new (opts: object) => { compile(schema: object): ((v: unknown) => boolean) & { errors?: unknown } };
  try {
    Ajv2020 = (await import('ajv/dist/2020')).default as unknown as typeof Ajv2020;
  } catch {
    console.warn('ajv is not installed: the JSON Schema check is skipped (the zod schema is still checked)');
    return;
  }
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(reportJsonSchema());
  expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
}

async function report(
  store: EventStore,
  out: string,
  format: ReportFormat,
  opts: Partial<Parameters<typeof generateReport>[2]> = {},
): Promise<string> {
  const target = path.join(out, `summary.${format}`);
  await generateReport(store, { kind: 'summary' }, { out: target, format, now: () => GOLDEN_NOW, ...opts });
  return fs.readFileSync(target, 'utf8');
}

describe('a report of a foreign store', () => {
  it('fingerprints the original file and says, in every format, that there is no tamper evidence', async () => {
    const { shared, file, sha, derived, out } = readForeign();
    const before = snapshotFolder(shared);
    const opts = { filePath: file, foreign: { info: derived.info, sha256: sha } };
    try {
      const parsed = JSON.parse(await report(derived.store, out, 'json', opts)) as unknown;
      const json = parseReportModel(parsed);
      await expectValidJsonSchema(parsed);
      expect(json.integrity).toMatchObject({
        fileName: 'audit.db',
        fileSize: fs.statSync(file).size,
        fileSha256: sha,
        walNotRead: false,
        verification: { ok: false, status: 'unprovable', eventsVerified: 0, firstBad: null },
        recheck: `To re-check: \`sha256sum audit.db\` must print ${sha}`,
        foreign: {
          kind: 'table',
          label: 'mapped table "audit_log"',
          mapping: MAPPING,
          rows: 3,
          adjusted: 0,
          timeSource: 'column',
          statement: STATEMENT,
        },
      });
      // Not the derived store's file: the report names what the user opened.
      expect(json.integrity.fileSha256).not.toBe(sha256(derived.store.path));
      expect(json.sections[0]?.rows).toContainEqual({ label: 'Integrity', value: 'no hash chain: no tamper evidence' });
      expect(json.sections[0]?.rows.map((r) => (r as { label: string }).label)).not.toContain('Created');

      const html = await report(derived.store, out, 'html', opts);
      expect(html).toContain('No tamper evidence — nothing could be verified');
      expect(html).toContain(STATEMENT.replaceAll('"', '&quot;'));
      expect(html).toContain(sha);
      expect(html).toContain('<code>sha256sum audit.db</code>');
      expect(html).not.toContain('hindsight verify');
      expect(html).not.toContain('Chain intact');
      expect(html).not.toContain('Hash chain intact');
      expect(html).not.toContain(json.integrity.digest); // the derived copy's digest is not shown as evidence
      expect(html).not.toContain(json.integrity.headHash);

      const csv = await report(derived.store, out, 'csv', opts);
      const [notice, ...rest] = csvObjects(csv);
      expect(rest).toEqual([]); // a summary lists no events
      expect(notice).toMatchObject({
        record: 'integrity',
        type: 'unprovable',
        storeDigest: `sha256:${sha}`,
        storeVerified: 'unprovable',
      });
      expect(notice?.reason).toBe(`${STATEMENT} To re-check: sha256sum audit.db must print ${sha}.`);

      const entity = path.join(out, 'entity.csv');
      await generateReport(
        derived.store,
        { kind: 'entity', streams: ['cart-1'] },
        { out: entity, format: 'csv', ...opts },
      );
      const records = csvObjects(fs.readFileSync(entity, 'utf8'));
      expect(records.map((r) => [r.record, r.type, r.storeVerified, r.storeDigest])).toEqual([
        ['integrity', 'unprovable', 'unprovable', `sha256:${sha}`],
        ['event', 'CartOpened', 'unprovable', `sha256:${sha}`],
        ['event', 'ItemAdded', 'unprovable', `sha256:${sha}`],
      ]);
    } finally {
      derived.store.close();
    }
    expect(snapshotFolder(shared)).toEqual(before);
  });

  it('is recognised from the derived store itself; it must name the original file, and one changed since is refused', async () => {
    const { file, sha, derived, out } = readForeign();
    try {
      // Without the caller saying so: the derived store records what it was read from.
      const json = parseReportModel(JSON.parse(await report(derived.store, out, 'json', { filePath: file })));
      expect(json.integrity.verification.status).toBe('unprovable');
      expect(json.integrity.fileSha256).toBe(sha);

      // Fingerprinting Hindsight's own derived copy would name the wrong file.
      await expect(report(derived.store, out, 'json')).rejects.toMatchObject({
        code: 'invalid_input',
        details: { field: 'filePath' },
      });

      // The file changed after it was read: its SHA-256 would name bytes the report was not made from.
      const db = new Database(file);
      db.prepare("INSERT INTO audit_log (aggregate_id, event_name, payload) VALUES ('cart-9', 'X', '{}')").run();
      db.close();
      await expect(
        report(derived.store, out, 'json', { filePath: file, foreign: { info: derived.info, sha256: sha } }),
      ).rejects.toMatchObject({ code: 'locked', message: expect.stringContaining('changed after it was read') });
      expect(fs.readdirSync(out).filter((f) => f.startsWith('summary.json'))).toEqual(['summary.json']);
    } finally {
      derived.store.close();
    }
  });

  it('from the app: preview and save pass the foreign file, and the saved report is unprovable', async () => {
    const dir = tempDir();
    const shared = path.join(dir, 'shared');
    fs.mkdirSync(shared);
    const file = path.join(shared, 'audit.db');
    writeAuditTable(file);
    const before = snapshotFolder(shared);
    const { services, pickOnSave } = makeServices(dir);
    const h = services.handlers;
    try {
      await expect(services.openPath(file)).rejects.toMatchObject({ code: 'not_a_store' });
      await h['store.openMapped']({ mapping: MAPPING, remember: false });

      const preview = await h['reports.preview']({ request: { kind: 'summary' } });
      expect(preview.html).toContain('No tamper evidence — nothing could be verified');
      expect(preview.html).toContain(sha256(file));

      const saved = path.join(dir, 'summary.json');
      pickOnSave(saved);
      const record = await h['reports.save']({ request: { kind: 'summary' }, format: 'json' });
      expect(record).toMatchObject({ fileSha256: sha256(file), verification: 'unprovable' });
      const model = JSON.parse(fs.readFileSync(saved, 'utf8')) as ReportModel;
      expect(model.integrity.foreign?.statement).toBe(STATEMENT);
      expect(model.integrity.verification).toMatchObject({ ok: false, status: 'unprovable' });
    } finally {
      services.dispose();
    }
    expect(snapshotFolder(shared)).toEqual(before);
  });
});

describe('a report of a native store', () => {
  it('is unchanged: verified, re-checked with hindsight verify, no foreign member or statement', async () => {
    const dir = tempDir();
    const file = buildFixtureStore(dir);
    const store = openFixture(file);
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    try {
      const opts = { generator: GOLDEN_GENERATOR };
      const json = parseReportModel(JSON.parse(await report(store, out, 'json', opts)));
      expect(json.integrity.verification).toMatchObject({ ok: true, status: 'intact' });
      expect(json.integrity.recheck).toMatch(/^To re-check: `hindsight verify \S+ --digest \d+:[0-9a-f]{64}`$/);
      expect('foreign' in json.integrity).toBe(false);
      const html = await report(store, out, 'html', opts);
      expect(html).toContain('Hash chain intact');
      expect(html).not.toContain('No tamper evidence');
      expect(html).not.toContain('status unprovable');
      const csv = csvObjects(await report(store, out, 'csv', opts));
      expect(csv).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('claiming in its store_meta to be a derived store does not escape verification when the caller knows better', async () => {
    const dir = tempDir();
    const file = buildFixtureStore(dir);
    const db = new Database(file);
    db.prepare("INSERT INTO store_meta (key, value) VALUES ('foreign_source', ?)").run(
      JSON.stringify({
        kind: 'emmett',
        label: 'x',
        mapping: null,
        rows: 0,
        adjusted: 0,
        timeSource: 'file',
        notes: [],
      }),
    );
    db.close();
    const store = openFixture(file);
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    try {
      // The app and the CLI pass `foreign: null` for a store they opened as a Hindsight store.
      const json = parseReportModel(JSON.parse(await report(store, out, 'json', { filePath: file, foreign: null })));
      expect(json.integrity.verification).toMatchObject({ ok: true, status: 'intact' });
      expect('foreign' in json.integrity).toBe(false);
    } finally {
      store.close();
    }
    const io = memoryIO();
    const code = await runCli(['report', file, '--kind', 'summary', '--out', path.join(out, 'cli.json')], io);
    expect(code, io.stderr()).toBe(0);
    expect(io.stdout()).toContain('intact');
  });
});
