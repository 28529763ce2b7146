import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EventStore } from '../../../electron/core/store/eventStore';
import { computeEventHash, ZERO_HASH } from '../../../electron/core/store/hashChain';
import { EVENT_COLUMNS, type EventRow } from '../../../electron/core/store/rows';
import type { VerifyResult } from '../../../electron/core/store/types';
import { makeStore } from '../../helpers/storeFixtures';
import { REPO_ROOT } from '../../helpers/storeProcess';
import { useTempDir } from '../../helpers/tempDir';

// biome-ignore lint/correctness/useHookAtTopLevel: useTempDir is a Vitest helper (afterEach cleanup), not a React hook.
const tempDir = useTempDir('hindsight-verify-');
const COUNT = 40;

/** A closed store of COUNT events and a raw connection to it with the append-only triggers dropped. */
function tamperable(): { file: string; sql: Database.Database; digest: string } {
  const dir = tempDir();
  const store = makeStore(dir, COUNT, 4);
  const digest = store.info().digest;
  store.close();
  const file = path.join(dir, 'test.hindsight');
  const sql = new Database(file);
  sql.exec('DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete;');
  return { file, sql, digest };
}

function verifyFile(file: string, digest?: string): VerifyResult {
  const store = EventStore.open(file, { mode: 'read-only' });
  try {
    return store.verify({ digest });
  } finally {
    store.close();
  }
}

function row(sql: Database.Database, position: number): EventRow {
  return sql.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE global_position = ?`).raw().get(position) as EventRow;
}

/** Moves every row at position ≥ from by `delta` (through a far-away range, to keep the key unique). */
function renumber(sql: Database.Database, from: number, delta: number): void {
  sql.prepare('UPDATE events SET global_position = global_position + 1000000 WHERE global_position >= ?').run(from);
  sql
    .prepare('UPDATE events SET global_position = global_position - 1000000 + ? WHERE global_position >= 1000000')
    .run(delta);
}

/** Recomputes prev_hash/hash from `from` to the end, as a forger who knows the algorithm would. */
function rehash(sql: Database.Database, from: number): void {
  let prev = from === 1 ? ZERO_HASH : row(sql, from - 1)[11];
  const rows = sql
    .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE global_position >= ? ORDER BY global_position`)
    .raw()
    .all(from) as EventRow[];
  const update = sql.prepare('UPDATE events SET prev_hash = ?, hash = ? WHERE global_position = ?');
  for (const r of rows) {
    const hash = computeEventHash(prev, {
      globalPosition: r[0],
      eventId: r[1],
      streamId: r[2],
      streamVersion: r[3],
      eventType: r[4],
      schemaVersion: r[5],
      data: r[6],
      metadata: r[7],
      recordedAt: r[8],
      occurredAt: r[9],
    });
    update.run(prev, hash, r[0]);
    prev = hash;
  }
}

const FORGED_ID = '0190a5c4-7b2e-7c1d-9f00-00000000f0f0';

