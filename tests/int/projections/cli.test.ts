import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/index';
import { memoryIO } from '../../../electron/cli/io';
import { readModelCachePath } from '../../../electron/core/projections/cache';
import { EventStore } from '../../../electron/core/store/eventStore';
import { useTempDir } from '../../helpers/tempDir';
import { allEvents, newStore, run } from './helpers';

async function cli(...args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

function sha(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function shop(dir: string): string {
  const { store, file } = newStore(dir, 'shop.hindsight');
  run(store, 'OpenAccount', { accountId: 'alice', owner: 'Alice', currency: 'EUR' });
  run(store, 'DepositMoney', { accountId: 'alice', amount: 5000 });
  run(store, 'OpenAccount', { accountId: 'bob', owner: 'Bob', currency: 'EUR' });
  run(store, 'DepositMoney', { accountId: 'bob', amount: 700 });
  run(store, 'WithdrawMoney', { accountId: 'alice', amount: 1000 });
  store.close();
  return file;
}

describe('hindsight readmodel / rebuild', () => {
  const tempDir = useTempDir('hindsight-rm-cli-');

  it('readmodel lists the read models with their status, reading the store as evidence', async () => {
    const dir = tempDir();
    const file = shop(dir);
    const before = sha(file);
    const listed = await cli('readmodel', file);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(/^name\s+ver\s+position\/head\s+status\s+rows$/);
    expect(listed.stdout).toMatch(/^accounts\s+v1\s+5\/5\s+ok\s+2 rows$/m);
    expect(listed.stdout).toMatch(/^streams\s+v1\s+5\/5\s+ok\s+2 rows$/m);
    const json = await cli('readmodel', file, '--json');
    const doc = JSON.parse(json.stdout) as {
      head: number;
      readModels: { name: string; status: string; rows: number }[];
    };
    expect(doc.head).toBe(5);
    expect(doc.readModels.map((m) => [m.name, m.status, m.rows])).toEqual([
      ['accounts', 'ok', 2],
      ['orders', 'ok', 0],
      ['streams', 'ok', 2],
      ['event-types', 'ok', 3],
      ['actors', 'ok', 1],
      ['activity', 'ok', expect.any(Number)],
    ]);
    expect(sha(file)).toBe(before);
    expect(fs.readdirSync(dir)).toEqual(['shop.hindsight']);
  });

  it('readmodel <name> prints its rows now, --at a time or --position N; --json is {name, asOf, rows}', async () => {
    const dir = tempDir();
    const file = shop(dir);
    const store = EventStore.open(file, { mode: 'read-only' });
    const events = allEvents(store);
    store.close();

    const now = await cli('readmodel', file, 'accounts', '--json');
    expect(now.code).toBe(0);
    const doc = JSON.parse(now.stdout);
    expect(Object.keys(doc)).toEqual(['name', 'asOf', 'rows']);
    expect(doc.name).toBe('accounts');
    expect(doc.asOf).toEqual({ position: 5, time: events[4]!.recordedAt });
    expect(doc.rows.map((r: { account_id: string; balance: number }) => [r.account_id, r.balance])).toEqual([
      ['alice', 4000],
      ['bob', 700],
    ]);

    const byPosition = JSON.parse((await cli('readmodel', file, 'accounts', '--position', '2', '--json')).stdout);
    expect(byPosition.asOf).toEqual({ position: 2, time: events[1]!.recordedAt });
    expect(byPosition.rows.map((r: { account_id: string; balance: number }) => [r.account_id, r.balance])).toEqual([
      ['alice', 5000],
    ]);

    const t = events[3]!.recordedAt;
    const byTime = JSON.parse(
      (await cli('readmodel', file, 'accounts', '--at', new Date(t).toISOString(), '--json')).stdout,
    );
    const expectedPosition = events.filter((e) => e.recordedAt <= t).length;
    expect(byTime.asOf).toEqual({ position: expectedPosition, time: t });
    expect(byTime.rows.length).toBe(2);

    const text = await cli('readmodel', file, 'accounts', '--sort', 'balance:desc', '--limit', '1');
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe(
      'account_id\towner\tstatus\tbalance\tcurrency\topened_at\tlast_activity_at\tlast_event_type\tevents\tstream_id',
    );
    expect(text.stdout.split('\n')[1]).toMatch(/^alice\tAlice\topen\t4000\tEUR\t\d{4}-\d\d-\d\dT[\d:.]+Z\t/);
    expect(text.stdout.trim().split('\n')).toHaveLength(2);
    expect(text.stderr).toMatch(/^accounts as of position 5, recorded up to .*Z: 1 row\n$/);

    const filtered = JSON.parse(
      (await cli('readmodel', file, 'accounts', '--where', 'balance:lt:1000', '--json')).stdout,
    );
    expect(filtered.rows.map((r: { account_id: string }) => r.account_id)).toEqual(['bob']);
  });

  it('readmodel keeps its private cache in --cache-dir; usage errors exit 2', async () => {
    const dir = tempDir();
    const file = shop(dir);
    const cacheDir = path.join(dir, 'cache');
    expect((await cli('readmodel', file, 'streams', '--cache-dir', cacheDir)).code).toBe(0);
    const storeId = EventStore.peekStoreId(file)!;
    expect(fs.existsSync(readModelCachePath(cacheDir, storeId))).toBe(true);
    expect((await cli('readmodel', file, 'nope')).code).toBe(2);
    const both = await cli('readmodel', file, 'accounts', '--at', '2024-01-01T00:00:00Z', '--position', '1');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--at or --position/);
    expect((await cli('readmodel', file, '--position', '1')).code).toBe(2);
    expect((await cli('readmodel', file, 'accounts', '--sort', 'balance:up')).code).toBe(2);
    expect((await cli('readmodel', file, 'accounts', '--where', 'balance:like:1')).code).toBe(2);
  });

  it('rebuild rewrites the read models kept in the file (never an event), or those of a private cache', async () => {
    const dir = tempDir();
    const file = shop(dir);
    const rebuilt = await cli('rebuild', file);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(/^accounts\s+5\/5\s+5 events\s+ok$/m);
    expect(rebuilt.stdout).toMatch(/^rebuilt in \d+ ms$/m);
    const store = EventStore.open(file, { mode: 'read-only' });
    expect(store.verify().ok).toBe(true);
    const tables = store.db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'rm%' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(['rm_accounts', 'rm_activity', 'rm_actors', 'rm_event_types', 'rm_orders', 'rm_streams']);
    store.close();
    expect(fs.readdirSync(dir)).toEqual(['shop.hindsight']); // left self-contained

    const before = sha(file);
    const cacheDir = path.join(dir, 'cache');
    const one = await cli('rebuild', file, 'accounts', '--cache-dir', cacheDir, '--json');
    expect(one.code).toBe(0);
    const result = JSON.parse(one.stdout);
    expect(result.models).toEqual([{ name: 'accounts', applied: 5, from: 0, position: 5, status: 'ok', error: null }]);
    expect(sha(file)).toBe(before);
  });
});
