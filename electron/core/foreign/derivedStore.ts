import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import type { ColumnMapping, ForeignKind, ForeignSourceInfo } from '../../../shared/types';
import { HindsightError } from '../errors';
import { EventStore } from '../store/eventStore';
import { processAlive } from '../store/privateCopy';
import { uuidFromHex } from '../store/uuidv7';
import { EMMETT_TABLES } from './inspect';
import { type MaterializeParams, readForeignInfo } from './materialize';

/**
 * Where the derived store of a foreign file lives and how it is reused: one file per (source bytes,
 * adapter, mapping) in the cache folder, so opening the same file again is instant, and a changed file or
 * a different mapping gets its own derived store.
 */

/** Bump when the conversion changes, so derived stores of older code are rebuilt. */
const ADAPTER_VERSION = 1;

export interface ForeignPlan {
  kind: ForeignKind;
  mapping: ColumnMapping | null;
}

/** The table names of a `not_a_store` error (a SQLite file that is no Hindsight store), or null for any other error. */
export function notAStoreTables(error: unknown): string[] | null {
  if (!(error instanceof HindsightError) || error.code !== 'not_a_store') return null;
  const tables = error.details?.tables;
  return Array.isArray(tables) && tables.every((t) => typeof t === 'string') ? tables : null;
}

/** The foreign format a `not_a_store` file's tables suggest, given the user's remembered mapping. */
export function planFor(tables: readonly string[], remembered: ColumnMapping | null): ForeignPlan | null {
  if (remembered !== null && tables.includes(remembered.table)) return { kind: 'table', mapping: remembered };
  if (EMMETT_TABLES.every((table) => tables.includes(table))) return { kind: 'emmett', mapping: null };
  return null;
}

export function materializeParams(
  source: string,
  sourceSha256: string,
  plan: ForeignPlan,
  cacheDir: string,
): MaterializeParams {
  // Without a time column the events are shown at the file's modification time, so that time is part of the key.
  const mtime =
    plan.kind === 'table' && plan.mapping?.time === undefined ? Math.floor(fs.statSync(source).mtimeMs) : null;
  const key = createHash('sha256')
    .update(JSON.stringify([ADAPTER_VERSION, sourceSha256, plan.kind, plan.mapping, mtime]))
    .digest('hex');
  const dir = join(cacheDir, 'foreign');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The same source and mapping always get the same id.
  const storeId = uuidFromHex(key);
  return {
    source,
    kind: plan.kind,
    mapping: plan.mapping,
    target: join(dir, `${key.slice(0, 40)}.hindsight`),
    storeId,
    sourceSha256,
    privateDir: join(cacheDir, 'copies'),
  };
}

export interface OpenedDerived {
  store: EventStore;
  info: ForeignSourceInfo;
}

/** Opens a derived store read-only (it is ours, in our cache: read in place, nothing is created beside it). */
export function openDerived(target: string): OpenedDerived {
  const store = EventStore.open(target, { mode: 'read-only', access: 'live', quickCheck: false });
  const info = readForeignInfo(store);
  if (info === null) {
    store.close();
    throw new HindsightError('corrupt', `${target} is not a derived store of a foreign file.`, { path: target });
  }
  return { store, info };
}

/** Opens the derived store if one was built before and is whole; null when it must be built. */
export function openExistingDerived(target: string): OpenedDerived | null {
  if (!fs.existsSync(target)) return null;
  try {
    const now = new Date();
    fs.utimesSync(target, now, now); // "recently used", for pruneDerivedStores
    return openDerived(target);
  } catch {
    fs.rmSync(target, { force: true }); // a damaged cache file is rebuilt from the source
    return null;
  }
}

/** How many derived stores the cache keeps: the most recently used; older ones are rebuilt when opened again. */
export const KEEP_DERIVED_STORES = 12;

/**
 * Keeps the cache of derived stores bounded: removes all but the `keep` most recently used (never
 * `inUse`), and partial files left by a process that died while converting. They are caches: a removed
 * one is rebuilt from its foreign file the next time that file is opened.
 */
export function pruneDerivedStores(cacheDir: string, inUse: string, keep = KEEP_DERIVED_STORES): string[] {
  const dir = join(cacheDir, 'foreign');
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const remove = (name: string): void => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(join(dir, name + suffix), { force: true });
    removed.push(name);
  };
  for (const name of names) {
    const pid = Number(/\.partial-(\d+)$/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) remove(name);
  }
  const stores = names
    .filter((name) => name.endsWith('.hindsight') && join(dir, name) !== inUse)
    .map((name) => ({ name, used: fs.statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const { name } of stores.slice(Math.max(0, keep - 1))) remove(name);
  return removed;
}
