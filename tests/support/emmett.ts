/**
 * Real Emmett SQLite event-store files for tests, written and read by
 * `@event-driven-io/emmett-sqlite` 0.38.5 itself (over `sqlite3` 5.1.7), so Hindsight is
 * tested against what the package really writes, not against our idea of it.
 *
 * What the package writes (seen with 0.38.5; Hindsight must cope with all of it):
 * - `emt_messages`: stream_id, stream_position (BIGINT), partition, message_kind, message_data,
 *   message_metadata (both JSON text in a column declared JSONB), message_schema_version (TEXT),
 *   message_type, message_id (UUID v4), is_archived (0/1), global_position (INTEGER PRIMARY KEY,
 *   1..n), created.
 * - `created` is SQLite's CURRENT_TIMESTAMP: TEXT 'YYYY-MM-DD HH:MM:SS', UTC, whole seconds only,
 *   so many events share one value.
 * - `message_metadata` is `{"streamName", "messageId", "streamPosition", ...caller's metadata}`;
 *   streamPosition is a decimal string counted from 1 *within that append call*, not the stream
 *   position (the column has that); globalPosition is not stored there. readStream overwrites
 *   these keys from the columns when it reads.
 * - partition: 'emt:default' in emt_messages, but '[object Object]' in emt_streams (the package
 *   binds its column descriptor object there). message_kind: always 'E'.
 * - message_schema_version: the stream's version *before* that append, as text ('0', '1', ...),
 *   not a schema version.
 * - `emt_streams`: stream_id, stream_position (the last one), partition, stream_type (the name's
 *   part before the first '-'), stream_metadata ('[]'), is_archived. `emt_subscriptions` stays
 *   empty here (only processors write it).
 * - Journal: every connection runs `PRAGMA journal_mode = WAL` and closes after each call
 *   without waiting. The file stays in WAL mode after the last close; SQLite then removes
 *   `-wal`/`-shm`, but any later open (read-only too) makes them again. So writeEmmettStore
 *   waits for the package's last close and switches the file to rollback (DELETE) mode: one
 *   self-contained file that reads leave untouched.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getSQLiteEventStore, sqliteConnection } from '@event-driven-io/emmett-sqlite';
import sqlite3 from 'sqlite3';

export interface EmmettEventPlan {
  type: string;
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export interface EmmettStreamPlan {
  streamName: string;
  events: EmmettEventPlan[];
}

export interface EmmettReadEvent {
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  streamPosition: string;
  globalPosition: string;
  messageId: string;
}

export interface EmmettReadStream {
  streamName: string;
  events: EmmettReadEvent[];
}

/**
 * Writes the streams through the package's appendToStream. A stream's first append holds one
 * event and later ones two, taken round-robin across streams: global positions interleave and
 * both single and multi-event appends occur (they differ in message_metadata, see above).
 */
export async function writeEmmettStore(file: string, streams: EmmettStreamPlan[]): Promise<void> {
  // Under load the package sometimes COMMITs while one of its own statements is still being finalized
  // (sqlite3 finalizes asynchronously) and the append fails with SQLITE_BUSY "SQL statements in
  // progress". That is the package racing itself, not the file: start again from nothing.
  for (let attempt = 1; ; attempt++) {
    try {
      await writeEmmettStoreOnce(file, streams);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 4) throw error;
      await waitForPackageConnectionsToClose(file).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      for (const suffix of ['', '-wal', '-shm', '-journal']) await rm(file + suffix, { force: true });
    }
  }
}

async function writeEmmettStoreOnce(file: string, streams: EmmettStreamPlan[]): Promise<void> {
  const store = getSQLiteEventStore({ fileName: file });
  const queues = streams.map(({ streamName, events }) => ({ streamName, batches: appendBatches(events) }));
  while (queues.some((queue) => queue.batches.length > 0)) {
    for (const queue of queues) {
      const batch = queue.batches.shift();
      if (batch) await store.appendToStream(queue.streamName, batch);
    }
  }
  await waitForPackageConnectionsToClose(file);
  await makeSelfContained(file);
}

/**
 * Reads every stream back through the package's readStream. The package cannot open a file
 * read-only (its unawaited `PRAGMA journal_mode = WAL` fails there and the error is thrown
 * out of an event emitter, ending the process), so this reads a private copy in a temp folder
 * and never opens `file` itself. Only the main file is copied: fine for writeEmmettStore's
 * files, which have no `-wal`; a file with a live `-wal` would lose what is in it.
 */
