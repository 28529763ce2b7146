import { join } from 'node:path';
import { EventStore } from '../../../electron/core/store/eventStore';
import type { NewEvent } from '../../../electron/core/store/types';

/** Test helpers for the history integration tests: stores with controlled times and valid domain events. */

export const T0 = Date.UTC(2024, 0, 1);
export const MINUTE = 60_000;
export const DAY = 86_400_000;

export function createStore(dir: string, name = 'store.hindsight'): EventStore {
  return EventStore.create(join(dir, name), { createdBy: 'history tests' });
}

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence. */
export interface Rng {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

/** A clock for recorded times: strictly increasing, one minute per tick by default. */
export function clock(start = T0, step = MINUTE): () => number {
  let t = start - step;
  return () => {
    t += step;
    return t;
  };
}

/** Valid `accounts` events for one account: opened, then random deposits/withdrawals (balance kept ≥ 0). */
export function accountEvents(accountId: string, count: number, random: Rng, now: () => number): NewEvent[] {
  const events: NewEvent[] = [];
  let balance = 0;
  const t = now();
  events.push({
    type: 'AccountOpened',
    data: { accountId, owner: `Owner ${accountId}`, currency: 'EUR' },
    recordedAt: t,
  });
  for (let i = 1; i < count; i++) {
    const at = now();
    if (balance > 0 && random.next() < 0.4) {
      const amount = random.int(1, balance);
      balance -= amount;
      events.push({
        type: 'MoneyWithdrawn',
        data: { accountId, amount, currency: 'EUR', balanceAfter: balance },
        metadata: { actor: random.pick(['alice', 'bob']) },
        recordedAt: at,
      });
    } else {
      const amount = random.int(1, 10_000);
      balance += amount;
      events.push({
        type: 'MoneyDeposited',
        data: { accountId, amount, currency: 'EUR', balanceAfter: balance },
        metadata: { actor: random.pick(['alice', 'bob', 'carol']) },
        recordedAt: at,
      });
    }
  }
  return events;
}

/** Appends in chunks (one transaction each). */
export function appendAll(store: EventStore, streamId: string, events: NewEvent[], chunk = 1000): void {
  for (let i = 0; i < events.length; i += chunk) store.append(streamId, events.slice(i, i + chunk));
}
