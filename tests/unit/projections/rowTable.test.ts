import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { RowTable } from '../../../electron/core/projections/rowTable';

function db(): Database.Database {
  const d = new Database(':memory:');
  d.exec('CREATE TABLE t (a TEXT NOT NULL, b INTEGER NOT NULL, v INTEGER, PRIMARY KEY (a, b))');
  return d;
}

const rows = (d: Database.Database) => d.prepare('SELECT a, b, v FROM t ORDER BY a, b').raw().all();

describe('RowTable (the write-back cache of keyed-row projections)', () => {
  it('reads through, writes back on flush, and deletes', () => {
    const d = db();
    d.prepare("INSERT INTO t VALUES ('x', 1, 10)").run();
    const t = new RowTable(d, 't', ['a', 'b', 'v'], ['a', 'b']);
    const row = t.get('x', 1)!;
    expect(row).toEqual({ a: 'x', b: 1, v: 10 });
    row.v = 11;
    t.put(row);
    t.put({ a: 'y', b: 2, v: 20 });
    expect(rows(d)).toEqual([['x', 1, 10]]); // nothing written before flush
    expect(t.get('y', 2)).toEqual({ a: 'y', b: 2, v: 20 }); // but read back from the cache
    t.flush();
    expect(rows(d)).toEqual([
      ['x', 1, 11],
      ['y', 2, 20],
    ]);
    t.delete('x', 1);
    expect(t.get('x', 1)).toBeUndefined();
    t.flush();
    expect(rows(d)).toEqual([['y', 2, 20]]);
    // A delete followed by a put of the same key keeps the new row.
    t.delete('y', 2);
    t.put({ a: 'y', b: 2, v: 21 });
    t.flush();
    expect(rows(d)).toEqual([['y', 2, 21]]);
  });

  it('keeps keys of different types apart (the string "1" is not the number 1)', () => {
    const d = new Database(':memory:');
    d.exec('CREATE TABLE k (id ANY PRIMARY KEY NOT NULL, v INTEGER) WITHOUT ROWID');
    const t = new RowTable(d, 'k', ['id', 'v'], ['id']);
    t.put({ id: '1', v: 1 });
    t.put({ id: 1, v: 2 });
    expect(t.get('1')).toEqual({ id: '1', v: 1 });
    expect(t.get(1)).toEqual({ id: 1, v: 2 });
  });

  it('on a table that was empty, never queries for a key it has not seen', () => {
    const d = db();
    const t = new RowTable(d, 't', ['a', 'b', 'v'], ['a', 'b']);
    // A row written behind its back is not seen: the cache knows the table was empty and only it writes.
    d.prepare("INSERT INTO t VALUES ('ghost', 1, 1)").run();
    expect(t.get('ghost', 1)).toBeUndefined();
    // On a table that was not empty, it reads through.
    const u = new RowTable(d, 't', ['a', 'b', 'v'], ['a', 'b']);
    expect(u.get('ghost', 1)).toEqual({ a: 'ghost', b: 1, v: 1 });
  });
});
