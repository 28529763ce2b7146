import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/index';
import { memoryIO } from '../../../electron/cli/io';
import { parseReportModel } from '../../../electron/core/reports/schema';
import { snapshotFolder } from '../../helpers/storeFixtures';
import { runCliProcess } from '../../helpers/storeProcess';
import { useTempDir } from '../../helpers/tempDir';
import { readEmmettBack, writeDemoEmmettStore } from '../../support/emmett';
import { csvObjects } from '../../unit/reports/rfc4180';

// biome-ignore lint/correctness/useHookAtTopLevel: useTempDir is a Vitest helper (afterEach cleanup), not a React hook.
const tempDir = useTempDir('hindsight-cli-foreign-');

/** Runs the CLI in this process (same code path as the binary, minus process start-up). */
async function cli(...args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const MAP =
  'table=audit_log,stream=aggregate_id,type=event_name,data=payload,position=seq,version=revision,metadata=headers,time=created_at';

/** An audit table as some other application keeps it: no hash chain, its own column names. */
function writeAuditTable(file: string): void {
  const db = new Database(file);
  db.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
    CREATE TABLE audit_log (
      seq INTEGER PRIMARY KEY, aggregate_id TEXT NOT NULL, revision INTEGER, event_name TEXT,
      payload TEXT, headers TEXT, created_at TEXT);`);
  const insert = db.prepare(
    'INSERT INTO audit_log (aggregate_id, revision, event_name, payload, headers, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  insert.run('cart-1', 1, 'CartOpened', '{"owner":"ada"}', '{"actor":"ada"}', '2024-03-01 09:00:00');
  insert.run('cart-2', 1, 'CartOpened', '{"owner":"bob"}', '{"actor":"bob"}', '2024-03-01 09:05:00');
  insert.run('cart-1', 2, 'ItemAdded', '{"sku":"A-1","qty":2}', '{"actor":"ada"}', '2024-03-01T09:10:00Z');
  insert.run(
    'cart-1',
    3,
    'ItemAdded',
    '{"sku":"B-7","qty":1,"note":"gift wrap"}',
    '{"actor":"ada"}',
    '2024-03-01 09:20:00',
  );
  insert.run('cart-2', 2, 'CartClosed', '{"reason":"abandoned"}', '{"actor":"bob"}', '2024-03-01 10:00:00');
  db.close();
}

/** The source folder (only the file in it) and a cache folder beside it, never inside it. */
function setUp() {
  const dir = tempDir();
  const shared = path.join(dir, 'shared');
  fs.mkdirSync(shared);
  const file = path.join(shared, 'audit.db');
  writeAuditTable(file);
  const cache = path.join(dir, 'cache');
  const out = path.join(dir, 'out');
  fs.mkdirSync(out);
  return { dir, shared, file, cache, out, before: snapshotFolder(shared) };
}

describe('the CLI on a SQLite table of events read through --map', () => {
  it('info, history, state, search and report read it; verify exits 3 (no tamper evidence); the file and its folder stay untouched', async () => {
    const { shared, file, cache, out, before } = setUp();
    const foreign = ['--map', MAP, '--cache-dir', cache];

    const info = await cli('info', file, ...foreign);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toContain('mapped table "audit_log" (a foreign store, read through an adapter)');
    expect(info.stdout).toContain(`--map ${MAP}`);
    expect(info.stdout).toMatch(new RegExp(`^SHA-256 +${sha256(file)}$`, 'm'));
    expect(info.stdout).toContain('no hash chain: no tamper evidence');
    expect(info.stdout).toMatch(/^Rows read +5$/m);
    expect(info.stdout).toMatch(/^Events +5 in 2 streams$/m);
    expect(info.stdout).not.toMatch(/^Digest/m);
    const infoJson = await cli('info', file, ...foreign, '--json');
    expect(JSON.parse(infoJson.stdout)).toMatchObject({
      foreign: true,
      kind: 'table',
      label: 'mapped table "audit_log"',
      mapping: { table: 'audit_log', stream: 'aggregate_id', type: 'event_name', data: 'payload', position: 'seq' },
      fileSha256: sha256(file),
      integrity: { status: 'unprovable', statement: expect.stringContaining('No tamper evidence') },
      rows: 5,
      adjusted: 0,
      timeSource: 'column',
      events: 5,
      streams: 2,
    });

    const history = await cli('history', file, ...foreign, '--stream', 'cart-1');
    expect(history.code, history.stderr).toBe(0);
    expect(history.stderr).toContain('is a foreign store, read through an adapter (mapped table "audit_log")');
    expect(history.stderr).toContain('No tamper evidence');
    const lines = history.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => [l.streamVersion, l.type, l.data])).toEqual([
      [1, 'CartOpened', { owner: 'ada' }],
      [2, 'ItemAdded', { sku: 'A-1', qty: 2 }],
      [3, 'ItemAdded', { sku: 'B-7', qty: 1, note: 'gift wrap' }],
    ]);
    expect(lines[1]).toMatchObject({ recordedAt: '2024-03-01T09:10:00.000Z', metadata: { actor: 'ada' } });

    const state = await cli('state', file, ...foreign, '--stream', 'cart-1', '--version', '2', '--json');
    expect(state.code, state.stderr).toBe(0);
    expect(JSON.parse(state.stdout)).toEqual({
      streamId: 'cart-1',
      version: 2,
      state: { owner: 'ada', sku: 'A-1', qty: 2 },
    });

    const search = await cli('search', file, ...foreign, '--text', 'gift', '--json');
    expect(search.code, search.stderr).toBe(0);
    const found = JSON.parse(search.stdout) as { total: number; events: { streamId: string; type: string }[] };
    expect(found.total).toBe(1);
    expect(found.events[0]).toMatchObject({ streamId: 'cart-1', type: 'ItemAdded' });
    const byActor = await cli('search', file, ...foreign, '--actor', 'bob', '--csv');
    expect(byActor.code).toBe(0);
    expect(csvObjects(byActor.stdout).map((row) => row.type)).toEqual(['CartOpened', 'CartClosed']);

    const reportFile = path.join(out, 'cart-1.json');
    const report = await cli('report', file, ...foreign, '--kind', 'entity', '--stream', 'cart-1', '--out', reportFile);
    expect(report.code, report.stderr).toBe(3);
    expect(report.stdout).toContain(`file SHA-256 ${sha256(file)}, no hash chain: no tamper evidence`);
    expect(report.stdout).not.toMatch(/intact/);
    const model = parseReportModel(JSON.parse(fs.readFileSync(reportFile, 'utf8')));
    expect(model.integrity).toMatchObject({
      fileName: 'audit.db',
      fileSha256: sha256(file),
      verification: { ok: false, status: 'unprovable', eventsVerified: 0, firstBad: null },
      foreign: {
        statement:
          'No tamper evidence: mapped table "audit_log" has no hash chain; this report identifies the file by its SHA-256 only.',
      },
    });
    expect(model.integrity.recheck).toBe(`To re-check: \`sha256sum audit.db\` must print ${sha256(file)}`);
    expect(model.sections.find((s) => s.type === 'events')?.count).toBe(3);

    const verify = await cli('verify', file, ...foreign);
    expect(verify.code).toBe(3);
    expect(verify.stdout).toContain('NOT VERIFIED');
    expect(verify.stdout).toContain('it has no hash chain, so nothing can be verified: no tamper evidence');
    expect(verify.stdout).toContain(`SHA-256 ${sha256(file)}`);
    expect(verify.stdout).not.toMatch(/\bOK\b|intact/);
    const verifyJson = await cli('verify', file, ...foreign, '--json');
    expect(verifyJson.code).toBe(3);
    expect(JSON.parse(verifyJson.stdout)).toMatchObject({
      ok: false,
      status: 'unprovable',
      events: 0,
      fileSha256: sha256(file),
    });
    // Without the mapping it is still no store with a hash chain: verify never passes a foreign file.
    const bare = await cli('verify', file);
    expect(bare.code).toBe(3);
    expect(bare.stdout).toContain('no hash chain');

    // The source file: same bytes, same modification time, nothing created beside it.
    expect(snapshotFolder(shared)).toEqual(before);
    // The derived store lives in the cache folder, built once and reused.
    expect(fs.readdirSync(path.join(cache, 'foreign')).filter((f) => f.endsWith('.hindsight'))).toHaveLength(1);
  });

  it('copy and digest refuse a foreign store: a verified copy and a digest prove a hash chain, and it has none (exit 3)', async () => {
    const { shared, file, out, before } = setUp();
    const copy = await cli('copy', file, path.join(out, 'copy.hindsight'));
    expect(copy.code).toBe(3);
    expect(copy.stderr).toContain('it has no hash chain (no tamper evidence), so no verified copy can be made');
    expect(copy.stderr).toContain(sha256(file));
    expect(fs.readdirSync(out)).toEqual([]);
    const digest = await cli('digest', file, '--json');
    expect(digest.code).toBe(3);
    expect(JSON.parse(digest.stdout)).toMatchObject({
      error: { code: 'not_a_store', details: { unprovable: true, fileSha256: sha256(file) } },
    });
    expect(snapshotFolder(shared)).toEqual(before);
  });

  it('a bad --map or --mapping is a usage error naming the key (exit 2), and nothing is read', async () => {
    const { shared, file, cache, dir, before } = setUp();
    const run = (...args: string[]) => cli('info', file, '--cache-dir', cache, ...args);

    const unknown = await run('--map', 'tabel=audit_log,stream=aggregate_id,type=event_name,data=payload');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^error: Unknown --map key "tabel": the keys are table, stream, type, data, position, version, metadata, time, eventId\. Run "hindsight info --help"/,
    );

    const noValue = await run('--map', 'table=audit_log,stream=,type=event_name,data=payload');
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toContain('--map stream= needs a column name');

    const noEquals = await run('--map', 'table=audit_log,aggregate_id');
    expect(noEquals.code).toBe(2);
    expect(noEquals.stderr).toContain('--map entry "aggregate_id" needs the form key=COLUMN');

    const missing = await run('--map', 'table=audit_log,stream=aggregate_id');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing: type, data');

    const noTable = await run('--map', 'table=audit,stream=aggregate_id,type=event_name,data=payload');
    expect(noTable.code).toBe(2);
    expect(noTable.stderr).toContain('has no table named "audit" (its tables: audit_log, customers)');

    const noColumn = await run('--map', 'table=audit_log,stream=aggregate,type=event_name,data=payload');
    expect(noColumn.code).toBe(2);
    expect(noColumn.stderr).toContain('has no column "aggregate" (chosen for the stream) (--map stream=…)');
    expect(noColumn.stderr).toContain(
      'The columns of "audit_log": seq, aggregate_id, revision, event_name, payload, headers, created_at',
    );

    const mappingFile = path.join(dir, 'mapping.json');
    fs.writeFileSync(
      mappingFile,
      JSON.stringify({
        table: 'audit_log',
        stream: 'aggregate_id',
        type: 'event_name',
        data: 'payload',
        when: 'created_at',
      }),
    );
    const badFile = await run('--mapping', mappingFile);
    expect(badFile.code).toBe(2);
    expect(badFile.stderr).toContain('Unknown --mapping');
    expect(badFile.stderr).toContain('key "when"');

    const json = await run('--map', 'tabel=x', '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'invalid_input', details: { field: 'tabel' } } });

    expect(snapshotFolder(shared)).toEqual(before);
  });

  it('without a mapping, a SQLite file that is no store lists its tables and suggests a --map line that works', async () => {
    const { shared, file, cache, dir, before } = setUp();
    const refused = await cli('info', file, '--cache-dir', cache);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `error: ${file} is a SQLite database but not a Hindsight event store (its tables: audit_log, customers).`,
    );
    expect(refused.stderr).toContain('To read one of its tables (audit_log: 5 rows, customers: 0 rows) as events');
    expect(refused.stderr).toContain('--map');
    const suggested = /Suggested from its column names: --map '([^']+)'/.exec(refused.stderr)?.[1];
    expect(suggested).toBe(MAP);

    const json = await cli('history', file, '--stream', 'cart-1', '--cache-dir', cache, '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      error: {
        code: 'not_a_store',
        details: { tables: ['audit_log', 'customers'], mappable: true, suggestedMap: MAP },
      },
    });

    // The suggestion, copied, reads the table; a --mapping file with the same columns reads the same.
    const mapped = await cli('info', file, '--cache-dir', cache, '--map', suggested!, '--json');
    expect(mapped.code, mapped.stderr).toBe(0);
    const mappingFile = path.join(dir, 'mapping.json');
    fs.writeFileSync(
      mappingFile,
      JSON.stringify({
        data: 'payload',
        type: 'event_name',
        stream: 'aggregate_id',
        table: 'audit_log',
        position: 'seq',
      }),
    );
    const fromFile = await cli(
      'info',
      file,
      '--cache-dir',
      cache,
      '--mapping',
      mappingFile,
      '--map',
      'version=revision,metadata=headers,time=created_at',
      '--json',
    );
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toEqual(JSON.parse(mapped.stdout));

    expect(snapshotFolder(shared)).toEqual(before);
  });

  it('runs as a real process: verify exits 3; the derived store goes to $XDG_CACHE_HOME/hindsight and is reused', async () => {
    const { dir, shared, file, before } = setUp();
    const xdg = path.join(dir, 'xdg');
    const env = { ...process.env, XDG_CACHE_HOME: xdg };
    const verify = await runCliProcess(['verify', file, '--map', MAP], { env });
    expect(verify.code).toBe(3);
    expect(verify.stdout).toContain('no hash chain');
    expect(fs.existsSync(path.join(xdg, 'hindsight'))).toBe(false); // verify reads nothing but the bytes

    const first = await runCliProcess(['history', file, '--map', MAP, '--stream', 'cart-2'], { env });
    expect(first.code, first.stderr).toBe(0);
    const derived = fs.readdirSync(path.join(xdg, 'hindsight', 'foreign'));
    expect(derived.filter((f) => f.endsWith('.hindsight'))).toHaveLength(1);
    const derivedPath = path.join(xdg, 'hindsight', 'foreign', derived[0]!);
    const built = fs.statSync(derivedPath);
    const second = await runCliProcess(['history', file, '--map', MAP, '--stream', 'cart-2'], { env });
    expect(second.stdout).toBe(first.stdout);
    // Reused, not rebuilt: a rebuild renames a new file into place (a new inode). Its mtime only marks the use.
    const reused = fs.statSync(derivedPath);
    expect(reused.ino).toBe(built.ino);
    expect(reused.mtimeMs).toBeGreaterThanOrEqual(built.mtimeMs);
    expect(snapshotFolder(shared)).toEqual(before);
  });
});

