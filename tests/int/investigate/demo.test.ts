import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandLog } from '../../../electron/core/commands/commandLog';
import { exportJsonl } from '../../../electron/core/interchange/exportJsonl';
import { activityPerMinute } from '../../../electron/core/investigate/activity';
import { correlationChain } from '../../../electron/core/investigate/chain';
import {
  createDemoStore,
  DEMO_ACTORS,
  DEMO_DEFAULT_NOW,
  type DemoResult,
} from '../../../electron/core/investigate/demo';
import { searchEvents } from '../../../electron/core/investigate/search';
import type { ChainNode } from '../../../electron/core/investigate/types';
import { EventStore } from '../../../electron/core/store/eventStore';
import type { StoredEvent } from '../../../electron/core/store/types';
import { useTempDir } from '../../helpers/tempDir';
import { allEvents } from './helpers';

// biome-ignore lint/correctness/useHookAtTopLevel: a vitest helper (it registers an afterEach), not a React hook
const tempDir = useTempDir('hindsight-demo-');

const HOUR = 3_600_000;

function exported(file: string): string {
  const store = EventStore.open(file, { mode: 'read-only' });
  try {
    return [...exportJsonl(store)].join('');
  } finally {
    store.close();
  }
}

function withoutIdentity(result: DemoResult): Omit<DemoResult, 'path' | 'storeId'> {
  const { path: _path, storeId: _storeId, ...rest } = result;
  return rest;
}

function flatten(nodes: ChainNode[]): ChainNode[] {
  return nodes.flatMap((node) => [node, ...flatten(node.children)]);
}

