import * as path from 'node:path';
import Database from 'better-sqlite3';
import { openDerived } from '../../electron/core/foreign/derivedStore';
import { materializeForeign } from '../../electron/core/foreign/materialize';
import type { Bench } from './run';

/**
 * Reading a foreign store: a SQLite table of events (mapped columns) converted into the derived store,
 * against a baseline in the same run: raw better-sqlite3 reading the same rows, parsing their JSON and
 * inserting them into a plain table in one transaction (what any conversion must at least do).
 */
function writeTable(file: string, rows: number): void {
  const db = new Database(file);
  db.exec(
    'CREATE TABLE audit (seq INTEGER PRIMARY KEY, aggregate_id TEXT, event_name TEXT, payload TEXT, headers TEXT, created_at INTEGER, uuid TEXT)',
  );
  const insert = db.prepare(
    'INSERT INTO audit (aggregate_id, event_name, payload, headers, created_at, uuid) VALUES (?, ?, ?, ?, ?, NULL)',
  );
  db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      insert.run(
        `account-${i % 10_000}`,
        i % 3 === 0 ? 'Deposited' : 'Withdrawn',
        JSON.stringify({ amount: (i % 997) * 1.5, currency: 'EUR', note: `event ${i}` }),
        JSON.stringify({ actor: `user-${i % 50}` }),
        1_700_000_000_000 + i * 10,
      );
    }
  })();
  db.close();
}

function rawBaseline(source: string, target: string): number {
  const from = new Database(source, { readonly: true });
  const to = new Database(target);
  to.pragma('journal_mode = WAL');
  to.exec('CREATE TABLE copy (pos INTEGER PRIMARY KEY, stream TEXT, type TEXT, data TEXT, metadata TEXT, at INTEGER)');
  const insert = to.prepare('INSERT INTO copy VALUES (?, ?, ?, ?, ?, ?)');
  const started = performance.now();
  to.transaction(() => {
    for (const row of from.prepare('SELECT * FROM audit ORDER BY seq').raw().iterate() as IterableIterator<unknown[]>) {
      const data = JSON.parse(row[3] as string);
      const metadata = JSON.parse(row[4] as string);
      insert.run(row[0], row[1], row[2], JSON.stringify(data), JSON.stringify(metadata), row[5]);
    }
  })();
  const ms = performance.now() - started;
  from.close();
  to.close();
  return ms;
}

export const foreignBenches: Bench[] = [
  {
    name: 'foreign: mapped SQLite table → derived store',
    run({ events, dir, report }) {
      const rows = Math.max(1000, Math.floor(events / 5));
      const source = path.join(dir, 'audit.db');
      writeTable(source, rows);
      const baselineMs = rawBaseline(source, path.join(dir, 'baseline.db'));
      const target = path.join(dir, 'derived.hindsight');
      const started = performance.now();
      materializeForeign({
        source,
        kind: 'table',
        mapping: {
          table: 'audit',
          stream: 'aggregate_id',
          type: 'event_name',
          data: 'payload',
          metadata: 'headers',
          time: 'created_at',
          position: 'seq',
        },
        target,
        storeId: '01234567-89ab-8cde-a012-3456789abcde',
        sourceSha256: 'bench',
        privateDir: path.join(dir, 'copies'),
      });
      const ms = performance.now() - started;
      report('rows', rows, 'rows');
      report('raw read + JSON.parse + insert (baseline)', (rows / baselineMs) * 1000, 'rows/s');
      report(
        'conversion into the derived store',
        (rows / ms) * 1000,
        'rows/s',
        'incl. private copy, quick_check, hash chain',
      );
      report('ratio: conversion ÷ baseline', baselineMs / ms, '×');
      const reopenStarted = performance.now();
      const reopened = openDerived(target);
      report('reopen the cached derived store', performance.now() - reopenStarted, 'ms');
      reopened.store.close();
    },
  },
];
