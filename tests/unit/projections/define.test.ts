import { describe, expect, it } from 'vitest';
import {
  defineProjection,
  handles,
  isProjectionDefinition,
  tableNameOf,
} from '../../../electron/core/projections/define';
import { BUILTIN_PROJECTIONS, checkProjectionSet, findProjection } from '../../../electron/core/projections/registry';
import type { ProjectionSpec } from '../../../electron/core/projections/types';

function spec(overrides: Partial<ProjectionSpec> = {}): ProjectionSpec {
  return {
    name: 'my-model',
    version: 1,
    description: 'test',
    handles: ['A'],
    tables: {
      ddl: 'CREATE TABLE rm_my_model (k TEXT PRIMARY KEY NOT NULL, n INTEGER NOT NULL)',
      columns: [
        { name: 'k', type: 'text', label: 'Key' },
        { name: 'n', type: 'integer', label: 'N' },
      ],
      primaryKey: ['k'],
      defaultSort: { column: 'n', dir: 'desc' },
    },
    apply() {},
    ...overrides,
  };
}

describe('defineProjection', () => {
  it('names tables rm_<name with _> and fingerprints the code', () => {
    const p = defineProjection(spec());
    expect(p.table).toBe('rm_my_model');
    expect(tableNameOf('event-types')).toBe('rm_event_types');
    expect(p.codeHash).toMatch(/^[0-9a-f]{16}$/);
    expect(defineProjection(spec()).codeHash).toBe(p.codeHash);
    expect(defineProjection(spec({ version: 2 })).codeHash).not.toBe(p.codeHash);
    expect(defineProjection(spec({ apply: (db) => void db })).codeHash).not.toBe(p.codeHash);
    expect(isProjectionDefinition(p)).toBe(true);
    expect(isProjectionDefinition({ ...spec() })).toBe(false);
    expect(Object.isFrozen(p)).toBe(true);
  });

  it('knows which events it handles', () => {
    expect(handles(defineProjection(spec()), 'A')).toBe(true);
    expect(handles(defineProjection(spec()), 'B')).toBe(false);
    expect(handles(defineProjection(spec({ handles: ['*'] })), 'anything')).toBe(true);
  });

  it.each([
    ['a bad name', { name: 'My_Model' }, /lower-case words/],
    ['a name with a double dash', { name: 'a--b' }, /lower-case words/],
    ['a version of 0', { version: 0 }, /positive whole number/],
    ['no handled types', { handles: [] }, /handles/],
    ['no apply', { apply: undefined as never }, /apply/],
  ])('refuses %s', (_what, overrides, message) => {
    expect(() => defineProjection(spec(overrides as Partial<ProjectionSpec>))).toThrow(message);
  });

  it('checks the declared columns, key, sort and time series against each other', () => {
    const tables = spec().tables;
    const bad = (t: Partial<ProjectionSpec['tables']>) => () => defineProjection(spec({ tables: { ...tables, ...t } }));
    expect(bad({ columns: [] })).toThrow(/columns/);
    expect(bad({ columns: [{ name: 'a b', type: 'text', label: 'x' }] })).toThrow(/plain SQL name/);
    expect(bad({ columns: [...tables.columns, { name: 'k', type: 'text', label: 'again' }] })).toThrow(/twice/);
    expect(bad({ columns: [{ name: 'k', type: 'blob' as never, label: 'K' }] })).toThrow(/unknown type/);
    expect(bad({ primaryKey: ['missing'] })).toThrow(/primary key column missing/);
    expect(bad({ defaultSort: { column: 'missing', dir: 'asc' } })).toThrow(/defaultSort/);
    expect(bad({ timeSeries: { time: 'k', series: 'k', value: 'missing' } })).toThrow(/time-series/);
    expect(
      bad({
        columns: [{ name: 'k', type: 'money', label: 'K', currencyColumn: 'cur' }],
        defaultSort: { column: 'k', dir: 'asc' },
      }),
    ).toThrow(/currency column cur/);
  });
});

describe('the built-in projections', () => {
  it('are six, with distinct names and tables, each found by name', () => {
    expect(BUILTIN_PROJECTIONS.map((p) => p.name)).toEqual([
      'accounts',
      'orders',
      'streams',
      'event-types',
      'actors',
      'activity',
    ]);
    expect(() => checkProjectionSet(BUILTIN_PROJECTIONS)).not.toThrow();
    expect(() => checkProjectionSet([...BUILTIN_PROJECTIONS, BUILTIN_PROJECTIONS[0]!])).toThrow(/share the name/);
    expect(findProjection(BUILTIN_PROJECTIONS, 'streams').table).toBe('rm_streams');
    expect(() => findProjection(BUILTIN_PROJECTIONS, 'nope')).toThrow(
      /accounts, orders, streams, event-types, actors, activity/,
    );
    expect(BUILTIN_PROJECTIONS.find((p) => p.name === 'activity')!.tables.timeSeries).toEqual({
      time: 'minute',
      series: 'event_type',
      value: 'count',
    });
  });
});
