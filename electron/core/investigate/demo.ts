import * as fs from 'node:fs';
import { insertCommandRecord } from '../commands/commandLog';
import { isDomainError } from '../domain/decider';
import { POLICIES, policiesFor } from '../domain/policies';
import {
  COMMANDS,
  type Command,
  type CommandType,
  type DomainEvent,
  type DomainState,
  decideCommand,
  domainOfStream,
  EVENTS,
} from '../domain/registry';
import { HindsightError } from '../errors';
import type { AppendSession } from '../store/appendSession';
import { canonicalize } from '../store/canonicalJson';
import { EventStore } from '../store/eventStore';
import { formatDigest } from '../store/hashChain';
import { prepareEvent } from '../store/prepareEvent';
import type { CancelSignal } from '../store/types';
import { DemoRandom } from './demoRandom';

/**
 * The demo store (docs/demo.md): four weeks of a small web shop's accounts and orders, written by several
 * actors, with one incident to find. Deterministic: the same seed (and size and end time) gives byte-identical
 * events — same ids, times, data, metadata and therefore the same hash chain and digest — because every id and
 * time comes from a seeded generator and a simulated clock. Only `store_meta` (store id, creation time) differs
 * between two runs.
 *
 * Commands are decided by the real deciders of the built-in domains and written the way the command bus writes
 * them (same event metadata, same `commands` rows, policies run as follow-up commands with `policy:` ids), but
 * directly through an append session, thousands per transaction: the bus runs one transaction per command and
 * stamps the current time, while the demo needs past times and speed (a million events in well under a minute).
 */

export const DEMO_DEFAULT_SEED = 1;
export const DEMO_DEFAULT_EVENTS = 20_000;
/** The end of the demo's four weeks (Monday 2 March 2026, 00:00 UTC) unless `now` is given. */
export const DEMO_DEFAULT_NOW = Date.UTC(2026, 2, 2);
export const DEMO_DAYS = 28;
export const DEMO_MIN_EVENTS = 1000;
export const DEMO_MAX_EVENTS = 20_000_000;

/** The actors of the demo world. */
export const DEMO_ACTORS = {
  shop: 'web-shop',
  payments: 'payments-worker@2.3.0',
  faultyPayments: 'payments-worker@2.4.0-rc1',
  warehouse: 'warehouse-service',
  alice: 'support:alice',
  bob: 'support:bob',
  interest: 'batch:nightly-interest',
} as const;

export const DEMO_INCIDENT_ID = 'INC-2041';

export interface DemoOptions {
  seed?: number;
  /** About how many events to write (default 20,000; 1,000 to 20,000,000). The result is within a few percent. */
  events?: number;
  /** The end of the scenario (ms since 1970 UTC); it covers the 28 days before. Default DEMO_DEFAULT_NOW. */
  now?: number;
  onProgress?: (written: number, target: number) => void;
  signal?: CancelSignal;
}

export interface DemoIncident {
  id: string;
  /** The faulty worker's actor and version. */
  actor: string;
  workerVersion: string;
  /** When the old worker stopped taking payments (the backlog starts). */
  hungAt: number;
  /** The faulty version's 30 minutes in production. */
  from: number;
  to: number;
  /** Duplicate withdrawals that went through (the double charges), with their order ids. */
  doubleCharges: number;
  /** Duplicate withdrawals refused (insufficient funds): those customers were not charged twice. */
  refusedDoubleCharges: number;
  orders: string[];
  /** The corrective AdjustBalance commands of the support team. */
  corrections: number;
  correctionsFrom: number;
  correctionsTo: number;
}

export interface DemoResult {
  path: string;
  storeId: string;
  seed: number;
  events: number;
  commands: number;
  rejectedCommands: number;
  accounts: number;
  orders: number;
  from: number;
  to: number;
  digest: string;
  incident: DemoIncident;
}

// ---------------------------------------------------------------------------------------------------------------
// The world

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Words of a few lines of text, for compact lists. */
function words(...lines: string[]): string[] {
  return lines.join(' ').split(' ');
}

const FIRST_NAMES = words(
  'Alice Bruno Chloé Dmitri Emma Farid Greta Hugo Ines Jonas Kenji Lena Mateo',
  'Nora Omar Paula Quentin Rosa Sven Tariq Ulla Victor Wen Ximena Yusuf Zoë',
);
const LAST_NAMES = words(
  'Martin Müller García Rossi Novak Jansen Kowalski Dubois Silva Andersen',
  'Nakamura Okafor Papadopoulos Schmidt Fischer Bernard Costa Lindqvist Horvat Moreau',
);

