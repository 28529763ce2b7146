import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/index';
import { memoryIO } from '../../../electron/cli/io';
import { REPORT_CSV_COLUMNS } from '../../../electron/core/reports/renderCsv';
import { parseReportModel } from '../../../electron/core/reports/schema';
import { snapshotFolder } from '../../helpers/storeFixtures';
import { useTempDir } from '../../helpers/tempDir';
import { buildFixtureStore, FIXTURE_NOTES, FIXTURE_STORE_ID } from './fixture';

// biome-ignore lint/correctness/useHookAtTopLevel: useTempDir is a Vitest helper (afterEach cleanup), not a React hook.
const tempDir = useTempDir('hindsight-report-cli-');

async function cli(...args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('hindsight report', () => {
  it('writes each format (chosen by --format or the extension), never touching the store; exit 0', async () => {
    const dir = tempDir();
    const file = buildFixtureStore(dir);
    const before = snapshotFolder(dir);
    const notes = path.join(dir, 'notes.json');
    fs.writeFileSync(notes, JSON.stringify(FIXTURE_NOTES));
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);

    const html = await cli(
      'report',
      file,
      '--kind',
      'entity',
      '--stream',
      'account-acme,ticket-7',
      '--include-state',
      '--include-diffs',
      '--notes',
      notes,
      '--out',
      path.join(out, 'entity.html'),
    );
    expect(html).toMatchObject({ code: 0, stderr: '' });
    expect(html.stdout).toMatch(
      new RegExp(
        `^Wrote .*entity\\.html: entity report \\(html\\), 9 rows, [\\d,]+ bytes; store ${FIXTURE_STORE_ID}, digest 12:[0-9a-f]{64}, intact\\.\\n$`,
      ),
    );
    const page = fs.readFileSync(path.join(out, 'entity.html'), 'utf8');
    expect(page).toContain('Paid by the 2.4.0 worker &lt;b&gt;before&lt;/b&gt; the rollback');
    expect(page).toContain('hindsight-cli');

    const csv = await cli(
      'report',
      file,
      '--kind',
      'actor',
      '--actor',
      'support:alice',
      '--out',
      path.join(out, 'alice.csv'),
    );
    expect(csv.code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'alice.csv'), 'utf8').split('\r\n')[0]).toBe(REPORT_CSV_COLUMNS.join(','));

    const json = await cli(
      'report',
      file,
      '--kind',
      'window',
      '--from',
      '2024-05-01T09:00Z',
      '--to',
      '2024-05-01T09:05Z',
      '--format',
      'json',
      '--out',
      path.join(out, 'window.report'),
      '--json',
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'window', format: 'json', verification: { ok: true } });
    const model = parseReportModel(JSON.parse(fs.readFileSync(path.join(out, 'window.report'), 'utf8')));
    expect(model.generator.name).toBe('hindsight-cli');
    expect(model.integrity.fileName).toBe('fixture.hindsight');

    expect(snapshotFolder(dir)['fixture.hindsight']).toEqual(before['fixture.hindsight']);
  });

  it('usage errors and unreadable stores exit 2 and write nothing', async () => {
    const dir = tempDir();
    const file = buildFixtureStore(dir);
    const out = path.join(dir, 'r.html');
    const cases: [string[], RegExp][] = [
      [['report', file, '--out', out], /--kind is required/],
      [['report', file, '--kind', 'entity', '--out', out], /needs --stream/],
      [
        ['report', file, '--kind', 'window', '--from', '2024-05-01T09:00Z', '--out', out],
        /needs --from ISO and --to ISO/,
      ],
      [['report', file, '--kind', 'summary', '--format', 'docx', '--out', out], /--format must be one of/],
      [['report', file, '--kind', 'summary', '--actor', 'x', '--out', out], /does not apply to a summary report/],
      [['report', file, '--kind', 'entity', '--stream', 'nope-1', '--out', out], /no stream "nope-1"/],
      [['report', path.join(dir, 'missing.hindsight'), '--kind', 'summary', '--out', out], /missing\.hindsight/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['fixture.hindsight']);
  });

  it('a tampered store: the report is written, says TAMPERED, and the exit code is 1', async () => {
    const dir = tempDir();
    const file = buildFixtureStore(dir);
    const db = new Database(file);
    db.exec('DROP TRIGGER events_append_only_update');
    db.prepare('UPDATE events SET metadata = \'{"actor":"nobody"}\' WHERE global_position = 3').run();
    db.close();
    const out = path.join(dir, 'r.html');
    const result = await cli('report', file, '--kind', 'summary', '--out', out);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FAILED verification \(first break at position 3\)/);
    expect(result.stdout).toMatch(/TAMPERED\.\n$/);
    expect(fs.readFileSync(out, 'utf8')).toContain('TAMPERED — this store failed verification');
  });
});
