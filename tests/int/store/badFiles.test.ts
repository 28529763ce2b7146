import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HindsightError } from '../../../electron/core/errors';
import { EventStore } from '../../../electron/core/store/eventStore';
import type { OpenMode } from '../../../electron/core/store/types';
import { makeStore, snapshotFolder } from '../../helpers/storeFixtures';
import { useTempDir } from '../../helpers/tempDir';

// biome-ignore lint/correctness/useHookAtTopLevel: useTempDir is a Vitest helper (afterEach cleanup), not a React hook.
const tempDir = useTempDir('hindsight-bad-');
const MODES: OpenMode[] = ['read-write', 'read-only'];

function openError(file: string, mode: OpenMode): HindsightError {
  try {
    EventStore.open(file, { mode }).close();
  } catch (error) {
    if (error instanceof HindsightError) return error;
    throw error;
  }
  throw new Error(`${file} opened ${mode} without an error`);
}

/** Asserts that opening fails with `code` in both modes, with one sentence, and that nothing changed. */
function expectRefused(dir: string, file: string, code: string, messagePart?: RegExp): void {
  const before = snapshotFolder(dir);
  for (const mode of MODES) {
    const error = openError(file, mode);
    expect(error.code, `${mode}: ${error.message}`).toBe(code);
    expect(error.message).toMatch(/^[^\n]+\.$/); // one sentence, no line breaks
    if (messagePart) expect(error.message).toMatch(messagePart);
    expect(snapshotFolder(dir), `${mode} changed the folder`).toEqual(before);
  }
}

/** A closed store with `count` events, and the page numbers of each of its b-trees. */
function storeWithPages(dir: string, count: number): { file: string; pages: Record<string, number[]> } {
  makeStore(dir, count).close();
  const file = path.join(dir, 'test.hindsight');
  const db = new Database(file, { readonly: true });
  const pages: Record<string, number[]> = {};
  for (const row of db.prepare('SELECT name, pageno FROM dbstat ORDER BY pageno').all() as {
    name: string;
    pageno: number;
  }[]) {
    pages[row.name] ??= [];
    pages[row.name]!.push(row.pageno);
  }
  db.close();
  return { file, pages };
}

function scribble(file: string, page: number, offset: number, length: number): void {
  const fd = fs.openSync(file, 'r+');
  const junk = Buffer.alloc(length, 0).map((_, i) => (i * 37 + 11) & 0xff);
  fs.writeSync(fd, junk, 0, length, (page - 1) * 4096 + offset);
  fs.closeSync(fd);
}

