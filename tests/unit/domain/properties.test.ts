import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../../electron/core/domain/accounts/decider';
import { assertNever, DOMAIN_ERROR_CODES } from '../../../electron/core/domain/decider';
import type { OrderState } from '../../../electron/core/domain/orders/decider';
import { MAX_AMOUNT } from '../../../electron/core/domain/primitives';
import { COMMAND_TYPES, COMMANDS, type CommandType, parseEvent } from '../../../electron/core/domain/registry';
import { type Random, seededRandom } from './random';
import { type CommandRecord, World } from './world';

/**
 * Property-style tests: thousands of random command sequences (seeded, reproducible) run through
 * validate → decide → evolve → policies, and after every single command we check:
 *  - the outcome (accepted / rejected with which code / invalid) equals an independent reference model's,
 *    and the folded state equals the model's state;
 *  - balances are never negative (no command may make one negative, AdjustBalance included) and stay safe integers;
 *  - nothing changes without an event: rejected and invalid commands append nothing, and along every stream a
 *    balance moves only on money events, by exactly their amount, matching the recorded balanceAfter;
 *  - refunds never exceed payments; every OrderPaid / OrderRefunded causes exactly one account command.
 * A failure message names the seed and step, so `seededRandom(seed)` replays it.
 */

const SEEDS = 250;
const STEPS = 80;
const ACCOUNT_IDS = ['alice', 'bob', 'carol', 'dave'];
const ORDER_IDS = ['o-1', 'o-2', 'o-3', 'o-4', 'o-5', 'o-6', 'o-7', 'o-8'];
const CURRENCIES = ['EUR', 'EUR', 'EUR', 'USD'];
const MONEY_EVENTS = new Set(['MoneyDeposited', 'MoneyWithdrawn', 'BalanceAdjusted']);

// ---------------------------------------------------------------------------------------------------------------
// Reference model: the rules of docs/domains.md written a second, independent way.

interface ModelAccount {
  status: 'open' | 'frozen' | 'closed';
  currency: string;
  balance: number;
}
interface ModelOrder {
  status: 'placed' | 'paid' | 'shipped' | 'cancelled' | 'refunded';
  total: number;
  paid: number;
  refunded: number;
}

type Expected = 'ok' | 'invalid' | (typeof DOMAIN_ERROR_CODES)[number];

class Model {
  accounts = new Map<string, ModelAccount>();
  orders = new Map<string, ModelOrder>();

