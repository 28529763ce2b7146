import { describe, expect, it } from 'vitest';
import { ID_PATTERN, MAX_AMOUNT } from '../../../electron/core/domain/primitives';
import {
  COMMAND_TYPES,
  COMMANDS,
  type CommandType,
  EVENT_TYPES,
  EVENTS,
  type JsonSchema,
  parseCommand,
} from '../../../electron/core/domain/registry';
import { HindsightError } from '../../../electron/core/errors';

/** The `invalid_input` error parseCommand throws, or a test failure if it accepts. */
function invalid(type: string, payload: unknown): HindsightError {
  try {
    parseCommand(type, payload);
  } catch (error) {
    expect(error).toBeInstanceOf(HindsightError);
    expect((error as HindsightError).code).toBe('invalid_input');
    return error as HindsightError;
  }
  return expect.fail(`${type} ${JSON.stringify(payload)} was accepted`);
}

/** The distinct field paths of the issues (one value may break several rules of the same field). */
const issuePaths = (error: HindsightError): string[] => [
  ...new Set(((error.details?.['issues'] ?? []) as Array<{ path: string }>).map((issue) => issue.path)),
];

describe('command payload validation', () => {
  it('parses every example payload into {type, data}', () => {
    for (const type of COMMAND_TYPES) {
      const command = parseCommand(type, COMMANDS[type].example);
      expect(command).toEqual({ type, data: COMMANDS[type].example });
    }
  });

  it('rejects an unknown command type, naming the known ones', () => {
    const error = invalid('TransferMoney', {});
    expect(error.message).toBe('Unknown command type "TransferMoney".');
    expect(error.details?.['known']).toEqual(COMMAND_TYPES);
    invalid('__proto__', {});
    invalid('toString', {});
  });

  it('rejects non-object payloads', () => {
    for (const payload of [null, undefined, 42, 'alice', [], true]) invalid('FreezeAccount', payload);
  });

  it('rejects unsafe or malformed ids, naming the field', () => {
    for (const accountId of ['', 'a b', 'a/b', 'ä', 'x'.repeat(65), 'a\nb', 7]) {
      expect(issuePaths(invalid('FreezeAccount', { accountId }))).toEqual(['accountId']);
    }
    expect(parseCommand('FreezeAccount', { accountId: 'x'.repeat(64) }).data).toEqual({ accountId: 'x'.repeat(64) });
    expect(parseCommand('FreezeAccount', { accountId: 'acme:eu_1.a-b' }).type).toBe('FreezeAccount');
  });

  it('rejects missing fields and unknown (misspelt) fields', () => {
    expect(issuePaths(invalid('OpenAccount', { accountId: 'a', owner: 'A' }))).toEqual(['currency']);
    const error = invalid('DepositMoney', { accountId: 'a', amount: 1, ammount: 2 });
    expect(error.message).toBe('Invalid DepositMoney payload: Unrecognized key: "ammount".');
  });

  it('accepts only 3-letter upper-case currencies', () => {
    for (const currency of ['eur', 'EU', 'EURO', 'E1R', '', 978]) {
      expect(issuePaths(invalid('OpenAccount', { accountId: 'a', owner: 'A', currency }))).toEqual(['currency']);
    }
    expect(issuePaths(invalid('WithdrawMoney', { accountId: 'a', amount: 1, currency: 'usd' }))).toEqual(['currency']);
  });

  it('trims owners and rejects blank owners or control characters', () => {
    expect(parseCommand('OpenAccount', { accountId: 'a', owner: '  Alice  ', currency: 'EUR' }).data).toEqual({
      accountId: 'a',
      owner: 'Alice',
      currency: 'EUR',
    });
    for (const owner of ['', '   ', 'Al\u0000ice', 'Bob\u001b[31m', 'x'.repeat(201)]) {
      expect(issuePaths(invalid('OpenAccount', { accountId: 'a', owner, currency: 'EUR' }))).toEqual(['owner']);
    }
  });

  it('accepts only positive safe integer amounts (minor units, never floats)', () => {
    for (const type of ['DepositMoney', 'WithdrawMoney'] as const) {
      for (const amount of [0, -1, 1.5, 0.1, '100', Number.NaN, Number.POSITIVE_INFINITY, MAX_AMOUNT + 1, 2 ** 60]) {
        expect(issuePaths(invalid(type, { accountId: 'a', amount }))).toEqual(['amount']);
      }
      expect(parseCommand(type, { accountId: 'a', amount: MAX_AMOUNT }).data).toEqual({
        accountId: 'a',
        amount: MAX_AMOUNT,
      });
    }
  });

  it('AdjustBalance takes a signed, non-zero integer', () => {
    expect(parseCommand('AdjustBalance', { accountId: 'a', amount: -5 }).data).toEqual({ accountId: 'a', amount: -5 });
    expect(parseCommand('AdjustBalance', { accountId: 'a', amount: -MAX_AMOUNT }).type).toBe('AdjustBalance');
    expect(invalid('AdjustBalance', { accountId: 'a', amount: 0 }).message).toBe(
      'Invalid AdjustBalance payload: amount: Must not be zero.',
    );
    for (const amount of [1.5, -0.5, -MAX_AMOUNT - 1]) invalid('AdjustBalance', { accountId: 'a', amount });
  });

  it('PlaceOrder needs 1–100 valid lines and names the failing line', () => {
    const base = { orderId: 'o-1', customerAccountId: 'alice', currency: 'EUR' };
    const line = { sku: 'SKU-1', quantity: 1, unitPrice: 100 };
    invalid('PlaceOrder', { ...base, lines: [] });
    invalid('PlaceOrder', { ...base, lines: Array.from({ length: 101 }, () => line) });
    expect(parseCommand('PlaceOrder', { ...base, lines: Array.from({ length: 100 }, () => line) }).type).toBe(
      'PlaceOrder',
    );
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...line, quantity: 0 }, 'lines.1.quantity'],
      [{ ...line, quantity: 1_000_001 }, 'lines.1.quantity'],
      [{ ...line, quantity: 1.5 }, 'lines.1.quantity'],
      [{ ...line, unitPrice: 0 }, 'lines.1.unitPrice'],
      [{ ...line, unitPrice: 9.99 }, 'lines.1.unitPrice'],
      [{ ...line, sku: 'no spaces' }, 'lines.1.sku'],
      [{ ...line, discount: 5 }, 'lines.1'],
    ];
    for (const [bad, path] of cases) {
      expect(issuePaths(invalid('PlaceOrder', { ...base, lines: [line, bad] }))).toEqual([path]);
    }
    expect(issuePaths(invalid('PlaceOrder', { ...base, customerAccountId: 'a b', lines: [line] }))).toEqual([
      'customerAccountId',
    ]);
  });

  it('RefundOrder amount is optional but positive when given', () => {
    expect(parseCommand('RefundOrder', { orderId: 'o-1' }).data).toEqual({ orderId: 'o-1' });
    expect(parseCommand('RefundOrder', { orderId: 'o-1', amount: 5 }).data).toEqual({ orderId: 'o-1', amount: 5 });
    for (const amount of [0, -5, 2.5, null]) {
      expect(issuePaths(invalid('RefundOrder', { orderId: 'o-1', amount }))).toEqual(['amount']);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// JSON Schema

/** Required fields and properties per command: the public contract of the CLI and the file format. */
const CONTRACT: Record<CommandType, { required: string[]; properties: string[] }> = {
  OpenAccount: { required: ['accountId', 'owner', 'currency'], properties: ['accountId', 'owner', 'currency'] },
  DepositMoney: { required: ['accountId', 'amount'], properties: ['accountId', 'amount', 'currency'] },
  WithdrawMoney: { required: ['accountId', 'amount'], properties: ['accountId', 'amount', 'currency'] },
  FreezeAccount: { required: ['accountId'], properties: ['accountId'] },
  UnfreezeAccount: { required: ['accountId'], properties: ['accountId'] },
  CloseAccount: { required: ['accountId'], properties: ['accountId'] },
  AdjustBalance: { required: ['accountId', 'amount'], properties: ['accountId', 'amount'] },
  PlaceOrder: {
    required: ['orderId', 'customerAccountId', 'currency', 'lines'],
    properties: ['orderId', 'customerAccountId', 'currency', 'lines'],
  },
  PayOrder: { required: ['orderId'], properties: ['orderId'] },
  ShipOrder: { required: ['orderId'], properties: ['orderId'] },
  CancelOrder: { required: ['orderId'], properties: ['orderId'] },
  RefundOrder: { required: ['orderId'], properties: ['orderId', 'amount'] },
};

/**
 * A deliberately small JSON Schema (2020-12) validator covering exactly the keywords our schemas use. It refuses
 * schemas with any other keyword, so a zod change that emits something new fails here instead of passing
 * unchecked. Used to prove the published JSON Schemas accept and refuse the same payloads as zod.
 */
const KNOWN_KEYWORDS = new Set([
  '$schema',
  'title',
  'description',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'items',
  'minItems',
  'maxItems',
  'not',
  'const',
]);

function jsonSchemaAccepts(schema: JsonSchema, value: unknown): boolean {
  for (const key of Object.keys(schema)) if (!KNOWN_KEYWORDS.has(key)) throw new Error(`unsupported keyword ${key}`);
  if (schema.const !== undefined && value !== schema.const) return false;
  if (schema.not !== undefined && typeof schema.not === 'object' && jsonSchemaAccepts(schema.not, value)) return false;
  switch (schema.type) {
    case undefined:
      break;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      const record = value as Record<string, unknown>;
      const properties = schema.properties ?? {};
      for (const key of schema.required ?? []) if (!(key in record)) return false;
      for (const [key, item] of Object.entries(record)) {
        const sub = properties[key];
        if (sub === undefined) {
          if (schema.additionalProperties === false) return false;
        } else if (typeof sub === 'object' && !jsonSchemaAccepts(sub, item)) return false;
      }
      break;
    }
    case 'array': {
      if (!Array.isArray(value)) return false;
      if (schema.minItems !== undefined && value.length < schema.minItems) return false;
      if (schema.maxItems !== undefined && value.length > schema.maxItems) return false;
      const items = schema.items;
      if (items !== undefined && typeof items === 'object' && !Array.isArray(items)) {
        if (!value.every((item) => jsonSchemaAccepts(items, item))) return false;
      }
      break;
    }
    case 'string': {
      if (typeof value !== 'string') return false;
      const length = [...value].length;
      if (schema.minLength !== undefined && length < schema.minLength) return false;
      if (schema.maxLength !== undefined && length > schema.maxLength) return false;
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return false;
      break;
    }
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return false;
      if (schema.type === 'integer' && !Number.isInteger(value)) return false;
      if (schema.minimum !== undefined && value < schema.minimum) return false;
      if (schema.maximum !== undefined && value > schema.maximum) return false;
      if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) return false;
      break;
    }
    default:
      throw new Error(`unsupported type ${JSON.stringify(schema.type)}`);
  }
  return true;
}