describe('opening files that are not usable stores', () => {
  it('a missing path → not_found', () => {
    const dir = tempDir();
    expectRefused(dir, path.join(dir, 'missing.hindsight'), 'not_found', /does not exist/);
  });

  it('a path under a file → not_found', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'plain'), 'x');
    expectRefused(dir, path.join(dir, 'plain', 'inner.hindsight'), 'not_found');
  });

  it('a folder → is_directory', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'folder.hindsight'));
    expectRefused(dir, path.join(dir, 'folder.hindsight'), 'is_directory', /is a folder/);
  });

  it('a 0-byte file → empty_file', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'empty.hindsight'), '');
    expectRefused(dir, path.join(dir, 'empty.hindsight'), 'empty_file', /empty \(0 bytes\)/);
  });

  it('random bytes → not_sqlite', () => {
    const dir = tempDir();
    const bytes = Buffer.alloc(8192).map((_, i) => (i * 7919 + 13) & 0xff);
    fs.writeFileSync(path.join(dir, 'random.hindsight'), bytes);
    expectRefused(dir, path.join(dir, 'random.hindsight'), 'not_sqlite', /not a SQLite database/);
  });

  it('a short text file → not_sqlite', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'notes.db'), 'hello\n');
    expectRefused(dir, path.join(dir, 'notes.db'), 'not_sqlite');
  });

  it('a store cut short by whole pages → corrupt (truncated)', () => {
    const dir = tempDir();
    const { file } = storeWithPages(dir, 2000);
    fs.truncateSync(file, fs.statSync(file).size - 4096 * 10);
    expectRefused(dir, file, 'corrupt', /truncated/);
  });

  it('a store cut in the middle of a page → corrupt', () => {
    const dir = tempDir();
    const { file } = storeWithPages(dir, 200);
    fs.truncateSync(file, fs.statSync(file).size - 1000);
    expectRefused(dir, file, 'corrupt', /damaged/);
  });

  it('a damaged index page (quick_check RETURNS problems) → corrupt', () => {
    const dir = tempDir();
    const { file, pages } = storeWithPages(dir, 2000);
    scribble(file, pages['events_by_type']![1]!, 2000, 200);
    expectRefused(dir, file, 'corrupt', /integrity check found \d+ problems?, the first: "Tree \d+ page/);
  });

  it('a damaged b-tree page header (quick_check THROWS SQLITE_CORRUPT) → corrupt', () => {
    const dir = tempDir();
    const { file, pages } = storeWithPages(dir, 2000);
    scribble(file, pages['events']![3]!, 0, 12);
    expectRefused(dir, file, 'corrupt', /integrity check failed with "database disk image is malformed"/);
  });

  it('a damaged schema page → corrupt', () => {
    const dir = tempDir();
    const { file } = storeWithPages(dir, 50);
    scribble(file, 1, 3000, 600);
    expectRefused(dir, file, 'corrupt');
  });

  it('a SQLite database that is not a store → not_a_store, naming its tables', () => {
    const dir = tempDir();
    const file = path.join(dir, 'shop.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY); CREATE TABLE orders (id INTEGER PRIMARY KEY);');
    db.close();
    expectRefused(dir, file, 'not_a_store', /not a Hindsight event store \(its tables: customers, orders\)\.$/);
  });

  it('a SQLite database without tables → not_a_store', () => {
    const dir = tempDir();
    const file = path.join(dir, 'blank.sqlite');
    const db = new Database(file);
    db.pragma('user_version = 7');
    db.close();
    expectRefused(dir, file, 'not_a_store', /it has no tables/);
  });

  it('a store_meta of another format → not_a_store', () => {
    const dir = tempDir();
    const file = path.join(dir, 'other.sqlite');
    const db = new Database(file);
    db.exec(
      "CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT); INSERT INTO store_meta VALUES ('format', 'emmett');",
    );
    db.close();
    expectRefused(dir, file, 'not_a_store', /format "emmett"/);
  });

  it('a store of a newer format version → newer_format naming both versions', () => {
    const dir = tempDir();
    makeStore(dir, 3).close();
    const file = path.join(dir, 'test.hindsight');
    const db = new Database(file);
    db.exec('DROP TRIGGER events_append_only_update');
    db.exec("UPDATE store_meta SET value = '3' WHERE key = 'format_version'");
    db.pragma('user_version = 3');
    db.close();
    expectRefused(dir, file, 'newer_format', /format version 3, but this Hindsight reads format version 1 at most/);
  });

  it('a store whose events table is gone → corrupt', () => {
    const dir = tempDir();
    makeStore(dir, 3).close();
    const file = path.join(dir, 'test.hindsight');
    const db = new Database(file);
    db.exec('DROP TABLE events');
    db.close();
    expectRefused(dir, file, 'corrupt', /has no events table/);
  });
});

describe('locks', () => {
  it('an append waits for the busy timeout while another writer holds the lock, then fails with locked', () => {
    const dir = tempDir();
    makeStore(dir, 1).close();
    const file = path.join(dir, 'test.hindsight');
    const store = EventStore.open(file, { mode: 'read-write', busyTimeoutMs: 200 });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    expect(() => store.append('account-1', [{ type: 'T', data: 1 }])).toThrow(
      expect.objectContaining({ code: 'locked', message: expect.stringMatching(/locked by another program/) }),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    other.exec('ROLLBACK');
    other.close();
    // Nothing was written; once the lock is gone the append goes through.
    expect(store.head().position).toBe(1);
    expect(store.append('account-1', [{ type: 'T', data: 1 }]).lastPosition).toBe(2);
    store.close();
  });
});