describe('the demo store', () => {
  it('is deterministic: same seed → identical events, ids, times and digest; another seed → another store', () => {
    const dir = tempDir();
    const a = createDemoStore(path.join(dir, 'a.hindsight'), { seed: 3, events: 4000 });
    const b = createDemoStore(path.join(dir, 'b.hindsight'), { seed: 3, events: 4000 });
    const c = createDemoStore(path.join(dir, 'c.hindsight'), { seed: 4, events: 4000 });
    expect(withoutIdentity(b)).toEqual(withoutIdentity(a));
    expect(a.storeId).not.toBe(b.storeId);
    const textA = exported(a.path);
    expect(exported(b.path)).toBe(textA);
    expect(c.digest).not.toBe(a.digest);
    expect(exported(c.path)).not.toBe(textA);
    // The command logs are identical too.
    const log = (file: string) => {
      const store = EventStore.open(file, { mode: 'read-only' });
      try {
        return commandLog(store, { order: 'asc', limit: 1000 }).rows.map(({ seq: _seq, ...row }) => row);
      } finally {
        store.close();
      }
    };
    expect(log(b.path)).toEqual(log(a.path));
  });

  it('has about the size asked for, a valid hash chain, and a command log that matches its events', () => {
    const result = createDemoStore(path.join(tempDir(), 'demo.hindsight'), { events: 6000 });
    expect(result.events).toBeGreaterThan(6000 * 0.9);
    expect(result.events).toBeLessThan(6000 * 1.1);
    expect(result.to).toBe(DEMO_DEFAULT_NOW);
    expect(result.to - result.from).toBe(28 * 24 * HOUR);
    const store = EventStore.open(result.path, { mode: 'read-only' });
    expect(store.verify()).toMatchObject({ ok: true, events: result.events });
    const events = allEvents(store);
    expect(events[0]!.recordedAt).toBeGreaterThanOrEqual(result.from);
    expect(events.at(-1)!.recordedAt).toBeLessThanOrEqual(result.to);
    const commands = store.db
      .prepare('SELECT command_id, outcome, first_position, last_position, actor FROM commands')
      .raw()
      .all() as [string, string, number | null, number | null, string][];
    expect(commands).toHaveLength(result.commands);
    expect(commands.filter((c) => c[1] === 'rejected')).toHaveLength(result.rejectedCommands);
    const byId = new Map(commands.map((c) => [c[0], c]));
    for (const event of events) {
      const command = byId.get(event.metadata.command_id as string);
      expect(command, event.eventId).toBeDefined();
      expect(event.globalPosition).toBeGreaterThanOrEqual(command![2]!);
      expect(event.globalPosition).toBeLessThanOrEqual(command![3]!);
      expect(event.metadata.actor).toBe(command![4]);
      expect(event.metadata.correlation_id).toEqual(expect.any(String));
    }
    // Realistic noise: refused withdrawals (insufficient funds), by the policy and by the faulty worker.
    const refusals = store.db
      .prepare("SELECT actor, error_code, count(*) FROM commands WHERE outcome = 'rejected' GROUP BY 1, 2")
      .raw()
      .all() as [string, string, number][];
    expect(refusals).toContainEqual(['policy:chargeCustomerOnOrderPaid', 'insufficient_funds', expect.any(Number)]);
    // Every actor of the story acts.
    const actors = new Set(events.map((e) => e.metadata.actor));
    for (const actor of Object.values(DEMO_ACTORS)) expect(actors, actor).toContain(actor);
    store.close();
  });

  it('contains the incident: double charges findable by actor and time window, corrected hours later with reasons', () => {
    const result = createDemoStore(path.join(tempDir(), 'incident.hindsight'), { seed: 1, events: 8000 });
    const { incident } = result;
    expect(incident.to - incident.from).toBe(30 * 60_000);
    expect(incident.doubleCharges).toBeGreaterThanOrEqual(5);
    const store = EventStore.open(result.path, { mode: 'read-only' });
    const page = searchEvents(
      store,
      { actors: [incident.actor], types: ['MoneyWithdrawn'], recordedFrom: incident.from, recordedTo: incident.to },
      { limit: 1000 },
    );
    expect(page.total).toBe(incident.doubleCharges);
    const orders = new Set<string>();
    for (const duplicate of page.items) {
      expect(duplicate.metadata).toMatchObject({ workerVersion: '2.4.0-rc1', orderRef: expect.stringMatching(/^o-/) });
      orders.add(duplicate.metadata.orderRef as string);
      const chain = correlationChain(store, { eventId: duplicate.eventId });
      const nodes = flatten(chain.roots);
      const events = nodes.filter((n) => n.kind === 'event');
      // Two withdrawals of the same amount from the same account for one order payment…
      const withdrawals = events.filter((n) => n.type === 'MoneyWithdrawn' && n.streamId === duplicate.streamId);
      expect(withdrawals.length).toBeGreaterThanOrEqual(2);
      const pay = nodes.find((n) => n.kind === 'command' && n.commandType === 'PayOrder');
      expect(pay).toMatchObject({ actor: incident.actor });
      // …and the correction by support, hours later, with a reason that says why.
      const correction = nodes.find((n) => n.kind === 'command' && n.commandType === 'AdjustBalance');
      expect(correction).toMatchObject({
        outcome: 'accepted',
        actor: expect.stringMatching(/^support:(alice|bob)$/),
        reason: expect.stringContaining(duplicate.metadata.orderRef as string),
        payload: {
          accountId: (duplicate.data as { accountId: string }).accountId,
          amount: (duplicate.data as { amount: number }).amount,
        },
      });
      if (correction?.kind === 'command') expect(correction.receivedAt - incident.to).toBeGreaterThan(3 * HOUR);
    }
    expect([...orders].sort()).toEqual([...incident.orders].sort());
    // Support's corrections are found by text, too.
    const corrections = searchEvents(
      store,
      { text: 'duplicate charge INC-2041', types: ['BalanceAdjusted'] },
      {
        cacheDir: path.join(tempDir(), 'cache'),
        limit: 1000,
      },
    );
    expect(corrections.total).toBe(incident.corrections);
    expect(incident.corrections).toBe(incident.doubleCharges);
    // Payments stopped while the old worker hung, then came in a burst: the activity chart marks it.
    const activity = activityPerMinute(store, { groupBy: 'actor' });
    expect(activity.spikes.length).toBeGreaterThanOrEqual(1);
    const top = activity.spikes[0]!;
    expect(top.from).toBeLessThan(incident.to);
    expect(top.to).toBeGreaterThan(incident.from);
    expect(top.topKey).toBe(incident.actor);
    const quiet = searchEvents(store, {
      types: ['OrderPaid'],
      recordedFrom: incident.hungAt,
      recordedTo: incident.from - 1,
    });
    expect(quiet.total).toBe(0);
    // Backlog payments carry the time they were made as their business time.
    const backlog = searchEvents(store, { types: ['OrderPaid'], actors: [incident.actor] }, { limit: 1000 });
    expect(backlog.items.some((e: StoredEvent) => e.occurredAt < incident.from)).toBe(true);
    store.close();
  });

  it('refuses bad options and never overwrites a file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'x.hindsight');
    expect(() => createDemoStore(file, { events: 10 })).toThrow(/1000 to 20000000/);
    expect(() => createDemoStore(file, { seed: -1 })).toThrow(/seed/);
    expect(() => createDemoStore(file, { now: Date.now() + 86_400_000 })).toThrow(/future/);
    createDemoStore(file, { events: 1000 });
    expect(() => createDemoStore(file, { events: 1000 })).toThrow(expect.objectContaining({ code: 'already_exists' }));
    const signal = { aborted: true };
    const cancelled = path.join(dir, 'cancelled.hindsight');
    expect(() => createDemoStore(cancelled, { events: 1000, signal })).toThrow(
      expect.objectContaining({ code: 'cancelled' }),
    );
    expect(fs.existsSync(cancelled)).toBe(false);
  });
});