describe('the CLI on an Emmett SQLite event store (written by the real package)', () => {
  it('is detected without --map: info says what it is, history lists the events the package wrote', async () => {
    const dir = tempDir();
    const shared = path.join(dir, 'shared');
    fs.mkdirSync(shared);
    const file = path.join(shared, 'carts.db');
    await writeDemoEmmettStore(file);
    const expected = await readEmmettBack(file);
    const before = snapshotFolder(shared);
    const cache = path.join(dir, 'cache');

    const info = await cli('info', file, '--cache-dir', cache);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/^Kind +Emmett SQLite event store \(a foreign store, read through an adapter\)$/m);
    expect(info.stdout).toMatch(new RegExp(`^SHA-256 +${sha256(file)}$`, 'm'));
    expect(info.stdout).toContain('no tamper evidence');
    const events = expected.reduce((n, s) => n + s.events.length, 0);
    expect(info.stdout).toMatch(new RegExp(`^Events +${events} in ${expected.length} streams$`, 'm'));

    for (const stream of expected) {
      const history = await cli('history', file, '--cache-dir', cache, '--stream', stream.streamName, '--json');
      expect(history.code, history.stderr).toBe(0);
      const lines = JSON.parse(history.stdout) as {
        eventId: string;
        type: string;
        data: unknown;
        streamVersion: number;
      }[];
      expect(lines.map((l) => l.type)).toEqual(stream.events.map((e) => e.type));
      expect(lines.map((l) => l.eventId)).toEqual(stream.events.map((e) => e.messageId));
      expect(lines.map((l) => String(l.streamVersion))).toEqual(stream.events.map((e) => e.streamPosition));
      expect(lines.map((l) => l.data)).toEqual(stream.events.map((e) => e.data));
    }

    const verify = await cli('verify', file, '--cache-dir', cache);
    expect(verify.code).toBe(3);
    expect(verify.stdout).toContain('a foreign store (Emmett SQLite event store)');
    expect(snapshotFolder(shared)).toEqual(before);
  });
});