interface Sku {
  sku: string;
  unitPrice: number;
}

const SKUS: readonly Sku[] = [
  { sku: 'BOOK-DDD-42', unitPrice: 4_990 },
  { sku: 'BOOK-SICP-7', unitPrice: 3_950 },
  { sku: 'BOOK-POEMS-3', unitPrice: 1_250 },
  { sku: 'MUG-BLUE-350', unitPrice: 1_490 },
  { sku: 'MUG-CAT-300', unitPrice: 1_290 },
  { sku: 'TEE-BLK-M', unitPrice: 2_400 },
  { sku: 'TEE-WHT-L', unitPrice: 2_400 },
  { sku: 'HOODIE-GRY-M', unitPrice: 5_900 },
  { sku: 'PEN-FOUNTAIN-7', unitPrice: 3_200 },
  { sku: 'PEN-GEL-12', unitPrice: 399 },
  { sku: 'NOTEBOOK-A5-DOT', unitPrice: 1_150 },
  { sku: 'LAMP-DESK-LED', unitPrice: 4_499 },
  { sku: 'HEADPHONES-NC-2', unitPrice: 14_900 },
  { sku: 'CABLE-USBC-1M', unitPrice: 899 },
  { sku: 'BACKPACK-24L', unitPrice: 7_900 },
  { sku: 'PLANT-POTHOS-S', unitPrice: 1_690 },
  { sku: 'TEA-SENCHA-100G', unitPrice: 950 },
  { sku: 'COFFEE-BEANS-1KG', unitPrice: 2_790 },
  { sku: 'PUZZLE-1000', unitPrice: 2_199 },
  { sku: 'SOCKS-WOOL-3P', unitPrice: 1_800 },
];

const REFUND_REASONS = [
  'Item arrived damaged',
  'Wrong size delivered',
  'Parcel lost by the carrier',
  'Customer returned the item within 14 days',
  'Item not as described',
];

/** Relative activity per hour of the day (UTC). */
const HOURLY = [
  0.2, 0.15, 0.12, 0.1, 0.1, 0.15, 0.3, 0.6, 0.9, 1.1, 1.2, 1.3, 1.3, 1.25, 1.2, 1.2, 1.25, 1.35, 1.5, 1.6, 1.5, 1.2,
  0.8, 0.4,
];
const HOURLY_MEAN = HOURLY.reduce((a, b) => a + b, 0) / HOURLY.length;

/** Events the world produces, per customer arrival and per account: the calibration that sizes the world. */
const EVENTS_PER_ARRIVAL = 2.86;
const EVENTS_PER_ACCOUNT = 2.9;
const ACCOUNTS_PER_EVENT = 1 / 40;

interface Stream {
  id: string;
  version: number;
  state: DomainState;
}

interface Account {
  id: string;
  stream: Stream;
  /** Gets the nightly interest. */
  savings: boolean;
  closed: boolean;
}

interface Order {
  id: string;
  stream: Stream;
  account: Account;
  correlationId: string;
  placedEventId: string;
  paidEventId: string | null;
  shippedEventId: string | null;
}

interface WrittenEvent {
  eventId: string;
  type: string;
  data: unknown;
  position: number;
  recordedAt: number;
}

interface CommandSpec {
  type: CommandType;
  payload: Record<string, unknown>;
  actor: string;
  at: number;
  reason?: string;
  commandId?: string;
  correlationId?: string;
  causationId?: string;
  /** Extra metadata keys on the events (e.g. workerVersion). */
  extra?: Record<string, string>;
  occurredAt?: number;
  /** Set for follow-ups: the policy that issued it. */
  policy?: string;
}

type Outcome =
  | { accepted: true; commandId: string; correlationId: string; events: WrittenEvent[] }
  | { accepted: false; commandId: string; code: string; message: string };

