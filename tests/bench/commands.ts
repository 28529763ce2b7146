import * as path from 'node:path';
import Database from 'better-sqlite3';
import { executeCommand } from '../../electron/core/commands/bus';
import { EventStore } from '../../electron/core/store/eventStore';
import type { Bench, BenchContext } from './run';

/**
 * Command-bus throughput: commands per second through `executeCommand` (validate → load → decide → append with
 * the expected version → command-log row, one durable transaction per command, synchronous=FULL, WAL), beside
 * a baseline measured in the same run: raw better-sqlite3 single-row insert transactions with the same pragmas.
 * BENCH_COMMANDS=N sets the number of commands per figure (default 2000).
 */

function seconds(start: number): number {
  return (performance.now() - start) / 1000;
}

/** Raw better-sqlite3: one BEGIN IMMEDIATE … INSERT … COMMIT per row, WAL, synchronous=FULL. */
function rawInserter(file: string): { insert(count: number): number; close(): void } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (
    global_position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL,
    stream_version INTEGER NOT NULL, event_type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
    recorded_at INTEGER NOT NULL, UNIQUE (stream_id, stream_version))`);
  const statement = db.prepare(
    'INSERT INTO events (event_id, stream_id, stream_version, event_type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const one = db.transaction((i: number) =>
    statement.run(
      `evt-${i}`,
      `account-a${i}`,
      1,
      'AccountOpened',
      JSON.stringify({ accountId: `a${i}`, currency: 'EUR', owner: `Owner ${i}` }),
      JSON.stringify({ actor: 'bench', command_id: `cmd-${i}`, correlation_id: `cmd-${i}`, causation_id: `cmd-${i}` }),
      Date.now(),
    ),
  );
  let next = 0;
  return {
    /** Inserts `count` rows, one transaction each; returns the seconds taken. */
    insert(count: number): number {
      const start = performance.now();
      for (let i = 0; i < count; i++) one.immediate(next++);
      return seconds(start);
    },
    close: () => db.close(),
  };
}

/** Runs `fn(i)` for i in [from, from + count) and returns the seconds taken. */
function timed(from: number, count: number, fn: (i: number) => void): number {
  const start = performance.now();
  for (let i = from; i < from + count; i++) fn(i);
  return seconds(start);
}

const busBench: Bench = {
  name: 'command bus vs raw single-row insert transactions',
  run({ dir, report }: BenchContext) {
    const count = Number(process.env.BENCH_COMMANDS ?? 2000);
    const store = EventStore.create(path.join(dir, 'commands.hindsight'), { createdBy: 'bench' });
    try {
      // The bus and the baseline run in alternating rounds, so that background load on the machine hits both alike.
      const raw = rawInserter(path.join(dir, 'raw.sqlite'));
      const rounds = 10;
      const chunk = Math.max(1, Math.floor(count / rounds));
      const total = chunk * rounds;
      let rawSeconds = 0;
      let openSeconds = 0;
      let depositSeconds = 0;
      let floorSeconds = 0;
      // The floor: the same append plus a command-log row in one transaction, without the bus (no validation,
      // no load, no decision, no idempotency look-up).
      const logRow = store.db.prepare(
        `INSERT INTO commands (command_id, command_type, stream_id, payload, actor, received_at, outcome, first_position,
          last_position) VALUES (?, 'OpenAccount', ?, '{}', 'bench', ?, 'accepted', ?, ?)`,
      );
      const floor = (i: number): void => {
        store.transaction(() => {
          const streamId = `account-f${i}`;
          const appended = store.append(
            streamId,
            [
              {
                type: 'AccountOpened',
                data: { accountId: `f${i}`, owner: `Owner ${i}`, currency: 'EUR' },
                metadata: { actor: 'bench', command_id: `f-${i}`, correlation_id: `f-${i}`, causation_id: `f-${i}` },
              },
            ],
            { expectedVersion: 0 },
          );
          logRow.run(`f-${i}`, streamId, Date.now(), appended.firstPosition, appended.lastPosition);
        });
      };
      // Warm-up (JIT, prepared statements), untimed.
      for (let i = 0; i < 50; i++) {
        executeCommand(store, {
          commandType: 'OpenAccount',
          payload: { accountId: `warm${i}`, owner: 'Warm', currency: 'EUR' },
          actor: 'bench',
        });
        floor(1_000_000 + i);
      }
      raw.insert(50);
      try {
        for (let r = 0; r < rounds; r++) {
          floorSeconds += timed(r * chunk, chunk, floor);
          openSeconds += timed(r * chunk, chunk, (i) =>
            executeCommand(store, {
              commandType: 'OpenAccount',
              payload: { accountId: `a${i}`, owner: `Owner ${i}`, currency: 'EUR' },
              actor: 'bench',
            }),
          );
          rawSeconds += raw.insert(chunk);
        }
        // Deposits spread over 100 accounts: each command folds its stream (up to count/100 events) first.
        for (let r = 0; r < rounds; r++) {
          depositSeconds += timed(r * chunk, chunk, (i) =>
            executeCommand(store, {
              commandType: 'DepositMoney',
              payload: { accountId: `a${i % 100}`, amount: 1 + (i % 50) },
              actor: 'bench',
            }),
          );
          rawSeconds += raw.insert(chunk);
        }
      } finally {
        raw.close();
      }
      const opens = total / openSeconds;
      const deposits = total / depositSeconds;
      const rawRate = (2 * total) / rawSeconds;
      report('bus: OpenAccount on new streams', opens, 'commands/s', `${total} commands, 1 event each`);
      report(
        'bus: DepositMoney on 100 existing streams',
        deposits,
        'commands/s',
        `streams grow to ${Math.ceil(total / 100) + 1} events`,
      );
      report('floor: store.append + log row, one transaction, no bus', total / floorSeconds, 'commands/s');
      report('raw better-sqlite3 single-row insert transactions', rawRate, 'inserts/s', 'synchronous=FULL, WAL');
      report('ratio floor / raw insert', total / floorSeconds / rawRate, '×');
      report("ratio bus OpenAccount / floor (the bus's own cost)", opens / (total / floorSeconds), '×');
      report('ratio bus OpenAccount / raw insert', opens / rawRate, '×');
      report('ratio bus DepositMoney / raw insert', deposits / rawRate, '×');

      // Rejections are recorded too (one log row, no event).
      let start = performance.now();
      for (let i = 0; i < total; i++) {
        executeCommand(store, {
          commandType: 'WithdrawMoney',
          payload: { accountId: `a${100 + (i % 100)}`, amount: 1_000_000 },
          actor: 'bench',
        });
      }
      report('bus: rejected WithdrawMoney (log row only, no event)', total / seconds(start), 'commands/s');

      // A command with a policy: PayOrder → OrderPaid → WithdrawMoney (two commands, two transactions).
      const orders = Math.max(100, Math.floor(count / 4));
      for (let i = 0; i < orders; i++) {
        executeCommand(store, {
          commandType: 'PlaceOrder',
          payload: {
            orderId: `o${i}`,
            customerAccountId: `a${i % 100}`,
            currency: 'EUR',
            lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 1 }],
          },
          actor: 'bench',
        });
      }
      start = performance.now();
      for (let i = 0; i < orders; i++) {
        executeCommand(store, { commandType: 'PayOrder', payload: { orderId: `o${i}` }, actor: 'bench' });
      }
      report(
        'bus: PayOrder + its WithdrawMoney follow-up',
        orders / seconds(start),
        'top-level commands/s',
        `${orders}`,
      );
    } finally {
      store.close();
    }
  },
};

export const commandBenches: readonly Bench[] = [busBench];
