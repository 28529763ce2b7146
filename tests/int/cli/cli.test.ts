import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/index';
import { memoryIO } from '../../../electron/cli/io';
import { EventStore } from '../../../electron/core/store/eventStore';
import { makeStore, snapshotFolder } from '../../helpers/storeFixtures';
import { collect, REPO_ROOT, runCliProcess } from '../../helpers/storeProcess';
import { useTempDir } from '../../helpers/tempDir';

// biome-ignore lint/correctness/useHookAtTopLevel: useTempDir is a Vitest helper (afterEach cleanup), not a React hook.
const tempDir = useTempDir('hindsight-cli-');

/** Runs the CLI in this process (same code path as the binary, minus process start-up). */
async function cli(...args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

function json(text: string): unknown {
  return JSON.parse(text);
}

describe('the real CLI process', () => {
  it('--help lists every command and exits 0; no arguments is a usage error (exit 2)', async () => {
    const help = await runCliProcess(['--help']);
    expect(help.code).toBe(0);
    for (const name of ['init', 'append', 'import', 'export', 'verify', 'digest', 'info', 'history']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
    const none = await runCliProcess([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('Usage: hindsight <command>');
  });

  it('init → append → verify → digest, with exit codes and stdout/stderr as documented', async () => {
    const file = path.join(tempDir(), 'audit.hindsight');
    const init = await runCliProcess(['init', file]);
    expect(init).toMatchObject({ code: 0, stderr: '' });
    expect(init.stdout).toMatch(/^Created store .*audit\.hindsight \(store id [0-9a-f-]{36}, format version 1\)\.\n$/);

    const again = await runCliProcess(['init', file]);
    expect(again.code).toBe(2);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(
      /^error: .*audit\.hindsight was not created: a file with that name exists, and a store never overwrites\.\n$/,
    );

    const appended = await runCliProcess([
      'append',
      file,
      '--stream',
      'account-42',
      '--type',
      'AccountOpened',
      '--data',
      '{"owner":"Ann"}',
      '--metadata',
      '{"actor":"ann"}',
      '--expected-version',
      'no_stream',
      '--json',
    ]);
    expect(appended.code, appended.stderr).toBe(0);
    expect(json(appended.stdout)).toMatchObject({
      streamId: 'account-42',
      firstPosition: 1,
      streamVersion: 1,
      duplicate: false,
    });

    const conflict = await runCliProcess([
      'append',
      file,
      '--stream',
      'account-42',
      '--type',
      'X',
      '--data',
      '{}',
      '--expected-version',
      '0',
    ]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toBe('error: Stream account-42 is at version 1, but the append expected no stream yet.\n');

    const verify = await runCliProcess(['verify', file, '--json']);
    expect(verify.code).toBe(0);
    const result = json(verify.stdout) as { ok: boolean; head: { position: number; hash: string } };
    expect(result).toEqual({
      ok: true,
      events: 1,
      head: { position: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      firstBad: null,
    });

    const digest = await runCliProcess(['digest', file]);
    expect(digest).toMatchObject({ code: 0, stdout: `1:${result.head.hash}\n`, stderr: '' });
  });

  it('verify exits 1 on a tampered store and names the position and reason', async () => {
    const dir = tempDir();
    makeStore(dir, 30).close();
    const file = path.join(dir, 'test.hindsight');
    const digest = (await cli('digest', file)).stdout.trim();
    const sql = new Database(file);
    sql.exec(
      `DROP TRIGGER events_append_only_update; UPDATE events SET data = '{"amount":1}' WHERE global_position = 12`,
    );
    sql.close();
    const plain = await runCliProcess(['verify', file]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toBe(
      'TAMPERED: The event at position 12 does not match its hash: its stored content was changed. (11 events before it are intact.)\n',
    );
    const asJson = await runCliProcess(['verify', file, '--digest', digest, '--json']);
    expect(asJson.code).toBe(1);
    expect(json(asJson.stdout)).toEqual({
      ok: false,
      events: 11,
      head: { position: 30, hash: digest.split(':')[1] },
      firstBad: { position: 12, reason: 'modified' },
    });
  });

  it('bad input: one sentence on stderr, exit 2; with --json also {"error": …} on stdout', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'random.db'), Buffer.alloc(4096, 0xab));
    const notSqlite = await runCliProcess(['info', path.join(dir, 'random.db')]);
    expect(notSqlite.code).toBe(2);
    expect(notSqlite.stderr).toMatch(
      /^error: [^\n]*random\.db is not a SQLite database \(its first bytes are not a SQLite header\)\.\n$/,
    );
    const missing = await runCliProcess(['verify', path.join(dir, 'nope.hindsight'), '--json']);
    expect(missing.code).toBe(2);
    expect(json(missing.stdout)).toMatchObject({ error: { code: 'not_found' } });
    expect(missing.stderr).toMatch(/^error: .*nope\.hindsight does not exist\.\n$/);
  });

  it('runs as the package bin (bin/hindsight.mjs) from another working folder', async () => {
    const dir = tempDir();
    const result = await collect(
      spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'hindsight.mjs'), 'init', 'x.hindsight'], { cwd: dir }),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(fs.existsSync(path.join(dir, 'x.hindsight'))).toBe(true);
  });

  it('import, export, history and info round-trip through files', async () => {
    const dir = tempDir();
    const source = makeStore(dir, 40, 4);
    const sourceDigest = source.info().digest;
    source.close();
    const exported = await runCliProcess([
      'export',
      path.join(dir, 'test.hindsight'),
      '--out',
      path.join(dir, 'all.jsonl'),
    ]);
    expect(exported).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const imported = await runCliProcess([
      'import',
      path.join(dir, 'copy.hindsight'),
      path.join(dir, 'all.jsonl'),
      '--json',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(json(imported.stdout)).toMatchObject({ created: true, imported: 40, skipped: 0, head: { position: 40 } });
    expect((await cli('digest', path.join(dir, 'copy.hindsight'))).stdout.trim()).toBe(sourceDigest);
  });
});

describe('CLI commands (in process)', () => {
  it('append: invalid JSON, a bad expected version and missing options are usage errors (exit 2), nothing written', async () => {
    const dir = tempDir();
    makeStore(dir, 1).close();
    const file = path.join(dir, 'test.hindsight');
    const before = snapshotFolder(dir);
    const badJson = await cli('append', file, '--stream', 'a-1', '--type', 'T', '--data', '{oops');
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/^error: --data is not valid JSON \(.+\)\.\n$/);
    const badVersion = await cli(
      'append',
      file,
      '--stream',
      'a-1',
      '--type',
      'T',
      '--data',
      '1',
      '--expected-version',
      'latest',
    );
    expect(badVersion).toMatchObject({
      code: 2,
      stderr: 'error: --expected-version must be a whole number, any, no_stream or exists, not "latest".\n',
    });
    const missing = await cli('append', file, '--type', 'T', '--data', '1');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/The option --stream is required/);
    const badStream = await cli('append', file, '--stream', 'a\tb', '--type', 'T', '--data', '1');
    expect(badStream).toMatchObject({ code: 2, stderr: 'error: The stream id must not contain control characters.\n' });
    const unknown = await cli('append', file, '--strem', 'a-1');
    expect(unknown.stderr).toBe('error: Unknown option --strem. Run "hindsight append --help" for its arguments.\n');
    expect(snapshotFolder(dir)).toEqual(before);
  });

  it('append: a repeated event id is reported as already stored (exit 0), different content is a conflict (exit 1)', async () => {
    const file = path.join(tempDir(), 's.hindsight');
    await cli('init', file);
    const id = '0190a5c4-7b2e-7c1d-9f00-1a2b3c4d5e6f';
    const args = ['append', file, '--stream', 'a-1', '--type', 'T', '--data', '{"n":1}', '--event-id', id];
    expect((await cli(...args)).stdout).toBe('Appended T to a-1 at position 1 (stream version 1).\n');
    expect((await cli(...args)).stdout).toBe(`Already stored: event ${id} is at position 1; nothing was written.\n`);
    const clash = await cli('append', file, '--stream', 'a-1', '--type', 'T', '--data', '{"n":2}', '--event-id', id);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toMatch(/already stored \(position 1\) with different content/);
  });

  it('import: a version mismatch fails the whole import with the line number (exit 1), nothing written', async () => {
    const dir = tempDir();
    const file = path.join(dir, 's.hindsight');
    const jsonl = path.join(dir, 'in.jsonl');
    fs.writeFileSync(
      jsonl,
      [
        '{"streamId":"a-1","type":"T","data":1}',
        '{"streamId":"a-1","type":"T","data":2,"streamVersion":2}',
        '{"streamId":"a-1","type":"T","data":3,"streamVersion":7}',
      ].join('\n'),
    );
    const failed = await cli('import', file, jsonl);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(
      'error: Line 3: streamVersion 7 does not follow on stream a-1, which is at version 2; nothing was imported.\n',
    );
    expect(fs.existsSync(file)).toBe(false); // the store it would have created is not left behind
    const missing = await cli('import', file, path.join(dir, 'none.jsonl'));
    expect(missing.code).toBe(2);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('export to stdout, by stream and from a position; history as JSONL and as one JSON document', async () => {
    const dir = tempDir();
    makeStore(dir, 12, 3).close();
    const file = path.join(dir, 'test.hindsight');
    const all = await cli('export', file);
    expect(all.stdout.trimEnd().split('\n')).toHaveLength(12);
    const some = await cli('export', file, '--stream', 'order-1', '--from-position', '5');
    expect(
      some.stdout
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { globalPosition: number }).globalPosition),
    ).toEqual([5, 8, 11]);
    const history = await cli('history', file, '--stream', 'account-0');
    expect(
      history.stdout
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { streamVersion: number }).streamVersion),
    ).toEqual([1, 2, 3, 4]);
    const historyJson = await cli('history', file, '--stream', 'account-0', '--json');
    expect((json(historyJson.stdout) as unknown[]).length).toBe(4);
    const asOf = await cli('history', file, '--stream', 'account-0', '--as-of', '2000-01-01T00:00:00Z', '--json');
    expect(json(asOf.stdout)).toEqual([]);
    const none = await cli('history', file, '--stream', 'nobody-1');
    expect(none).toMatchObject({ code: 2, stderr: expect.stringMatching(/has no stream nobody-1\.\n$/) });
  });

  it('info prints a summary, or the StoreInfo as JSON; reading commands leave the folder untouched', async () => {
    const dir = tempDir();
    const store = makeStore(dir, 9, 3);
    const id = store.storeId;
    store.close();
    const file = path.join(dir, 'test.hindsight');
    const before = snapshotFolder(dir);
    const text = await cli('info', file);
    expect(text.stdout).toMatch(/^Store {7}.*test\.hindsight\nFormat {6}hindsight-event-store version 1\nStore id {4}/);
    expect(text.stdout).toMatch(/^Events {6}9 in 3 streams$/m);
    const info = json((await cli('info', file, '--json')).stdout);
    expect(info).toMatchObject({ storeId: id, events: 9, streams: 3, formatVersion: 1, companionWal: false });
    await cli('verify', file);
    await cli('digest', file);
    await cli('export', file);
    await cli('history', file, '--stream', 'account-0');
    expect(snapshotFolder(dir)).toEqual(before);
  });

  it('tells on stderr when a -wal beside the file was not read', async () => {
    const dir = tempDir();
    const writer = makeStore(dir, 3);
    writer.db.pragma('wal_checkpoint(TRUNCATE)');
    writer.append('account-0', [{ type: 'Late', data: 1 }]);
    const file = path.join(dir, 'test.hindsight');
    const plain = await cli('info', file, '--json');
    expect(plain.stderr).toMatch(
      /^note: .*test\.hindsight-wal exists beside the store; .* \(use --include-wal to read them\)\.\n$/,
    );
    expect(json(plain.stdout)).toMatchObject({ events: 3, companionWal: true });
    const withWal = await cli('info', file, '--json', '--include-wal');
    expect(withWal.stderr).toBe('');
    expect(json(withWal.stdout)).toMatchObject({ events: 4 });
    writer.close();
    expect(EventStore.open(file, { mode: 'read-only' }).info().events).toBe(4);
  });

  it('command help, --version and unknown commands', async () => {
    const help = await cli('verify', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: hindsight verify <file> \[options\]/);
    expect(help.stdout).toContain('--digest POS:HASH');
    expect((await cli('--version')).stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(await cli('frobnicate')).toMatchObject({
      code: 2,
      stderr: 'Unknown command "frobnicate". Run "hindsight --help" for the list of commands.\n',
    });
  });
});