  /** The expected outcome of a command, and the change to apply if it is accepted. */
  expect(type: string, payload: unknown): { outcome: Expected; apply?: () => void } {
    const definition = COMMANDS[type as CommandType];
    const parsed = definition.schema.safeParse(payload);
    if (!parsed.success) return { outcome: 'invalid' };
    // biome-ignore lint/suspicious/noExplicitAny: the model reads validated payloads of every command type.
    const p = parsed.data as any;
    const account = this.accounts.get(p.accountId);
    const order = this.orders.get(p.orderId);
    const live = (a: ModelAccount | undefined): Expected | undefined =>
      a === undefined ? 'account_not_found' : a.status === 'closed' ? 'account_closed' : undefined;
    const commandType = type as CommandType;
    switch (commandType) {
      case 'OpenAccount':
        if (account) return { outcome: 'already_exists' };
        return {
          outcome: 'ok',
          apply: () => this.accounts.set(p.accountId, { status: 'open', currency: p.currency, balance: 0 }),
        };
      case 'DepositMoney': {
        const bad = live(account);
        if (bad) return { outcome: bad };
        const a = account!;
        if (p.currency !== undefined && p.currency !== a.currency) return { outcome: 'currency_mismatch' };
        if (a.balance + p.amount > MAX_AMOUNT) return { outcome: 'limit_exceeded' };
        return {
          outcome: 'ok',
          apply: () => {
            a.balance += p.amount;
          },
        };
      }
      case 'WithdrawMoney': {
        const bad = live(account);
        if (bad) return { outcome: bad };
        const a = account!;
        if (a.status === 'frozen') return { outcome: 'account_frozen' };
        if (p.currency !== undefined && p.currency !== a.currency) return { outcome: 'currency_mismatch' };
        if (p.amount > a.balance) return { outcome: 'insufficient_funds' };
        return {
          outcome: 'ok',
          apply: () => {
            a.balance -= p.amount;
          },
        };
      }
      case 'FreezeAccount': {
        const bad = live(account);
        if (bad) return { outcome: bad };
        if (account!.status === 'frozen') return { outcome: 'invalid_transition' };
        return {
          outcome: 'ok',
          apply: () => {
            account!.status = 'frozen';
          },
        };
      }
      case 'UnfreezeAccount': {
        const bad = live(account);
        if (bad) return { outcome: bad };
        if (account!.status !== 'frozen') return { outcome: 'invalid_transition' };
        return {
          outcome: 'ok',
          apply: () => {
            account!.status = 'open';
          },
        };
      }
      case 'CloseAccount': {
        const bad = live(account);
        if (bad) return { outcome: bad };
        if (account!.status === 'frozen') return { outcome: 'account_frozen' };
        if (account!.balance !== 0) return { outcome: 'balance_not_zero' };
        return {
          outcome: 'ok',
          apply: () => {
            account!.status = 'closed';
          },
        };
      }
      case 'AdjustBalance': {
        const bad = live(account);
        if (bad) return { outcome: bad };
        const after = account!.balance + p.amount;
        if (after > MAX_AMOUNT) return { outcome: 'limit_exceeded' };
        if (after < 0) return { outcome: 'negative_balance' };
        return {
          outcome: 'ok',
          apply: () => {
            account!.balance = after;
          },
        };
      }
      case 'PlaceOrder': {
        if (order) return { outcome: 'already_exists' };
        const total = (p.lines as Array<{ quantity: number; unitPrice: number }>).reduce(
          (sum, line) => sum + BigInt(line.quantity) * BigInt(line.unitPrice),
          0n,
        );
        if (total > BigInt(MAX_AMOUNT)) return { outcome: 'limit_exceeded' };
        return {
          outcome: 'ok',
          apply: () => this.orders.set(p.orderId, { status: 'placed', total: Number(total), paid: 0, refunded: 0 }),
        };
      }
      case 'PayOrder':
        if (!order) return { outcome: 'order_not_found' };
        if (order.status !== 'placed') return { outcome: 'invalid_transition' };
        return { outcome: 'ok', apply: () => Object.assign(order, { status: 'paid', paid: order.total }) };
      case 'ShipOrder':
        if (!order) return { outcome: 'order_not_found' };
        if (order.status !== 'paid') return { outcome: 'invalid_transition' };
        return {
          outcome: 'ok',
          apply: () => {
            order.status = 'shipped';
          },
        };
      case 'CancelOrder':
        if (!order) return { outcome: 'order_not_found' };
        if (order.status !== 'placed') return { outcome: 'invalid_transition' };
        return {
          outcome: 'ok',
          apply: () => {
            order.status = 'cancelled';
          },
        };
      case 'RefundOrder': {
        if (!order) return { outcome: 'order_not_found' };
        if (order.status === 'placed' || order.status === 'cancelled') return { outcome: 'invalid_transition' };
        if (order.status === 'refunded') return { outcome: 'nothing_to_refund' };
        const amount = p.amount ?? order.paid - order.refunded;
        if (order.refunded + amount > order.paid) return { outcome: 'refund_exceeds_paid' };
        return {
          outcome: 'ok',
          apply: () => {
            order.refunded += amount;
            if (order.refunded === order.paid) order.status = 'refunded';
          },
        };
      }
      default:
        return assertNever(commandType, 'command type in the model');
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Random commands, biased towards the interesting edges.

function randomAmount(rng: Random, balance: number | undefined): unknown {
  const roll = rng.next();
  if (roll < 0.6) return rng.int(1, 3_000);
  if (roll < 0.72 && balance !== undefined && balance > 0) return balance;
  if (roll < 0.82 && balance !== undefined) return balance + 1;
  if (roll < 0.9) return rng.int(1, 60_000);
  if (roll < 0.95) return MAX_AMOUNT - rng.int(0, 5);
  return rng.pick([0, -1, 1.5, '7', null]);
}

/** Mostly an id that exists (so commands get past "not found"), sometimes any id of the pool. */
function pickId(rng: Random, existing: Iterable<string>, pool: readonly string[]): string {
  const known = [...existing];
  return known.length > 0 && rng.chance(0.75) ? rng.pick(known) : rng.pick(pool);
}

function randomCommand(rng: Random, model: Model): [CommandType, unknown] {
  const accountId = rng.chance(0.02) ? 'bad id' : pickId(rng, model.accounts.keys(), ACCOUNT_IDS);
  const orderId = pickId(rng, model.orders.keys(), ORDER_IDS);
  const account = model.accounts.get(accountId);
  const order = model.orders.get(orderId);
  const type = rng.pick<CommandType>([
    'OpenAccount',
    'DepositMoney',
    'DepositMoney',
    'DepositMoney',
    'WithdrawMoney',
    'WithdrawMoney',
    'FreezeAccount',
    'UnfreezeAccount',
    'CloseAccount',
    'AdjustBalance',
    'PlaceOrder',
    'PlaceOrder',
    'PayOrder',
    'PayOrder',
    'ShipOrder',
    'CancelOrder',
    'RefundOrder',
    'RefundOrder',
  ]);
  const assertedCurrency = () => (rng.chance(0.15) ? { currency: rng.pick(['EUR', 'USD', 'GBP']) } : {});
  switch (type) {
    case 'OpenAccount':
      return [type, { accountId, owner: rng.pick(['Alice', ' Bob ', 'Carol Ng', '']), currency: rng.pick(CURRENCIES) }];
    case 'DepositMoney':
    case 'WithdrawMoney':
      return [type, { accountId, amount: randomAmount(rng, account?.balance), ...assertedCurrency() }];
    case 'AdjustBalance': {
      const magnitude = randomAmount(rng, account?.balance);
      return [type, { accountId, amount: typeof magnitude === 'number' && rng.chance(0.5) ? -magnitude : magnitude }];
    }
    case 'FreezeAccount':
    case 'UnfreezeAccount':
    case 'CloseAccount':
      return [type, { accountId }];
    case 'PlaceOrder': {
      const lines = Array.from({ length: rng.int(1, 3) }, () => ({
        sku: rng.pick(['BOOK-42', 'PEN-7', 'MUG.1']),
        quantity: rng.int(1, 5),
        unitPrice: rng.chance(0.03) ? Math.floor(MAX_AMOUNT / 2) + 1 : rng.int(1, 800),
      }));
      const customerAccountId = pickId(rng, model.accounts.keys(), ACCOUNT_IDS);
      const currency = rng.chance(0.8)
        ? (model.accounts.get(customerAccountId)?.currency ?? 'EUR')
        : rng.pick(CURRENCIES);
      return [type, { orderId, customerAccountId, currency, lines }];
    }
    case 'PayOrder':
    case 'ShipOrder':
    case 'CancelOrder':
      return [type, { orderId }];
    case 'RefundOrder': {
      const remaining = order ? order.paid - order.refunded : 0;
      const roll = rng.next();
      if (roll < 0.4) return [type, { orderId }];
      if (roll < 0.7 && remaining > 0) return [type, { orderId, amount: rng.int(1, remaining) }];
      if (roll < 0.85 && remaining > 0) return [type, { orderId, amount: remaining + rng.int(1, 100) }];
      return [type, { orderId, amount: rng.int(1, 4_000) }];
    }
    default:
      return assertNever(type, 'command type in the generator');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Invariants

function checkAccountStream(world: World, streamId: string, where: string): AccountState {
  let balance = 0;
  for (const event of world.streamEvents(streamId)) {
    const data = event.data as { amount?: number; balanceAfter?: number; balanceBefore?: number };
    if (MONEY_EVENTS.has(event.type)) {
      const delta = event.type === 'MoneyWithdrawn' ? -data.amount! : data.amount!;
      if (event.type === 'BalanceAdjusted') expect(data.balanceBefore, `${where} balanceBefore`).toBe(balance);
      balance += delta;
      expect(data.balanceAfter, `${where} balanceAfter of ${event.type}@${event.streamVersion}`).toBe(balance);
    }
    expect(balance, `${where} balance after ${event.type}`).toBeGreaterThanOrEqual(0);
    expect(Number.isSafeInteger(balance), `${where} safe balance`).toBe(true);
  }
  const state = world.state(streamId) as AccountState;
  expect(state.balance, `${where} folded balance = sum of money events`).toBe(balance);
  return state;
}

function checkOrderStream(world: World, streamId: string, where: string): OrderState {
  const state = world.state(streamId) as OrderState;
  let paid = 0;
  let refunded = 0;
  for (const event of world.streamEvents(streamId)) {
    if (event.type === 'OrderPaid') paid += (event.data as { amount: number }).amount;
    if (event.type === 'OrderRefunded') {
      refunded += (event.data as { amount: number }).amount;
      expect(refunded, `${where} refunds ≤ payments`).toBeLessThanOrEqual(paid);
      expect((event.data as { refundedTotal: number }).refundedTotal).toBe(refunded);
    }
  }
  expect([state.paidAmount, state.refundedAmount], `${where} folded amounts`).toEqual([paid, refunded]);
  expect(state.refundedAmount).toBeLessThanOrEqual(state.paidAmount);
  expect([0, state.total], `${where} paid is 0 or the total`).toContain(state.paidAmount);
  if (state.status === 'refunded') expect(state.refundedAmount).toBe(state.paidAmount);
  if (state.status === 'cancelled' || state.status === 'placed') expect(state.paidAmount).toBe(0);
  if (state.status === 'shipped') expect(state.paidAmount).toBeGreaterThan(0);
  return state;
}

const ALLOWED_POLICY_REJECTIONS: Record<string, string[]> = {
  WithdrawMoney: ['insufficient_funds', 'account_frozen', 'account_not_found', 'account_closed', 'currency_mismatch'],
  DepositMoney: ['account_not_found', 'account_closed', 'currency_mismatch', 'limit_exceeded'],
};

function checkPolicies(world: World, where: string): void {
  const caused = new Map<string, CommandRecord[]>();
  for (const record of world.commands) {
    if (record.causationId !== null)
      caused.set(record.causationId, [...(caused.get(record.causationId) ?? []), record]);
  }
  for (const event of world.events) {
    const followUps = caused.get(event.eventId) ?? [];
    if (event.type !== 'OrderPaid' && event.type !== 'OrderRefunded') {
      expect(followUps, `${where} ${event.type} causes nothing`).toEqual([]);
      continue;
    }
    const data = event.data as { customerAccountId: string; amount: number };
    expect(followUps, `${where} one command per ${event.type}`).toHaveLength(1);
    const record = followUps[0]!;
    expect(record.commandType).toBe(event.type === 'OrderPaid' ? 'WithdrawMoney' : 'DepositMoney');
    expect(record.payload).toMatchObject({ accountId: data.customerAccountId, amount: data.amount });
    if (record.outcome === 'accepted') {
      expect(record.events[0]?.data).toMatchObject({ amount: data.amount });
    } else {
      expect(ALLOWED_POLICY_REJECTIONS[record.commandType], `${where} policy rejection`).toContain(record.code);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------

describe('random command sequences (seeded)', () => {
  it(`${SEEDS} seeds × ${STEPS} commands keep every invariant and match the reference model`, () => {
    const outcomes = new Map<string, number>();
    const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    let commandsRun = 0;

    for (let seed = 1; seed <= SEEDS; seed++) {
      const rng = seededRandom(seed);
      const world = new World();
      const model = new Model();
      for (let step = 0; step < STEPS; step++) {
        const where = `seed ${seed} step ${step}`;
        const [type, payload] = randomCommand(rng, model);
        let expected: ReturnType<Model['expect']> = { outcome: 'invalid' };
        let eventsBefore = 0;
        world.run(type, payload, {
          before: (commandType, commandPayload) => {
            expected = model.expect(commandType, commandPayload);
            eventsBefore = world.events.length;
          },
          after: (record) => {
            commandsRun++;
            const actual =
              record.outcome === 'accepted' ? 'ok' : record.outcome === 'invalid' ? 'invalid' : record.code;
            count(`${record.commandType}:${actual}`);
            count(`code:${actual}`);
            if (record.policy !== null) count(`policy:${record.policy}:${actual}`);
            expect(actual, `${where} ${record.commandType} ${JSON.stringify(record.payload)}`).toBe(expected.outcome);
            // Exactly one event per accepted command; nothing at all otherwise.
            expect(world.events.length - eventsBefore, `${where} events appended`).toBe(actual === 'ok' ? 1 : 0);
            expected.apply?.();
            if (record.streamId?.startsWith('account-')) {
              const state = checkAccountStream(world, record.streamId, where);
              const m = model.accounts.get(state.accountId ?? '');
              expect(m && { status: m.status, balance: m.balance, currency: m.currency }, where).toEqual(
                state.status === 'none'
                  ? undefined
                  : { status: state.status, balance: state.balance, currency: state.currency },
              );
            } else if (record.streamId?.startsWith('order-')) {
              const state = checkOrderStream(world, record.streamId, where);
              const m = model.orders.get(state.orderId ?? '');
              expect(m && { status: m.status, total: m.total, paid: m.paid, refunded: m.refunded }, where).toEqual(
                state.status === 'none'
                  ? undefined
                  : {
                      status: state.status,
                      total: state.total,
                      paid: state.paidAmount,
                      refunded: state.refundedAmount,
                    },
              );
            }
          },
        });
      }
      // End of the sequence: replay every stream from scratch, re-validate every stored event, check causation.
      for (const streamId of world.streamIds()) {
        for (const event of world.streamEvents(streamId)) parseEvent(event.type, event.data);
        if (streamId.startsWith('account-')) checkAccountStream(world, streamId, `seed ${seed} end`);
        else checkOrderStream(world, streamId, `seed ${seed} end`);
      }
      checkPolicies(world, `seed ${seed}`);
      // Money is conserved: all balances together = deposits − withdrawals + adjustments.
      // (BigInt: the sum over several accounts may exceed the safe range of one number.)
      const net = world.events.reduce((sum, event) => {
        const amount = BigInt((event.data as { amount?: number }).amount ?? 0);
        if (event.type === 'MoneyDeposited' || event.type === 'BalanceAdjusted') return sum + amount;
        if (event.type === 'MoneyWithdrawn') return sum - amount;
        return sum;
      }, 0n);
      const balances = [...model.accounts.values()].reduce((sum, account) => sum + BigInt(account.balance), 0n);
      expect(balances, `seed ${seed} money conservation`).toBe(net);
    }

    if (process.env.DOMAIN_PROPERTY_STATS) console.log(JSON.stringify([...outcomes].sort(), null, 0));
    // The generator really explores: thousands of commands, every command accepted, every rejection seen.
    expect(commandsRun).toBeGreaterThan(SEEDS * STEPS);
    for (const type of COMMAND_TYPES) expect(outcomes.get(`${type}:ok`) ?? 0, `${type} accepted`).toBeGreaterThan(10);
    for (const code of [...DOMAIN_ERROR_CODES, 'invalid']) {
      expect(outcomes.get(`code:${code}`) ?? 0, `${code} seen`).toBeGreaterThan(0);
    }
    expect(outcomes.get('WithdrawMoney:insufficient_funds') ?? 0).toBeGreaterThan(100);
    expect(outcomes.get('RefundOrder:refund_exceeds_paid') ?? 0).toBeGreaterThan(50);
    // Policies ran and were both accepted and refused downstream (the believable world).
    expect(outcomes.get('policy:chargeCustomerOnOrderPaid:ok') ?? 0).toBeGreaterThan(10);
    expect(outcomes.get('policy:chargeCustomerOnOrderPaid:insufficient_funds') ?? 0).toBeGreaterThan(10);
    expect(outcomes.get('policy:creditCustomerOnOrderRefunded:ok') ?? 0).toBeGreaterThan(10);
  });

  it('the generator is deterministic per seed', () => {
    const sequence = (seed: number) => {
      const rng = seededRandom(seed);
      const model = new Model();
      return Array.from({ length: 50 }, () => randomCommand(rng, model));
    };
    expect(sequence(7)).toEqual(sequence(7));
    expect(sequence(7)).not.toEqual(sequence(8));
    const rng = seededRandom(1);
    expect([rng.next(), rng.next()]).toEqual([0.6270739405881613, 0.002735721180215478]);
  });
});