type Action =
  | { kind: 'signup' }
  | { kind: 'firstDeposit'; account: Account; correlationId: string; causationId: string }
  | { kind: 'arrival' }
  | { kind: 'pay'; order: Order; occurredAt: number | undefined }
  | { kind: 'cancel'; order: Order }
  | { kind: 'ship'; order: Order }
  | { kind: 'refund'; order: Order }
  | { kind: 'interest'; night: string }
  | { kind: 'freeze'; account: Account }
  | { kind: 'unfreeze'; account: Account }
  | { kind: 'close'; account: Account }
  | { kind: 'duplicate'; order: Order; amount: number; paidEventId: string }
  | { kind: 'correct'; order: Order; amount: number; duplicateEventId: string; actor: string };

interface Scheduled {
  t: number;
  seq: number;
  action: Action;
}

/** A binary min-heap of scheduled actions by (time, insertion order). */
class Agenda {
  private readonly items: Scheduled[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(t: number, action: Action): void {
    const item = { t, seq: this.seq++, action };
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  pop(): Scheduled | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l]!, a[m]!)) m = l;
        if (r < a.length && less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

function less(x: Scheduled, y: Scheduled): boolean {
  return x.t < y.t || (x.t === y.t && x.seq < y.seq);
}

function dayStamp(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

function euros(cents: number): string {
  return `${(cents / 100).toFixed(2)} EUR`;
}

/** Writes the simulated world into a store, command by command, the way the bus would. */
class DemoWorld {
  readonly rng: DemoRandom;
  readonly agenda = new Agenda();
  readonly accounts: Account[] = [];
  private readonly openAccounts: Account[] = [];
  private readonly streams = new Map<string, Stream>();
  private session: AppendSession | undefined;
  private clock: number;
  private accountSeq = 0;
  private orderSeq = 100_000;
  private ticketSeq = 48_000;
  events = 0;
  commands = 0;
  rejected = 0;
  orders = 0;

  readonly start: number;
  readonly end: number;
  readonly incident: DemoIncident;
  private correctionIndex = 0;

  constructor(
    private readonly store: EventStore,
    seed: number,
    private readonly target: number,
    now: number,
  ) {
    this.rng = new DemoRandom(seed);
    this.end = now;
    this.start = now - DEMO_DAYS * DAY;
    this.clock = this.start;
    // Tuesday of the third week, 14:05 UTC (relative to the start's midnight).
    const day = Math.floor(this.start / DAY) * DAY + 15 * DAY;
    const from = day + 14 * HOUR + 5 * MINUTE;
    this.incident = {
      id: DEMO_INCIDENT_ID,
      actor: DEMO_ACTORS.faultyPayments,
      workerVersion: '2.4.0-rc1',
      hungAt: day + 8 * HOUR + 5 * MINUTE,
      from,
      to: from + 30 * MINUTE,
      doubleCharges: 0,
      refusedDoubleCharges: 0,
      orders: [],
      corrections: 0,
      correctionsFrom: from + 4 * HOUR + 25 * MINUTE,
      correctionsTo: 0,
    };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Writing commands

  setSession(session: AppendSession | undefined): void {
    this.session = session;
  }

  private streamOf(streamId: string): Stream {
    let stream = this.streams.get(streamId);
    if (stream === undefined) {
      const domain = domainOfStream(streamId);
      if (domain === undefined) throw new HindsightError('internal', `The demo has no domain for ${streamId}.`);
      stream = { id: streamId, version: 0, state: domain.decider.initialState() };
      this.streams.set(streamId, stream);
    }
    return stream;
  }

  /** Decides a command on its stream's current state, appends its events and records it; then its policies. */
  run(spec: CommandSpec): Outcome {
    this.clock = Math.max(this.clock, spec.at);
    const receivedAt = this.clock;
    const commandId = spec.commandId ?? this.rng.uuidv7(receivedAt);
    const correlationId = spec.correlationId ?? commandId;
    const causationId = spec.causationId ?? commandId;
    const definition = COMMANDS[spec.type];
    const streamId = definition.streamId(spec.payload as never);
    const stream = this.streamOf(streamId);
    const command = { type: spec.type, data: spec.payload } as Command;
    const payloadText = canonicalize(spec.payload, { what: 'payload' });
    const reason = spec.reason ?? null;
    this.commands++;
    let decided: DomainEvent[];
    try {
      decided = decideCommand(command, stream.state);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      this.rejected++;
      insertCommandRecord(this.store.db, {
        commandId,
        commandType: spec.type,
        streamId,
        payload: payloadText,
        actor: spec.actor,
        reason,
        receivedAt,
        outcome: 'rejected',
        errorCode: error.domainCode,
        errorMessage: error.message,
        firstPosition: null,
        lastPosition: null,
      });
      return { accepted: false, commandId, code: error.domainCode, message: error.message };
    }
    const metadata: Record<string, string> = {
      actor: spec.actor,
      command_id: commandId,
      command_type: spec.type,
      correlation_id: correlationId,
      causation_id: causationId,
    };
    if (reason !== null) metadata.reason = reason;
    if (spec.extra !== undefined) Object.assign(metadata, spec.extra);
    const written: WrittenEvent[] = [];
    const prepared = decided.map((event) => {
      this.clock += this.rng.int(1, 3);
      const eventId = this.rng.uuidv7(this.clock);
      written.push({ eventId, type: event.type, data: event.data, position: 0, recordedAt: this.clock });
      return prepareEvent({
        type: event.type,
        data: event.data,
        metadata,
        eventId,
        recordedAt: this.clock,
        ...(spec.occurredAt !== undefined && spec.type === 'PayOrder' ? { occurredAt: spec.occurredAt } : {}),
      });
    });
    if (prepared.length > 0) {
      const result = this.session!.append(streamId, prepared, stream.version, { collect: false });
      written.forEach((event, i) => {
        event.position = result.firstPosition + i;
      });
    }
    for (const event of decided) {
      stream.state = (EVENTS[event.type].evolve as (s: DomainState, e: DomainEvent) => DomainState)(
        stream.state,
        event,
      );
      stream.version++;
    }
    this.events += written.length;
    insertCommandRecord(this.store.db, {
      commandId,
      commandType: spec.type,
      streamId,
      payload: payloadText,
      actor: spec.actor,
      reason,
      receivedAt,
      outcome: 'accepted',
      errorCode: null,
      errorMessage: null,
      firstPosition: written[0]?.position ?? null,
      lastPosition: written.at(-1)?.position ?? null,
    });
    this.runPolicies(written, correlationId, metadata);
    return { accepted: true, commandId, correlationId, events: written };
  }

  private runPolicies(events: WrittenEvent[], correlationId: string, metadata: Record<string, string>): void {
    for (const event of events) {
      if (!POLICIES.some((p) => p.trigger === event.type)) continue;
      const caused = policiesFor({
        type: event.type,
        data: event.data,
        streamId: '',
        eventId: event.eventId,
        metadata,
      });
      for (const item of caused) {
        this.run({
          type: item.commandType,
          payload: item.payload as Record<string, unknown>,
          actor: `policy:${item.policy}`,
          at: this.clock + this.rng.int(2, 25),
          commandId: `policy:${item.idempotencyKey}`,
          correlationId,
          causationId: event.eventId,
          policy: item.policy,
        });
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // The plan

  /** Fills the agenda: sign-ups, customer arrivals with a daily rhythm, nightly interest runs. */
  plan(): void {
    const accounts = Math.max(40, Math.round(this.target * ACCOUNTS_PER_EVENT));
    const arrivals = Math.max(100, (this.target - accounts * EVENTS_PER_ACCOUNT) / EVENTS_PER_ARRIVAL);
    const span = this.end - this.start;
    // A third of the customers sign up on the first day (the shop's launch), the rest over the four weeks.
    for (let i = 0; i < accounts; i++) {
      const t = i < accounts / 3 ? this.start + this.rng.next() * DAY : this.start + this.rng.next() * (span - DAY);
      this.agenda.push(Math.floor(t), { kind: 'signup' });
    }
    const hours = Math.floor(span / HOUR);
    const perHour = arrivals / hours;
    for (let h = 0; h < hours; h++) {
      const t0 = this.start + h * HOUR;
      const date = new Date(t0);
      const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
      // Weekends are 10 % busier; the factors average to 1 over a week.
      const lambda = ((perHour * HOURLY[date.getUTCHours()]!) / HOURLY_MEAN) * ((weekend ? 1.1 : 1) / (7.2 / 7));
      const count = Math.max(0, Math.round(lambda * (0.75 + 0.5 * this.rng.next())));
      for (let i = 0; i < count; i++) this.agenda.push(t0 + Math.floor(this.rng.next() * HOUR), { kind: 'arrival' });
    }
    for (let d = 1; d <= DEMO_DAYS; d++) {
      const night = Math.floor(this.start / DAY) * DAY + d * DAY + 2 * HOUR;
      if (night < this.end) this.agenda.push(night, { kind: 'interest', night: dayStamp(night) });
    }
  }

  /** Runs the next action; false when the agenda is empty. */
  step(): boolean {
    const next = this.agenda.pop();
    if (next === undefined) return false;
    if (next.t >= this.end) return true;
    this.perform(next.t, next.action);
    return true;
  }

  private schedule(t: number, action: Action): void {
    if (t < this.end) this.agenda.push(Math.floor(t), action);
  }

  private perform(t: number, action: Action): void {
    switch (action.kind) {
      case 'signup':
        this.signup(t);
        return;
      case 'firstDeposit':
        this.firstDeposit(t, action);
        return;
      case 'arrival':
        this.arrival(t);
        return;
      case 'pay':
        this.pay(t, action.order, action.occurredAt);
        return;
      case 'cancel':
        this.cancel(t, action.order);
        return;
      case 'ship':
        this.ship(t, action.order);
        return;
      case 'refund':
        this.refund(t, action.order);
        return;
      case 'interest':
        this.interest(t, action.night);
        return;
      case 'freeze':
        this.freeze(t, action.account);
        return;
      case 'unfreeze':
        this.unfreeze(t, action.account);
        return;
      case 'close':
        this.close(t, action.account);
        return;
      case 'duplicate':
        this.duplicate(t, action);
        return;
      case 'correct':
        this.correct(t, action);
        return;
      default: {
        const never: never = action;
        throw new HindsightError('internal', `Unknown demo action ${JSON.stringify(never)}.`);
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Customers

  private balanceOf(account: Account): number {
    return (account.stream.state as { balance: number }).balance;
  }

  private statusOf(account: Account): string {
    return (account.stream.state as { status: string }).status;
  }

  private signup(t: number): void {
    const id = `cust-${String(++this.accountSeq).padStart(6, '0')}`;
    const owner = `${this.rng.pick(FIRST_NAMES)} ${this.rng.pick(LAST_NAMES)}`;
    const outcome = this.run({
      type: 'OpenAccount',
      payload: { accountId: id, owner, currency: 'EUR' },
      actor: DEMO_ACTORS.shop,
      at: t,
    });
    if (!outcome.accepted) return;
    const account: Account = {
      id,
      stream: this.streamOf(`account-${id}`),
      savings: this.rng.chance(0.06),
      closed: false,
    };
    this.accounts.push(account);
    this.openAccounts.push(account);
    this.schedule(t + this.rng.int(1, 40) * MINUTE, {
      kind: 'firstDeposit',
      account,
      correlationId: outcome.correlationId,
      causationId: outcome.events[0]!.eventId,
    });
    if (this.rng.chance(0.012)) this.schedule(t + this.rng.int(2, 20) * DAY, { kind: 'freeze', account });
    if (this.rng.chance(0.006)) this.schedule(t + this.rng.int(3, 25) * DAY, { kind: 'close', account });
  }

  private firstDeposit(t: number, action: Extract<Action, { kind: 'firstDeposit' }>): void {
    this.run({
      type: 'DepositMoney',
      payload: { accountId: action.account.id, amount: this.rng.int(50, 500) * 100 },
      actor: DEMO_ACTORS.shop,
      at: t,
      correlationId: action.correlationId,
      causationId: action.causationId,
    });
  }

  /** A customer comes to the shop: mostly to order, sometimes to top up or to cash out. */
  private arrival(t: number): void {
    if (this.openAccounts.length === 0) return;
    // Older customers are more active: a skewed pick over the sign-up order.
    const index = Math.floor(this.openAccounts.length * this.rng.skewed());
    const account = this.openAccounts[index]!;
    if (account.closed) return;
    const r = this.rng.next();
    if (r < 0.68) this.placeOrder(t, account);
    else if (r < 0.95) {
      this.run({
        type: 'DepositMoney',
        payload: { accountId: account.id, amount: this.rng.int(20, 300) * 100 },
        actor: DEMO_ACTORS.shop,
        at: t,
      });
    } else {
      const balance = this.balanceOf(account);
      if (balance < 1_000 || this.statusOf(account) !== 'open') return;
      this.run({
        type: 'WithdrawMoney',
        payload: { accountId: account.id, amount: Math.max(100, Math.floor(balance * (0.1 + 0.4 * this.rng.next()))) },
        actor: DEMO_ACTORS.shop,
        at: t,
      });
    }
  }

  private placeOrder(t: number, account: Account): void {
    const lines: { sku: string; quantity: number; unitPrice: number }[] = [];
    const used = new Set<string>();
    const lineCount = this.rng.next() < 0.6 ? 1 : this.rng.next() < 0.7 ? 2 : 3;
    for (let i = 0; i < lineCount; i++) {
      const item = this.rng.pick(SKUS);
      if (used.has(item.sku)) continue;
      used.add(item.sku);
      lines.push({
        sku: item.sku,
        quantity: this.rng.next() < 0.8 ? 1 : this.rng.int(2, 3),
        unitPrice: item.unitPrice,
      });
    }
    const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
    // Most customers top up first when their balance would not cover the order.
    if (this.balanceOf(account) < total && this.rng.chance(0.86)) {
      this.run({
        type: 'DepositMoney',
        payload: { accountId: account.id, amount: total + this.rng.int(10, 150) * 100 },
        actor: DEMO_ACTORS.shop,
        at: t,
      });
      t = this.clock + this.rng.int(20, 90) * 1000;
    }
    const orderId = `o-${++this.orderSeq}`;
    const outcome = this.run({
      type: 'PlaceOrder',
      payload: { orderId, customerAccountId: account.id, currency: 'EUR', lines },
      actor: DEMO_ACTORS.shop,
      at: t,
    });
    if (!outcome.accepted) return;
    this.orders++;
    const order: Order = {
      id: orderId,
      stream: this.streamOf(`order-${orderId}`),
      account,
      correlationId: outcome.correlationId,
      placedEventId: outcome.events[0]!.eventId,
      paidEventId: null,
      shippedEventId: null,
    };
    const r = this.rng.next();
    if (r < 0.88) {
      const paidAt = this.clock + Math.floor(20_000 + this.rng.wait(3 * MINUTE));
      this.schedulePayment(paidAt, order);
    } else if (r < 0.96) {
      this.schedule(this.clock + Math.floor(10 * MINUTE + this.rng.wait(8 * HOUR)), { kind: 'cancel', order });
    }
  }

  /** Payments go to the payments worker; while it hangs, they queue up and the faulty release drains them. */
  private schedulePayment(at: number, order: Order): void {
    const { hungAt, from } = this.incident;
    if (at >= hungAt && at < from) {
      // Queued while the old worker hung; the new release drains the queue in its first 20 minutes.
      this.schedule(from + Math.floor(this.rng.next() * 20 * MINUTE), { kind: 'pay', order, occurredAt: at });
      return;
    }
    this.schedule(at, { kind: 'pay', order, occurredAt: undefined });
  }

  private pay(t: number, order: Order, occurredAt: number | undefined): void {
    const faulty = t >= this.incident.from && t < this.incident.to;
    const actor = faulty ? DEMO_ACTORS.faultyPayments : DEMO_ACTORS.payments;
    const outcome = this.run({
      type: 'PayOrder',
      payload: { orderId: order.id },
      actor,
      at: t,
      correlationId: order.correlationId,
      causationId: order.placedEventId,
      extra: { workerVersion: faulty ? this.incident.workerVersion : '2.3.0' },
      ...(occurredAt === undefined ? {} : { occurredAt }),
    });
    if (!outcome.accepted) return;
    const paid = outcome.events[0]!;
    order.paidEventId = paid.eventId;
    const amount = (paid.data as { amount: number }).amount;
    if (faulty && this.rng.chance(0.65)) {
      // The release retries the charge after a timeout through its old direct path: a second withdrawal.
      this.schedule(this.clock + this.rng.int(1500, 6000), {
        kind: 'duplicate',
        order,
        amount,
        paidEventId: paid.eventId,
      });
    }
    if (this.rng.chance(0.93)) {
      this.schedule(this.clock + Math.floor(HOUR + this.rng.wait(20 * HOUR)), { kind: 'ship', order });
    }
  }

  private duplicate(t: number, action: Extract<Action, { kind: 'duplicate' }>): void {
    const { order } = action;
    const outcome = this.run({
      type: 'WithdrawMoney',
      payload: { accountId: order.account.id, amount: action.amount, currency: 'EUR' },
      actor: DEMO_ACTORS.faultyPayments,
      at: t,
      correlationId: order.correlationId,
      causationId: action.paidEventId,
      extra: { workerVersion: this.incident.workerVersion, orderRef: order.id, attempt: '2' },
    });
    if (!outcome.accepted) {
      this.incident.refusedDoubleCharges++;
      return;
    }
    this.incident.doubleCharges++;
    this.incident.orders.push(order.id);
    const actor = this.correctionIndex % 3 === 2 ? DEMO_ACTORS.bob : DEMO_ACTORS.alice;
    const at = this.incident.correctionsFrom + this.correctionIndex * (2 * MINUTE) + this.rng.int(0, 90_000);
    this.correctionIndex++;
    this.schedule(at, {
      kind: 'correct',
      order,
      amount: action.amount,
      duplicateEventId: outcome.events[0]!.eventId,
      actor,
    });
  }

  private correct(t: number, action: Extract<Action, { kind: 'correct' }>): void {
    const { order } = action;
    const outcome = this.run({
      type: 'AdjustBalance',
      payload: { accountId: order.account.id, amount: action.amount },
      actor: action.actor,
      at: t,
      reason: `Refund of a duplicate charge of ${euros(action.amount)} for order ${order.id}: payments-worker 2.4.0-rc1 charged it twice (${DEMO_INCIDENT_ID}).`,
      correlationId: order.correlationId,
      causationId: action.duplicateEventId,
      extra: { ticket: DEMO_INCIDENT_ID },
    });
    if (outcome.accepted) {
      this.incident.corrections++;
      this.incident.correctionsTo = this.clock;
    }
  }

  private cancel(t: number, order: Order): void {
    this.run({
      type: 'CancelOrder',
      payload: { orderId: order.id },
      actor: DEMO_ACTORS.shop,
      at: t,
      correlationId: order.correlationId,
      causationId: order.placedEventId,
    });
  }

  private ship(t: number, order: Order): void {
    const outcome = this.run({
      type: 'ShipOrder',
      payload: { orderId: order.id },
      actor: DEMO_ACTORS.warehouse,
      at: t,
      correlationId: order.correlationId,
      causationId: order.paidEventId ?? undefined,
    });
    if (!outcome.accepted) return;
    order.shippedEventId = outcome.events[0]!.eventId;
    if (this.rng.chance(0.03)) {
      this.schedule(this.clock + Math.floor(DAY + this.rng.next() * 5 * DAY), { kind: 'refund', order });
    }
  }

  private refund(t: number, order: Order): void {
    const state = order.stream.state as { paidAmount: number; refundedAmount: number };
    const refundable = state.paidAmount - state.refundedAmount;
    const partial = this.rng.chance(0.4) && refundable > 200;
    const payload: Record<string, unknown> = { orderId: order.id };
    if (partial) payload.amount = Math.floor(refundable / 2);
    this.run({
      type: 'RefundOrder',
      payload,
      actor: this.rng.chance(0.5) ? DEMO_ACTORS.alice : DEMO_ACTORS.bob,
      at: t,
      reason: `${this.rng.pick(REFUND_REASONS)} (ticket #${++this.ticketSeq}).`,
      correlationId: order.correlationId,
      causationId: order.shippedEventId ?? undefined,
    });
  }

  /** The nightly interest run: savings accounts get 0.02 % of their balance, one command each. */
  private interest(t: number, night: string): void {
    let at = t;
    const correlationId = `nightly-interest-${night}`;
    for (const account of this.accounts) {
      if (!account.savings || account.closed) continue;
      const amount = Math.floor(this.balanceOf(account) * 0.0002);
      if (amount < 1 || this.statusOf(account) === 'closed') continue;
      at += this.rng.int(10_000, 40_000);
      this.run({
        type: 'DepositMoney',
        payload: { accountId: account.id, amount },
        actor: DEMO_ACTORS.interest,
        at,
        correlationId,
        extra: { run: night },
      });
    }
  }

  private freeze(t: number, account: Account): void {
    const outcome = this.run({
      type: 'FreezeAccount',
      payload: { accountId: account.id },
      actor: DEMO_ACTORS.bob,
      at: t,
      reason: `Chargeback dispute under review (ticket #${++this.ticketSeq}).`,
    });
    if (outcome.accepted) this.schedule(t + this.rng.int(20, 60) * HOUR, { kind: 'unfreeze', account });
  }

  private unfreeze(t: number, account: Account): void {
    this.run({
      type: 'UnfreezeAccount',
      payload: { accountId: account.id },
      actor: DEMO_ACTORS.alice,
      at: t,
      reason: 'Dispute resolved in the customer’s favour.',
    });
  }

  /** A customer leaves: support sometimes tries to close before the balance is paid out (refused). */
  private close(t: number, account: Account): void {
    if (this.statusOf(account) !== 'open') return;
    if (this.rng.chance(0.5) && this.balanceOf(account) > 0) {
      this.run({
        type: 'CloseAccount',
        payload: { accountId: account.id },
        actor: DEMO_ACTORS.alice,
        at: t,
        reason: 'Customer asked to close the account.',
      });
      t = this.clock + this.rng.int(3, 20) * MINUTE;
    }
    const balance = this.balanceOf(account);
    if (balance > 0) {
      this.run({
        type: 'WithdrawMoney',
        payload: { accountId: account.id, amount: balance },
        actor: DEMO_ACTORS.shop,
        at: t,
      });
      t = this.clock + this.rng.int(1, 5) * 1000;
    }
    const outcome = this.run({
      type: 'CloseAccount',
      payload: { accountId: account.id },
      actor: DEMO_ACTORS.alice,
      at: t,
      reason: 'Customer asked to close the account.',
    });
    if (outcome.accepted) {
      account.closed = true;
      const i = this.openAccounts.indexOf(account);
      if (i !== -1) this.openAccounts.splice(i, 1);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Entry point

function checkOptions(opts: DemoOptions): { seed: number; events: number; now: number } {
  const seed = opts.seed ?? DEMO_DEFAULT_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new HindsightError('invalid_input', 'The demo seed must be a whole number from 0 to 4294967295.', {
      field: 'seed',
    });
  }
  const events = opts.events ?? DEMO_DEFAULT_EVENTS;
  if (!Number.isSafeInteger(events) || events < DEMO_MIN_EVENTS || events > DEMO_MAX_EVENTS) {
    throw new HindsightError(
      'invalid_input',
      `The demo size must be a whole number of events from ${DEMO_MIN_EVENTS} to ${DEMO_MAX_EVENTS}.`,
      { field: 'events' },
    );
  }
  const now = opts.now ?? DEMO_DEFAULT_NOW;
  if (!Number.isSafeInteger(now) || now - DEMO_DAYS * DAY < 0) {
    throw new HindsightError('invalid_input', 'The demo end time must be a time after February 1970 (ms since 1970).', {
      field: 'now',
    });
  }
  if (now > Date.now()) {
    throw new HindsightError(
      'invalid_input',
      `The demo end time ${new Date(now).toISOString()} lies in the future; a store never records future times.`,
      { field: 'now' },
    );
  }
  return { seed, events, now };
}

const BATCH_EVENTS = 20_000;

/**
 * Creates the demo store at `file` (which must not exist). See docs/demo.md for the scenario. On failure or
 * cancellation the partly written file is removed.
 */
export function createDemoStore(file: string, opts: DemoOptions = {}): DemoResult {
  const { seed, events: target, now } = checkOptions(opts);
  const store = EventStore.create(file, { createdBy: `hindsight demo (seed ${seed})` });
  let ok = false;
  try {
    const world = new DemoWorld(store, seed, target, now);
    world.plan();
    let more = true;
    while (more) {
      if (opts.signal?.aborted) {
        throw new HindsightError('cancelled', `Creating the demo store was cancelled after ${world.events} events.`);
      }
      store.transaction(() => {
        const session = store.openAppendSession();
        world.setSession(session);
        const stop = world.events + BATCH_EVENTS;
        while (world.events < stop) {
          more = world.step();
          if (!more) break;
        }
        session.flush();
        world.setSession(undefined);
      });
      opts.onProgress?.(world.events, target);
    }
    const head = store.head();
    const result: DemoResult = {
      path: file,
      storeId: store.storeId,
      seed,
      events: head.position,
      commands: world.commands,
      rejectedCommands: world.rejected,
      accounts: world.accounts.length,
      orders: world.orders,
      from: world.start,
      to: world.end,
      digest: formatDigest(head),
      incident: world.incident,
    };
    ok = true;
    return result;
  } finally {
    store.close();
    if (!ok) for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
  }
}