describe('verify', () => {
  it('accepts an intact store and reports its head', () => {
    const { file, sql, digest } = tamperable();
    sql.close();
    const result = verifyFile(file);
    expect(result).toEqual({
      ok: true,
      events: COUNT,
      head: { position: COUNT, hash: digest.split(':')[1] },
      firstBad: null,
    });
    expect(verifyFile(file, digest)).toMatchObject({ ok: true, digest });
  });

  it('accepts an empty store, and the empty digest', () => {
    const store = EventStore.create(path.join(tempDir(), 'e.hindsight'));
    expect(store.verify({ digest: `0:${ZERO_HASH}` })).toEqual({
      ok: true,
      events: 0,
      head: { position: 0, hash: ZERO_HASH },
      firstBad: null,
      digest: `0:${ZERO_HASH}`,
    });
    store.close();
  });

  const tampers: [string, (sql: Database.Database) => void, number, string][] = [
    [
      'data edited',
      (sql) => sql.exec(`UPDATE events SET data = '{"amount":1000000}' WHERE global_position = 17`),
      17,
      'modified',
    ],
    [
      'metadata edited',
      (sql) => sql.exec(`UPDATE events SET metadata = '{"actor":"mallory"}' WHERE global_position = 5`),
      5,
      'modified',
    ],
    [
      'recorded time edited',
      (sql) => sql.exec('UPDATE events SET recorded_at = recorded_at + 1 WHERE global_position = 30'),
      30,
      'modified',
    ],
    [
      'stored hash edited',
      (sql) => sql.exec(`UPDATE events SET hash = '${'ab'.repeat(32)}' WHERE global_position = 12`),
      12,
      'modified',
    ],
    [
      'prev_hash edited',
      (sql) => sql.exec(`UPDATE events SET prev_hash = '${'cd'.repeat(32)}' WHERE global_position = 9`),
      9,
      'modified',
    ],
    [
      'first event edited',
      (sql) => sql.exec(`UPDATE events SET event_type = 'Forged' WHERE global_position = 1`),
      1,
      'modified',
    ],
    ['an event deleted', (sql) => sql.exec('DELETE FROM events WHERE global_position = 20'), 20, 'missing'],
    [
      'three events deleted',
      (sql) => sql.exec('DELETE FROM events WHERE global_position BETWEEN 20 AND 22'),
      20,
      'missing',
    ],
    [
      'an event deleted and the rest renumbered',
      (sql) => {
        sql.exec('DELETE FROM events WHERE global_position = 20');
        renumber(sql, 21, -1);
      },
      20,
      'missing',
    ],
    [
      'two neighbours swapped',
      (sql) => {
        sql.exec('UPDATE events SET global_position = 1000000 WHERE global_position = 11');
        sql.exec('UPDATE events SET global_position = 11 WHERE global_position = 12');
        sql.exec('UPDATE events SET global_position = 12 WHERE global_position = 1000000');
      },
      11,
      'reordered',
    ],
    [
      'an event moved to the end',
      (sql) => {
        sql.exec(`UPDATE events SET global_position = ${COUNT + 1} WHERE global_position = 8`);
        renumber(sql, 9, -1);
      },
      8,
      'reordered',
    ],
    [
      'a forged event inserted with a correct hash, the rest renumbered',
      (sql) => {
        const prev = row(sql, 14)[11];
        renumber(sql, 15, 1);
        const fields = {
          globalPosition: 15,
          eventId: FORGED_ID,
          streamId: 'account-0',
          streamVersion: 99,
          eventType: 'MoneyWithdrawn',
          schemaVersion: 1,
          data: '{"amount":5000}',
          metadata: '{}',
          recordedAt: row(sql, 14)[8],
          occurredAt: row(sql, 14)[8],
        };
        sql
          .prepare(`INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
          .run(...Object.values(fields), prev, computeEventHash(prev, fields));
      },
      15,
      'inserted',
    ],
    [
      'a junk event inserted, the rest renumbered',
      (sql) => {
        renumber(sql, 15, 1);
        sql
          .prepare(
            `INSERT INTO events (${EVENT_COLUMNS}) VALUES (15, ?, 'account-0', 99, 'X', 1, '{}', '{}', 0, 0, ?, ?)`,
          )
          .run(FORGED_ID, '12'.repeat(32), '34'.repeat(32));
      },
      15,
      'inserted',
    ],
    [
      'a recorded time moved back, with the chain recomputed',
      (sql) => {
        sql.exec('UPDATE events SET recorded_at = recorded_at - 86400000 WHERE global_position = 25');
        rehash(sql, 25);
      },
      25,
      'time_reversed',
    ],
  ];

  it.each(tampers)('detects %s at the right position with the right reason', (_label, tamper, position, reason) => {
    const { file, sql } = tamperable();
    tamper(sql);
    sql.close();
    const result = verifyFile(file);
    expect(result.ok).toBe(false);
    expect(result.firstBad).toMatchObject({ position, reason });
    expect(result.firstBad?.message).toMatch(/^[^\n]+\.$/);
    expect(result.events).toBe(position - 1);
  });

  it('a history rewritten with recomputed hashes passes the chain but fails a digest taken before', () => {
    const { file, sql, digest } = tamperable();
    sql.exec(`UPDATE events SET data = '{"amount":0}' WHERE global_position = 10`);
    rehash(sql, 10);
    sql.close();
    expect(verifyFile(file).ok).toBe(true);
    expect(verifyFile(file, digest)).toMatchObject({
      ok: false,
      firstBad: { position: COUNT, reason: 'digest_mismatch' },
    });
    // A digest of the untouched prefix still holds.
    const early = EventStore.open(file, { mode: 'read-only' });
    const prefix = `9:${row(new Database(file, { readonly: true }), 9)[11]}`;
    expect(early.verify({ digest: prefix }).ok).toBe(true);
    early.close();
  });

  it('events removed from the end are caught by a digest taken before (truncated)', () => {
    const { file, sql, digest } = tamperable();
    sql.exec(`DELETE FROM events WHERE global_position > ${COUNT - 3}`);
    sql.close();
    expect(verifyFile(file).ok).toBe(true);
    expect(verifyFile(file, digest)).toMatchObject({
      ok: false,
      events: COUNT - 3,
      firstBad: { position: COUNT - 2, reason: 'truncated' },
    });
  });

  it('checks ranges on their own (what parallel verification is built on)', () => {
    const { file, sql } = tamperable();
    const check = (from: number, to: number) => {
      const store = EventStore.open(file, { mode: 'read-only' });
      try {
        return store.verifyRange(from, to).ok;
      } finally {
        store.close();
      }
    };
    expect([check(1, COUNT), check(1, 10), check(11, 20), check(21, COUNT)]).toEqual([true, true, true, true]);
    sql.exec(`UPDATE events SET data = '{}' WHERE global_position = 17`);
    expect([check(1, 10), check(11, 20), check(17, 17), check(18, COUNT)]).toEqual([true, false, false, true]);
    sql.exec('DELETE FROM events WHERE global_position = 30');
    expect([check(21, COUNT), check(21, 29), check(31, COUNT), check(COUNT, COUNT + 1)]).toEqual([
      false,
      true,
      false,
      false,
    ]);
    sql.close();
  });

  it('refuses a malformed digest with invalid_input', () => {
    const store = makeStore(tempDir(), 2);
    expect(() => store.verify({ digest: 'latest' })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    store.close();
  });

  it('reports progress up to the total, and stops with cancelled when asked', () => {
    const store = makeStore(tempDir(), 5000, 10);
    const progress: [number, number][] = [];
    store.verify({ onProgress: (done, total) => progress.push([done, total]) });
    expect(progress[0]).toEqual([0, 5000]);
    expect(progress.at(-1)).toEqual([5000, 5000]);
    expect(progress.map(([done]) => done)).toEqual([...progress.map(([done]) => done)].sort((a, b) => a - b));
    let calls = 0;
    const signal = {
      get aborted() {
        return ++calls > 2;
      },
    };
    expect(() => store.verify({ signal })).toThrow(expect.objectContaining({ code: 'cancelled' }));
    store.close();
  });
});

describe('the documented algorithm (docs/file-format.md) re-verifies stores on its own', () => {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'file-format.md'), 'utf8');
  const script = /```python\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
  const hasPython = spawnSync('python3', ['--version']).status === 0;

  it('the doc holds a script of about 20 lines', () => {
    expect(script).toContain('hashlib.sha256');
    expect(script.trim().split('\n').length).toBeLessThanOrEqual(22);
  });

  it('an independent TypeScript reading of the encoding agrees with every stored hash', () => {
    const dir = tempDir();
    const store = makeStore(dir, 300, 7);
    store.append('ström-é', [{ type: 'Ünïcode', data: { text: '😀 日本', n: -1.5e-7 }, occurredAt: -86_400_000 }]);
    const head = store.head();
    store.close();
    const db = new Database(path.join(dir, 'test.hindsight'), { readonly: true });
    let prev = '0'.repeat(64);
    for (const r of db
      .prepare(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY global_position`)
      .raw()
      .iterate() as IterableIterator<EventRow>) {
      const parts = [Buffer.from(prev, 'hex')];
      for (const field of r.slice(0, 10)) {
        const bytes = Buffer.from(String(field), 'utf8');
        const length = Buffer.alloc(4);
        length.writeUInt32BE(bytes.length);
        parts.push(length, bytes);
      }
      const hash = createHash('sha256').update(Buffer.concat(parts)).digest('hex');
      expect(r[10]).toBe(prev);
      expect(r[11]).toBe(hash);
      prev = hash;
    }
    db.close();
    expect(prev).toBe(head.hash);
  });

  it.skipIf(!hasPython)(
    'the Python script prints the same digest for an intact store and names the first broken position',
    () => {
      const dir = tempDir();
      const scriptFile = path.join(dir, 'verify_hindsight.py');
      fs.writeFileSync(scriptFile, script);
      const store = makeStore(dir, 200, 5);
      store.append('ström-é', [{ type: 'Ünïcode', data: { text: '😀 日本' }, occurredAt: -1 }]);
      const digest = store.info().digest;
      store.close();
      expect(execFileSync('python3', [scriptFile, path.join(dir, 'test.hindsight')], { encoding: 'utf8' }).trim()).toBe(
        `OK ${digest}`,
      );

      const sql = new Database(path.join(dir, 'test.hindsight'));
      sql.exec('DROP TRIGGER events_append_only_update');
      sql.exec(`UPDATE events SET data = '{"amount":1}' WHERE global_position = 123`);
      sql.close();
      const broken = spawnSync('python3', [scriptFile, path.join(dir, 'test.hindsight')], { encoding: 'utf8' });
      expect(broken.status).toBe(1);
      expect(broken.stderr.trim()).toBe('BROKEN at position 123');
      expect(verifyFile(path.join(dir, 'test.hindsight')).firstBad?.position).toBe(123);
    },
  );
});
