import * as fs from 'node:fs';
import type { ColumnMapping, ForeignKind, ForeignSourceInfo } from '../../../shared/types';
import { HindsightError } from '../errors';
import { EventStore } from '../store/eventStore';
import { prepareEvent } from '../store/prepareEvent';
import { unreadable } from '../store/storedJson';
import type { CancelSignal } from '../store/types';
import { isEmmettStore, tableShapes } from './inspect';
import { validateMapping } from './mapping';
import { type ForeignSource, sourceRows } from './rowSource';
import { describeAdjustments, RowConverter } from './rowToEvent';
import { openForeignDb } from './sourceDb';

/**
 * Reads a foreign store once and writes what it holds into a store of our own format in the app's
 * private cache (the "derived store"), so that every screen, search, read model and report works on it
 * unchanged. The foreign file is only ever read, through a private copy. The derived store is written
 * under a temporary name and renamed when complete, so a cancelled or failed run leaves nothing behind.
 *
 * The derived store's hash chain is Hindsight's own and proves nothing about the foreign file: the
 * session never shows it as evidence (see ForeignSourceInfo, IntegrityState `unprovable`).
 */

export interface MaterializeParams {
  /** The foreign file the user opened. */
  source: string;
  kind: ForeignKind;
  mapping: ColumnMapping | null;
  /** Where the derived store goes (in the private cache). */
  target: string;
  /** The derived store's id: fixed per source and mapping, so notes and caches survive a rebuild. */
  storeId: string;
  /** SHA-256 of the source file: seeds derived event ids. */
  sourceSha256: string;
  /** Folder for the private copy of the source. */
  privateDir?: string;
}

export interface MaterializeContext {
  onProgress?: (done: number, total: number) => void;
  signal?: CancelSignal;
}

const META_KEY = 'foreign_source';

export function labelOf(kind: ForeignKind, mapping: ColumnMapping | null): string {
  return kind === 'emmett' ? 'Emmett SQLite event store' : `mapped table "${mapping?.table ?? '?'}"`;
}

function sourceOf(db: Parameters<typeof isEmmettStore>[0], params: MaterializeParams): ForeignSource {
  if (params.kind === 'emmett') {
    if (!isEmmettStore(db)) {
      throw new HindsightError(
        'not_a_store',
        `${params.source} is not an Emmett event store (no emt_messages table of the expected shape).`,
        {
          path: params.source,
        },
      );
    }
    return { kind: 'emmett' };
  }
  if (params.mapping === null)
    throw new HindsightError('invalid_input', 'A column mapping is needed to read this table.');
  return { kind: 'table', mapping: validateMapping(params.mapping, tableShapes(db)) };
}

export function materializeForeign(params: MaterializeParams, context: MaterializeContext = {}): ForeignSourceInfo {
  const foreign = openForeignDb(params.source, { privateDir: params.privateDir });
  const partial = `${params.target}.partial-${process.pid}`;
  let store: EventStore | undefined;
  const removePartial = (): void => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(partial + suffix, { force: true });
  };
  try {
    const source = sourceOf(foreign.db, params);
    const mapping = source.kind === 'table' ? source.mapping : null;
    const rows = sourceRows(foreign.db, source);
    removePartial();
    store = EventStore.create(partial, {
      createdBy: `Hindsight adapter: ${labelOf(params.kind, mapping)}`,
      storeId: params.storeId,
    });
    // A cache file: if the machine crashes mid-way it is simply rebuilt, so durability per commit is not needed.
    store.db.pragma('synchronous = OFF');
    // Random-order inserts into the event-id and stream indexes: a bigger page cache saves re-reading pages.
    store.db.pragma('cache_size = -131072');
    const idTaken = store.db.prepare('SELECT 1 FROM events WHERE event_id = ?').pluck();
    const converter = new RowConverter(
      `${params.sourceSha256}:${JSON.stringify(mapping)}`,
      fs.statSync(params.source).mtimeMs,
      (id) => idTaken.get(id) !== undefined,
    );
    const writer = store;
    writer.transaction(() => {
      const session = writer.openAppendSession();
      let done = 0;
      for (const row of rows.rows) {
        const { streamId, event } = converter.convert(row, rows.hasTime);
        let prepared: ReturnType<typeof prepareEvent>;
        try {
          prepared = prepareEvent(event);
        } catch (error) {
          // Data and metadata fit one by one but not together, or a value the format refuses: show a note.
          const reason = error instanceof Error ? error.message : String(error);
          prepared = prepareEvent({
            ...event,
            data: unreadable(`${reason.replace(/\.$/, '')}; the stored values are not shown.`),
            metadata: {},
          });
          converter.adjustments.payloads++;
        }
        session.append(streamId, [prepared], 'any', { collect: false });
        if (++done % 2000 === 0) {
          context.onProgress?.(done, rows.total);
          if (context.signal?.aborted)
            throw new HindsightError('cancelled', 'Reading the foreign store was cancelled.');
        }
      }
      session.flush();
      context.onProgress?.(done, rows.total);
      const info: ForeignSourceInfo = {
        kind: params.kind,
        label: labelOf(params.kind, mapping),
        mapping,
        rows: done,
        adjusted: converter.adjustments.rows,
        timeSource: rows.hasTime ? 'column' : 'file',
        notes: describeAdjustments(converter.adjustments, rows.hasTime ? 'column' : 'file'),
      };
      if (fs.existsSync(`${params.source}-wal`)) {
        // As with our own stores, a stranger's -wal is never replayed: say that its changes are not shown.
        info.notes.unshift(
          'A -wal file lies beside the file: it may hold changes a program had not yet written into the file; they are not shown.',
        );
      }
      writer.db.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?)').run(META_KEY, JSON.stringify(info));
    });
    const info = readForeignInfo(writer);
    writer.close();
    store = undefined;
    fs.renameSync(partial, params.target);
    if (info === null) throw new HindsightError('internal', 'The derived store lost its description.');
    return info;
  } catch (error) {
    store?.close();
    removePartial();
    throw error;
  } finally {
    foreign.close();
  }
}

/** The description a derived store keeps of its source, or null for an ordinary store. */
export function readForeignInfo(store: EventStore): ForeignSourceInfo | null {
  const text = store.db.prepare('SELECT value FROM store_meta WHERE key = ?').pluck().get(META_KEY);
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text) as ForeignSourceInfo;
  } catch {
    return null;
  }
}
