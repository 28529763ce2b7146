import { describe, expect, it } from 'vitest';
import { defineProjection } from '../../../electron/core/projections/define';
import { queryReadModel, queryTable } from '../../../electron/core/projections/query';
import { attachReadModels, detachReadModels } from '../../../electron/core/projections/runtime';
import type { ReadModelFilter, ReadModelRow, SortDirection } from '../../../electron/core/projections/types';
import { useTempDir } from '../../helpers/tempDir';
import { newStore, rng } from './helpers';

/** A read model with a composite key and nullable columns of every kind, filled from events. */
const items = defineProjection({
  name: 'items',
  version: 1,
  description: 'test rows for paging',
  handles: ['ItemSet'],
  tables: {
    ddl: `CREATE TABLE rm_items (
      grp TEXT NOT NULL, n INTEGER NOT NULL, name TEXT, amount INTEGER, at INTEGER NOT NULL, ratio REAL, flag INTEGER,
      PRIMARY KEY (grp, n)
    )`,
    columns: [
      { name: 'grp', type: 'text', label: 'Group' },
      { name: 'n', type: 'integer', label: 'N' },
      { name: 'name', type: 'text', label: 'Name' },
      { name: 'amount', type: 'money', label: 'Amount' },
      { name: 'at', type: 'time', label: 'At' },
      { name: 'ratio', type: 'real', label: 'Ratio' },
      { name: 'flag', type: 'boolean', label: 'Flag' },
    ],
    primaryKey: ['grp', 'n'],
    defaultSort: { column: 'at', dir: 'desc' },
  },
  apply(db, event) {
    const d = event.data as Record<string, unknown>;
    db.prepare('INSERT OR REPLACE INTO rm_items VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      d.grp as string,
      d.n as number,
      (d.name ?? null) as string | null,
      (d.amount ?? null) as number | null,
      d.at as number,
      (d.ratio ?? null) as number | null,
      (d.flag ?? null) as number | null,
    );
  },
});

const COLUMNS = ['grp', 'n', 'name', 'amount', 'at', 'ratio', 'flag'] as const;
const KEY = ['grp', 'n'] as const;

type Value = string | number | null;

function compare(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The order the API promises: NULLs last in either direction, then the value, then the key, in `dir`. */
function bruteSort(rows: ReadModelRow[], column: string, dir: SortDirection): ReadModelRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const av = a[column] ?? null;
    const bv = b[column] ?? null;
    if ((av === null) !== (bv === null)) return av === null ? 1 : -1;
    if (av !== null && bv !== null) {
      const c = compare(av, bv);
      if (c !== 0) return sign * c;
    }
    for (const k of KEY) {
      if (k === column) continue;
      const c = compare(a[k]!, b[k]!);
      if (c !== 0) return sign * c;
    }
    return 0;
  });
}

/** SQL's semantics in JS: a comparison with NULL is never true; LIKE is case-insensitive for ASCII. */
function matches(row: ReadModelRow, f: ReadModelFilter): boolean {
  const v = row[f.column] ?? null;
  if (f.op === 'isNull') return v === null;
  if (f.op === 'notNull') return v !== null;
  if (v === null) return false;
  const w = typeof f.value === 'boolean' ? (f.value ? 1 : 0) : (f.value as Value);
  switch (f.op) {
    case 'eq':
      return compare(v, w) === 0;
    case 'ne':
      return compare(v, w) !== 0;
    case 'lt':
      return compare(v, w) < 0;
    case 'lte':
      return compare(v, w) <= 0;
    case 'gt':
      return compare(v, w) > 0;
    case 'gte':
      return compare(v, w) >= 0;
    case 'contains':
      return String(v).toLowerCase().includes(String(w).toLowerCase());
    case 'startsWith':
      return String(v).toLowerCase().startsWith(String(w).toLowerCase());
  }
  return false;
}

