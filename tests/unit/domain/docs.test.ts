import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../../electron/core/domain/accounts/decider';
import { DOMAIN_ERROR_CODES } from '../../../electron/core/domain/decider';
import { POLICIES } from '../../../electron/core/domain/policies';
import { COMMAND_TYPES, COMMANDS, EVENT_TYPES, EVENTS } from '../../../electron/core/domain/registry';
import { World } from './world';

/** docs/domains.md is the reference for the CLI and for auditors: these tests keep it in step with the code. */
const doc = readFileSync(new URL('../../../docs/domains.md', import.meta.url), 'utf8');

describe('docs/domains.md', () => {
  it('has a section for every command, listing each of its payload fields', () => {
    for (const type of COMMAND_TYPES) {
      const start = doc.search(new RegExp(`^#### ${type}\\b`, 'm'));
      expect(start, `section for ${type}`).toBeGreaterThan(0);
      const section = doc.slice(start, doc.indexOf('\n#### ', start + 1));
      for (const field of Object.keys(COMMANDS[type].jsonSchema.properties ?? {})) {
        expect(section, `${type} documents ${field}`).toContain(`\`${field}\``);
      }
      if (COMMANDS[type].corrective) expect(section).toContain('(corrective)');
    }
  });

  it('lists every event with all of its data fields', () => {
    for (const type of EVENT_TYPES) {
      const row = doc.split('\n').find((line) => line.startsWith(`| **${type}** |`));
      expect(row, `event row for ${type}`).toBeDefined();
      for (const field of Object.keys(EVENTS[type].jsonSchema.properties ?? {})) {
        expect(row, `${type} documents ${field}`).toContain(`\`${field}\``);
      }
    }
  });

  it('explains every rejection code and every policy', () => {
    for (const code of DOMAIN_ERROR_CODES) expect(doc).toContain(`| \`${code}\` |`);
    for (const policy of POLICIES) expect(doc).toContain(`| \`${policy.name}\` | **${policy.trigger}** |`);
  });

  it('worked examples: the quoted outcomes and messages are what the domain really does', () => {
    const world = new World();
    const alice = () => (world.state('account-alice') as AccountState).balance;
    world.run('OpenAccount', { accountId: 'alice', owner: 'Alice Martin', currency: 'EUR' });
    world.run('DepositMoney', { accountId: 'alice', amount: 10_000 });
    world.run('PlaceOrder', COMMANDS.PlaceOrder.example);
    const pay = world.run('PayOrder', { orderId: 'o-1001' });
    expect(pay[1]?.events[0]?.data).toEqual({
      accountId: 'alice',
      amount: 2_800,
      currency: 'EUR',
      balanceAfter: 7_200,
    });
    world.run('ShipOrder', { orderId: 'o-1001' });

    const partial = world.run('RefundOrder', { orderId: 'o-1001', amount: 1_250 });
    expect(partial[0]?.events[0]?.data).toMatchObject({ refundedTotal: 1_250, remainingRefundable: 1_550 });
    expect(world.state('order-o-1001')).toMatchObject({ status: 'shipped' });
    expect(alice()).toBe(8_450);
    const tooMuch = world.run('RefundOrder', { orderId: 'o-1001', amount: 2_000 })[0]!;
    expect([tooMuch.code, tooMuch.message]).toEqual([
      'refund_exceeds_paid',
      'Cannot refund 2000 EUR on order o-1001: only 1550 of the 2800 paid is still refundable.',
    ]);
    expect(doc).toContain(tooMuch.message);
    const rest = world.run('RefundOrder', { orderId: 'o-1001' });
    expect(rest[0]?.events[0]?.data).toMatchObject({ amount: 1_550, refundedTotal: 2_800, remainingRefundable: 0 });
    expect(world.run('RefundOrder', { orderId: 'o-1001' })[0]?.code).toBe('nothing_to_refund');

    world.run('OpenAccount', { accountId: 'bob', owner: 'Bob', currency: 'EUR' });
    world.run('DepositMoney', { accountId: 'bob', amount: 1_000 });
    world.run('PlaceOrder', { ...COMMANDS.PlaceOrder.example, orderId: 'o-2002', customerAccountId: 'bob' });
    const [paid, withdraw] = world.run('PayOrder', { orderId: 'o-2002' });
    expect(paid?.outcome).toBe('accepted');
    expect([withdraw?.code, withdraw?.message]).toEqual([
      'insufficient_funds',
      'Cannot withdraw 2800 from account bob: the balance is 1000 EUR, 1800 short.',
    ]);
    expect(doc).toContain(withdraw?.message);

    const invalid = world.run('DepositMoney', { accountId: 'alice', amount: 12.5 })[0]!;
    expect(invalid.code).toBe('invalid_input');
    expect(doc.replace(/\n/g, ' ')).toContain(invalid.message);
  });
});