export async function readEmmettBack(file: string): Promise<EmmettReadStream[]> {
  const dir = await mkdtemp(join(tmpdir(), 'emmett-read-'));
  const copy = join(dir, 'copy.sqlite');
  try {
    await copyFile(file, copy);
    const names = await streamNames(copy);
    const store = getSQLiteEventStore({ fileName: copy, schema: { autoMigration: 'None' } });
    const result: EmmettReadStream[] = [];
    for (const streamName of names) {
      const { events } = await store.readStream(streamName);
      result.push({
        streamName,
        events: events.map((event) => ({
          type: event.type,
          data: event.data,
          metadata: bigintsToStrings(event.metadata),
          streamPosition: event.metadata.streamPosition.toString(),
          globalPosition: event.metadata.globalPosition.toString(),
          messageId: event.metadata.messageId,
        })),
      });
    }
    await waitForPackageConnectionsToClose(copy);
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Three shopping carts (15 events), one event carrying XSS payloads and an own `__proto__` key. */
export async function writeDemoEmmettStore(file: string): Promise<void> {
  const added = (productId: string, quantity: number, unitPrice: number): EmmettEventPlan => ({
    type: 'ProductItemAdded',
    data: { productId, quantity, unitPrice },
  });
  const removed = (productId: string, quantity: number, unitPrice: number): EmmettEventPlan => ({
    type: 'ProductItemRemoved',
    data: { productId, quantity, unitPrice },
  });
  const confirmed = (confirmedAt: string): EmmettEventPlan => ({
    type: 'ShoppingCartConfirmed',
    data: { confirmedAt },
    metadata: { userId: 'user-7f3a', correlationId: 'corr-1c2d' },
  });
  const script = JSON.stringify('<script>window.__pwned=1</script>');
  const img = JSON.stringify('<img src=x onerror="window.__pwned=1">');
  const hostile: EmmettEventPlan = {
    type: 'ProductItemAdded',
    // Parsed from JSON so `__proto__` is an own key, as in a foreign file, not the object's prototype.
    data: JSON.parse(
      `{"__proto__":{"polluted":true},"ok":1,"productId":${script},"quantity":1,"unitPrice":0.01,"note":${img}}`,
    ),
  };
  await writeEmmettStore(file, [
    {
      streamName: 'shopping_cart-0b8f3c1e-4d2a-4f6b-9e7a-1c5d2e3f4a01',
      events: [
        added('shoes-42', 1, 89.9),
        added('socks-07', 3, 4.5),
        removed('socks-07', 1, 4.5),
        added('laces-01', 2, 2.2),
        confirmed('2025-03-14T09:26:53.589Z'),
      ],
    },
    {
      streamName: 'shopping_cart-5a7c9e2b-3f1d-4c8a-b6e4-2d9f0a1b3c02',
      events: [added('book-1984', 1, 12.99), added('lamp-03', 1, 34), removed('book-1984', 1, 12.99), hostile],
    },
    {
      streamName: 'shopping_cart-9d1e4b7a-6c2f-4e3d-8a5b-3f0c1d2e4b03',
      events: [
        added('mug-11', 2, 7.5),
        added('tea-22', 4, 3.25),
        added('spoon-05', 1, 1.1),
        removed('tea-22', 2, 3.25),
        added('tray-09', 1, 15),
        confirmed('2025-03-15T17:02:11.004Z'),
      ],
    },
  ]);
}

function appendBatches(events: EmmettEventPlan[]): EmmettEventPlan[][] {
  const batches: EmmettEventPlan[][] = events.length > 0 ? [events.slice(0, 1)] : [];
  for (let i = 1; i < events.length; i += 2) batches.push(events.slice(i, i + 2));
  return batches;
}

/** Stream names in creation order, via the package's own connection (read from the copy). */
async function streamNames(copy: string): Promise<string[]> {
  const connection = sqliteConnection({ fileName: copy });
  try {
    const rows = await connection.query<{ stream_id: string }>('SELECT stream_id FROM emt_streams ORDER BY rowid');
    return rows.map((row) => row.stream_id);
  } finally {
    connection.close();
  }
}

/**
 * The package closes its connections without waiting. While any of them is open the file is in
 * WAL mode with a `-wal` beside it, and the last close removes it, so its absence means all closed.
 */
async function waitForPackageConnectionsToClose(file: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (existsSync(`${file}-wal`)) {
    if (Date.now() > deadline) throw new Error(`Emmett's connections to ${file} did not close within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Checkpoints any WAL content and leaves the file in rollback mode with no side files. */
async function makeSelfContained(file: string): Promise<void> {
  // sqlite3, the package's own driver: a second SQLite library in this process could drop
  // the package's POSIX locks when it closes the file.
  const db = await openSqlite3(file);
  try {
    await sqlite3All(db, 'PRAGMA wal_checkpoint(TRUNCATE)');
    const [mode] = await sqlite3All(db, 'PRAGMA journal_mode = DELETE');
    if (mode?.journal_mode !== 'delete') throw new Error(`${file} stayed in ${String(mode?.journal_mode)} mode`);
  } finally {
    await new Promise<void>((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));
  }
  const leftovers = ['-wal', '-shm', '-journal'].filter((suffix) => existsSync(file + suffix));
  if (leftovers.length > 0) throw new Error(`${file} still has ${leftovers.join(', ')} beside it`);
}

function openSqlite3(file: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (error) => (error ? reject(error) : resolve(db)));
  });
}

function sqlite3All(db: sqlite3.Database, sql: string): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) =>
    db.all(sql, (error, rows) => (error ? reject(error) : resolve(rows as Array<Record<string, unknown>>))),
  );
}

/** readStream gives positions as bigints; tests compare plain JSON-safe values. */
function bigintsToStrings(value: Record<string, unknown>): Record<string, unknown> {
  // Object.fromEntries keeps a `__proto__` key an own property instead of setting the prototype.
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, typeof item === 'bigint' ? item.toString() : item]),
  );
}