describe('keyset paging of read models', () => {
  const tempDir = useTempDir('hindsight-rm-paging-');

  it('pages with any sort and filters equal a brute-force sort of all rows', () => {
    const { store } = newStore(tempDir());
    attachReadModels(store, { projections: [items] });
    const random = rng(5);
    const words = ['alpha', 'Beta', 'gam_ma', '50%', 'delta', 'ALPHAbet', 'x'];
    store.transaction(() => {
      for (let i = 0; i < 400; i++) {
        const data: Record<string, unknown> = {
          grp: random.pick(['g1', 'g2', 'g3', 'G1']),
          n: random.int(1, 60),
          at: 1_700_000_000_000 + random.int(0, 30) * 1000,
        };
        if (random.next() < 0.8) data.name = random.pick(words);
        if (random.next() < 0.8) data.amount = random.int(-3, 3) * 100;
        if (random.next() < 0.7) data.ratio = random.int(0, 8) / 4;
        if (random.next() < 0.7) data.flag = random.int(0, 1);
        store.append('items-1', [{ type: 'ItemSet', data }]);
      }
    });
    const all = store.db.prepare(`SELECT ${COLUMNS.join(', ')} FROM rm_items`).all() as ReadModelRow[];
    expect(all.length).toBeGreaterThan(100);
    expect(all.some((r) => r.name === null) && all.some((r) => r.amount === null)).toBe(true);

    const filterPool: ReadModelFilter[] = [
      { column: 'grp', op: 'eq', value: 'g1' },
      { column: 'grp', op: 'ne', value: 'g2' },
      { column: 'name', op: 'contains', value: 'ALPHA' },
      { column: 'name', op: 'contains', value: '_' },
      { column: 'name', op: 'contains', value: '%' },
      { column: 'name', op: 'startsWith', value: 'ga' },
      { column: 'name', op: 'isNull' },
      { column: 'amount', op: 'gt', value: 0 },
      { column: 'amount', op: 'lte', value: 100 },
      { column: 'amount', op: 'notNull' },
      { column: 'at', op: 'gte', value: 1_700_000_010_000 },
      { column: 'at', op: 'lt', value: 1_700_000_020_000 },
      { column: 'ratio', op: 'gte', value: 0.5 },
      { column: 'flag', op: 'eq', value: true },
      { column: 'n', op: 'ne', value: 7 },
    ];
    let checked = 0;
    for (const column of COLUMNS) {
      for (const dir of ['asc', 'desc'] as const) {
        for (let round = 0; round < 4; round++) {
          const filters = round === 0 ? [] : Array.from({ length: random.int(1, 3) }, () => random.pick(filterPool));
          const expected = bruteSort(
            all.filter((r) => filters.every((f) => matches(r, f))),
            column,
            dir,
          );
          const got: ReadModelRow[] = [];
          let after: string | null = null;
          let pages = 0;
          let total: number | null = null;
          for (;;) {
            const page = queryReadModel(store, 'items', {
              sort: { column, dir },
              filters,
              after,
              limit: random.int(1, 9),
            });
            total ??= page.total;
            got.push(...page.rows);
            pages++;
            if (page.next === null) break;
            after = page.next;
          }
          expect(got, `${column} ${dir} ${JSON.stringify(filters)}`).toEqual(expected);
          expect(total).toBe(expected.length);
          expect(pages).toBeGreaterThan(0);
          checked++;
        }
      }
    }
    expect(checked).toBe(COLUMNS.length * 8);
    detachReadModels(store);
    store.close();
  });

  it('checks every name and value, and never puts a caller string into the SQL', () => {
    const { store } = newStore(tempDir());
    attachReadModels(store, { projections: [items] });
    const q = (query: Parameters<typeof queryReadModel>[2]) => () => queryReadModel(store, 'items', query);
    expect(q({ sort: { column: 'name; DROP TABLE events', dir: 'asc' } })).toThrow(/no column/);
    expect(q({ filters: [{ column: 'nope', op: 'eq', value: 1 }] })).toThrow(/no column "nope"/);
    expect(q({ filters: [{ column: 'name', op: 'like' as never, value: 'x' }] })).toThrow(/Unknown filter operator/);
    expect(q({ filters: [{ column: 'amount', op: 'contains', value: '1' }] })).toThrow(/text columns/);
    expect(q({ filters: [{ column: 'amount', op: 'eq', value: '1' }] })).toThrow(/needs a number/);
    expect(q({ filters: [{ column: 'name', op: 'eq', value: 3 }] })).toThrow(/needs a text value/);
    expect(q({ limit: 0 })).toThrow(/limit/);
    expect(q({ limit: 1001 })).toThrow(/limit/);
    expect(q({ after: 'garbage' })).toThrow(/cursor/);
    expect(q({ sort: { column: 'grp', dir: 'sideways' as never } })).toThrow(/sort.dir/);
    // A value that looks like SQL is only ever a bound value.
    store.append('items-1', [{ type: 'ItemSet', data: { grp: "g'); DROP TABLE events; --", n: 1, at: 1 } }]);
    const page = queryReadModel(store, 'items', {
      filters: [{ column: 'grp', op: 'eq', value: "g'); DROP TABLE events; --" }],
    });
    expect(page.rows).toHaveLength(1);
    expect(store.head().position).toBe(1);
    // A cursor from another sort order is refused rather than misread.
    store.append('items-1', [{ type: 'ItemSet', data: { grp: 'g', n: 2, at: 2 } }]);
    const first = queryReadModel(store, 'items', { sort: { column: 'name', dir: 'asc' }, limit: 1 });
    expect(() => queryReadModel(store, 'items', { sort: { column: 'grp', dir: 'asc' }, after: first.next })).toThrow(
      /cursor/,
    );
    expect(() => queryReadModel(store, 'items', { sort: { column: 'amount', dir: 'asc' }, after: first.next })).toThrow(
      /cursor/,
    );
    expect(() => queryReadModel(store, 'items', { sort: { column: 'name', dir: 'desc' }, after: first.next })).toThrow(
      /cursor/,
    );
    expect(
      queryReadModel(store, 'items', { sort: { column: 'name', dir: 'asc' }, after: first.next }).rows,
    ).toHaveLength(1);
    expect(queryTable(store.db, items, { count: false }).total).toBeNull();
    detachReadModels(store);
    store.close();
  });
});