function propertySchema(type: CommandType, name: string): JsonSchema {
  return COMMANDS[type].jsonSchema.properties?.[name] as JsonSchema;
}

describe('command JSON Schemas (z.toJSONSchema)', () => {
  it.each(COMMAND_TYPES)('%s: draft 2020-12 object with the contract fields, closed to others', (type) => {
    const schema = COMMANDS[type].jsonSchema;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe(type);
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(CONTRACT[type].required);
    expect(Object.keys(schema.properties ?? {})).toEqual(CONTRACT[type].properties);
    expect(typeof schema.description).toBe('string');
    // Plain JSON: survives a round trip unchanged (no functions, no undefined, no symbols).
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    // The example payload is valid under the published schema.
    expect(jsonSchemaAccepts(schema, COMMANDS[type].example)).toBe(true);
  });

  it('ids and currencies carry their patterns; the id pattern is the one the domain uses', () => {
    expect(propertySchema('OpenAccount', 'accountId')).toMatchObject({ type: 'string', pattern: ID_PATTERN.source });
    expect(propertySchema('PayOrder', 'orderId')).toMatchObject({ type: 'string', pattern: ID_PATTERN.source });
    expect(propertySchema('OpenAccount', 'currency')).toMatchObject({ type: 'string', pattern: '^[A-Z]{3}$' });
    expect(propertySchema('OpenAccount', 'owner')).toMatchObject({ type: 'string', minLength: 1, maxLength: 200 });
  });

  it('amounts are integers with bounds; AdjustBalance excludes zero', () => {
    expect(propertySchema('DepositMoney', 'amount')).toMatchObject({
      type: 'integer',
      exclusiveMinimum: 0,
      maximum: MAX_AMOUNT,
    });
    expect(propertySchema('AdjustBalance', 'amount')).toMatchObject({
      type: 'integer',
      minimum: -MAX_AMOUNT,
      maximum: MAX_AMOUNT,
      not: { const: 0 },
    });
  });

  it('PlaceOrder lines: 1–100 items, each a closed {sku, quantity, unitPrice}', () => {
    const lines = propertySchema('PlaceOrder', 'lines');
    expect(lines).toMatchObject({ type: 'array', minItems: 1, maxItems: 100 });
    expect(lines.items).toMatchObject({
      type: 'object',
      required: ['sku', 'quantity', 'unitPrice'],
      additionalProperties: false,
      properties: {
        sku: { type: 'string', pattern: ID_PATTERN.source },
        quantity: { type: 'integer', minimum: 1, maximum: 1_000_000 },
        unitPrice: { type: 'integer', exclusiveMinimum: 0 },
      },
    });
  });

  it('accepts and refuses the same payloads as zod', () => {
    const samples: Array<[CommandType, unknown]> = [
      ['OpenAccount', { accountId: 'a', owner: 'A', currency: 'EUR' }],
      ['OpenAccount', { accountId: 'a', owner: 'A', currency: 'eur' }],
      ['OpenAccount', { accountId: 'a b', owner: 'A', currency: 'EUR' }],
      ['OpenAccount', { accountId: 'a', owner: '', currency: 'EUR' }],
      ['OpenAccount', { accountId: 'a', owner: 'A\u0007', currency: 'EUR' }],
      ['OpenAccount', { accountId: 'a', currency: 'EUR' }],
      ['DepositMoney', { accountId: 'a', amount: 1 }],
      ['DepositMoney', { accountId: 'a', amount: 1, currency: 'USD' }],
      ['DepositMoney', { accountId: 'a', amount: 0 }],
      ['DepositMoney', { accountId: 'a', amount: 1.25 }],
      ['DepositMoney', { accountId: 'a', amount: MAX_AMOUNT + 1 }],
      ['DepositMoney', { accountId: 'a', amount: 1, extra: true }],
      ['WithdrawMoney', { accountId: 'a', amount: '1' }],
      ['AdjustBalance', { accountId: 'a', amount: -3 }],
      ['AdjustBalance', { accountId: 'a', amount: 0 }],
      ['CloseAccount', { accountId: 'x'.repeat(65) }],
      ['CloseAccount', []],
      ['PlaceOrder', { orderId: 'o', customerAccountId: 'c', currency: 'EUR', lines: [] }],
      [
        'PlaceOrder',
        { orderId: 'o', customerAccountId: 'c', currency: 'EUR', lines: [{ sku: 's', quantity: 1, unitPrice: 1 }] },
      ],
      [
        'PlaceOrder',
        { orderId: 'o', customerAccountId: 'c', currency: 'EUR', lines: [{ sku: 's', quantity: 0, unitPrice: 1 }] },
      ],
      ['PlaceOrder', { orderId: 'o', customerAccountId: 'c', currency: 'EUR', lines: [{ sku: 's', quantity: 1 }] }],
      ['RefundOrder', { orderId: 'o' }],
      ['RefundOrder', { orderId: 'o', amount: -1 }],
      ['ShipOrder', { orderId: '' }],
    ];
    const verdicts = samples.map(([type, payload]) => ({
      type,
      payload,
      zod: COMMANDS[type].schema.safeParse(payload).success,
      json: jsonSchemaAccepts(COMMANDS[type].jsonSchema, payload),
    }));
    expect(verdicts.filter((v) => v.zod !== v.json)).toEqual([]);
    expect(verdicts.filter((v) => v.zod).length).toBe(6);
  });

  it('every event type has a JSON Schema that lists its fields as required', () => {
    for (const type of EVENT_TYPES) {
      const schema = EVENTS[type].jsonSchema;
      expect(schema.title).toBe(type);
      expect(schema.type).toBe('object');
      expect(schema.additionalProperties).toBe(false);
      expect(schema.required).toEqual(Object.keys(schema.properties ?? {}));
    }
    expect(EVENTS.MoneyWithdrawn.jsonSchema.required).toEqual(['accountId', 'amount', 'currency', 'balanceAfter']);
    expect(EVENTS.OrderRefunded.jsonSchema.required).toEqual([
      'orderId',
      'customerAccountId',
      'amount',
      'currency',
      'refundedTotal',
      'remainingRefundable',
    ]);
  });
});
