// The command form's logic, driven by the real JSON Schemas the domain registry publishes, and checked
// against the real zod schemas: what the form accepts, the server accepts.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../electron/core/domain/registry';
import {
  initialValue,
  issuesToFieldErrors,
  setAt,
  toPayload,
  validate,
} from '../../../renderer/src/features/commands/schemaForm';
import type { JsonSchema } from '../../../shared/types';

const schemaOf = (type: keyof typeof COMMANDS) => COMMANDS[type].jsonSchema as JsonSchema;

describe('schema form', () => {
  it('round-trips every command example through the form into a payload zod accepts', () => {
    for (const command of Object.values(COMMANDS)) {
      const schema = command.jsonSchema as JsonSchema;
      const value = initialValue(schema, command.example);
      expect(validate(schema, value)).toEqual({});
      const payload = toPayload(schema, value);
      expect(payload).toEqual(command.example);
      expect(command.schema.safeParse(payload).success).toBe(true);
    }
  });

  it('flags an invalid amount inline, like the server would', () => {
    const schema = schemaOf('DepositMoney');
    const value = setAt(initialValue(schema, { accountId: 'alice', amount: 100 }), ['amount'], '12.5');
    expect(validate(schema, value)).toEqual({ amount: 'A whole number, in minor units (e.g. cents).' });
    expect(validate(schema, setAt(value, ['amount'], '0'))).toEqual({ amount: 'Greater than 0.' });
    expect(validate(schema, setAt(value, ['amount'], ''))).toEqual({ amount: 'Required.' });
    expect(COMMANDS.DepositMoney.schema.safeParse(toPayload(schema, setAt(value, ['amount'], '0'))).success).toBe(
      false,
    );
  });

  it('validates array rows by path and omits empty optional fields', () => {
    const schema = schemaOf('PlaceOrder');
    let value = initialValue(schema, COMMANDS.PlaceOrder.example);
    value = setAt(value, ['lines', 1, 'quantity'], 'two');
    value = setAt(value, ['currency'], 'eur');
    const errors = validate(schema, value);
    expect(Object.keys(errors).sort()).toEqual(['currency', 'lines.1.quantity']);

    const refund = schemaOf('RefundOrder');
    expect(toPayload(refund, initialValue(refund, { orderId: 'o-1' }))).toEqual({ orderId: 'o-1' });
  });

  it('refuses zero for a signed adjustment', () => {
    const schema = schemaOf('AdjustBalance');
    expect(validate(schema, initialValue(schema, { accountId: 'a', amount: 0 }))).toEqual({ amount: 'Must not be 0.' });
    expect(validate(schema, initialValue(schema, { accountId: 'a', amount: -5 }))).toEqual({});
  });

  it('maps server issues to field paths', () => {
    expect(
      issuesToFieldErrors({
        issues: [
          { path: ['payload', 'lines', '0', 'sku'], message: 'bad sku' },
          { path: ['actor'], message: 'an actor is required' },
        ],
      }),
    ).toEqual({ 'lines.0.sku': 'bad sku', actor: 'an actor is required' });
    expect(issuesToFieldErrors(undefined)).toEqual({});
  });
});
