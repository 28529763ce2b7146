import { z } from 'zod';
import { HindsightError } from '../errors';
import { type AccountCommand, accountCommandSchemas } from './accounts/commands';
import { type AccountState, accountStreamId, accountsDecider } from './accounts/decider';
import { type AccountEvent, accountEventSchemas } from './accounts/events';
import type { Decider } from './decider';
import { type OrderCommand, orderCommandSchemas } from './orders/commands';
import { type OrderState, orderStreamId, ordersDecider } from './orders/decider';
import { type OrderEvent, orderEventSchemas } from './orders/events';

/**
 * The catalog of built-in domains: the one place the command bus, the CLI, the UI (forms from JSON Schema) and the
 * history services look up "which domain handles this command, on which stream, with which schema" and "which
 * domain folds this event". Pure data and pure functions: no store, no clock.
 */

// ---------------------------------------------------------------------------------------------------------------
// Types

export const DOMAIN_NAMES = ['accounts', 'orders'] as const;
export type DomainName = (typeof DOMAIN_NAMES)[number];

export type Command = AccountCommand | OrderCommand;
export type DomainEvent = AccountEvent | OrderEvent;
export type CommandType = Command['type'];
export type EventType = DomainEvent['type'];
export type CommandPayload<K extends CommandType> = Extract<Command, { type: K }>['data'];
export type EventData<K extends EventType> = Extract<DomainEvent, { type: K }>['data'];
export type DomainState = AccountState | OrderState;

export type JsonSchema = z.core.JSONSchema.JSONSchema;

export interface CommandDefinition<K extends CommandType = CommandType> {
  readonly type: K;
  readonly domain: DomainName;
  /** One line for `--help`, menus and docs. */
  readonly description: string;
  /** Corrective commands rewrite history's consequences; the bus refuses them without a `reason`. */
  readonly corrective: boolean;
  /** Validates the payload (strict: unknown keys are errors). */
  readonly schema: z.ZodType<CommandPayload<K>>;
  /** `z.toJSONSchema(schema)` (draft 2020-12, input side) with `title` = the command type. */
  readonly jsonSchema: JsonSchema;
  /** A valid payload, for help texts, forms and tests. */
  readonly example: CommandPayload<K>;
  /** The stream the command is decided on, e.g. `account-<accountId>`. */
  streamId(payload: CommandPayload<K>): string;
}

export interface EventDefinition<K extends EventType = EventType> {
  readonly type: K;
  readonly domain: DomainName;
  readonly description: string;
  /** `events.schema_version` for events written by this version of Hindsight. */
  readonly schemaVersion: 1;
  readonly schema: z.ZodType<EventData<K>>;
  readonly jsonSchema: JsonSchema;
  /** The owning domain's evolve, for this event type. */
  evolve(state: DomainState, event: Extract<DomainEvent, { type: K }>): DomainState;
}

export interface DomainDefinition {
  readonly name: DomainName;
  /** Stream ids of the domain are `<streamCategory>-<id>`; the store's `streams.category` is this value. */
  readonly streamCategory: string;
  readonly description: string;
  readonly commandTypes: readonly CommandType[];
  readonly eventTypes: readonly EventType[];
  /** The domain's decider, with its types widened to the catalog's unions (dispatch is by the registry). */
  readonly decider: Decider<Command, DomainEvent, DomainState>;
}

// ---------------------------------------------------------------------------------------------------------------
// Commands

function jsonSchemaOf(type: string, schema: z.ZodType): JsonSchema {
  const { $schema, ...rest } = z.toJSONSchema(schema, { io: 'input' });
  return { $schema, title: type, ...rest };
}

function defineCommand<K extends CommandType>(
  type: K,
  definition: Omit<CommandDefinition<K>, 'type' | 'jsonSchema'>,
): CommandDefinition<K> {
  return Object.freeze({ type, ...definition, jsonSchema: jsonSchemaOf(type, definition.schema) });
}

export const COMMANDS: { readonly [K in CommandType]: CommandDefinition<K> } = {
  OpenAccount: defineCommand('OpenAccount', {
    domain: 'accounts',
    description: 'Open a new account for an owner in one currency, with a zero balance.',
    corrective: false,
    schema: accountCommandSchemas.OpenAccount,
    example: { accountId: 'alice', owner: 'Alice Martin', currency: 'EUR' },
    streamId: (p) => accountStreamId(p.accountId),
  }),
  DepositMoney: defineCommand('DepositMoney', {
    domain: 'accounts',
    description: 'Credit an amount (minor units) to an open or frozen account.',
    corrective: false,
    schema: accountCommandSchemas.DepositMoney,
    example: { accountId: 'alice', amount: 10_000 },
    streamId: (p) => accountStreamId(p.accountId),
  }),
  WithdrawMoney: defineCommand('WithdrawMoney', {
    domain: 'accounts',
    description: 'Debit an amount from an open account; refused if frozen or if the balance is too low.',
    corrective: false,
    schema: accountCommandSchemas.WithdrawMoney,
    example: { accountId: 'alice', amount: 2_500 },
    streamId: (p) => accountStreamId(p.accountId),
  }),
  FreezeAccount: defineCommand('FreezeAccount', {
    domain: 'accounts',
    description: 'Freeze an open account: withdrawals and closing are refused until it is unfrozen.',
    corrective: false,
    schema: accountCommandSchemas.FreezeAccount,
    example: { accountId: 'alice' },
    streamId: (p) => accountStreamId(p.accountId),
  }),
  UnfreezeAccount: defineCommand('UnfreezeAccount', {
    domain: 'accounts',
    description: 'Lift the freeze of a frozen account.',
    corrective: false,
    schema: accountCommandSchemas.UnfreezeAccount,
    example: { accountId: 'alice' },
    streamId: (p) => accountStreamId(p.accountId),
  }),
  CloseAccount: defineCommand('CloseAccount', {
    domain: 'accounts',
    description: 'Close an open (not frozen) account whose balance is zero.',
    corrective: false,
    schema: accountCommandSchemas.CloseAccount,
    example: { accountId: 'alice' },
    streamId: (p) => accountStreamId(p.accountId),
  }),
  AdjustBalance: defineCommand('AdjustBalance', {
    domain: 'accounts',
    description: 'Correct a balance by a signed amount (never below zero). Corrective: a reason is required.',
    corrective: true,
    schema: accountCommandSchemas.AdjustBalance,
    example: { accountId: 'alice', amount: -150 },
    streamId: (p) => accountStreamId(p.accountId),
  }),
  PlaceOrder: defineCommand('PlaceOrder', {
    domain: 'orders',
    description: "Place an order for a customer's account; its total is the sum of quantity × unitPrice.",
    corrective: false,
    schema: orderCommandSchemas.PlaceOrder,
    example: {
      orderId: 'o-1001',
      customerAccountId: 'alice',
      currency: 'EUR',
      lines: [
        { sku: 'BOOK-42', quantity: 2, unitPrice: 1_250 },
        { sku: 'PEN-7', quantity: 1, unitPrice: 300 },
      ],
    },
    streamId: (p) => orderStreamId(p.orderId),
  }),
  PayOrder: defineCommand('PayOrder', {
    domain: 'orders',
    description: "Record payment of a placed order's total; a policy then debits the customer's account.",
    corrective: false,
    schema: orderCommandSchemas.PayOrder,
    example: { orderId: 'o-1001' },
    streamId: (p) => orderStreamId(p.orderId),
  }),
  ShipOrder: defineCommand('ShipOrder', {
    domain: 'orders',
    description: 'Ship a paid order.',
    corrective: false,
    schema: orderCommandSchemas.ShipOrder,
    example: { orderId: 'o-1001' },
    streamId: (p) => orderStreamId(p.orderId),
  }),
  CancelOrder: defineCommand('CancelOrder', {
    domain: 'orders',
    description: 'Cancel a placed order that is not paid yet (a paid order is refunded instead).',
    corrective: false,
    schema: orderCommandSchemas.CancelOrder,
    example: { orderId: 'o-1001' },
    streamId: (p) => orderStreamId(p.orderId),
  }),
  RefundOrder: defineCommand('RefundOrder', {
    domain: 'orders',
    description:
      "Refund all (default) or part of an order's payment; a policy credits the customer. Corrective: a reason is required.",
    corrective: true,
    schema: orderCommandSchemas.RefundOrder,
    example: { orderId: 'o-1001', amount: 1_250 },
    streamId: (p) => orderStreamId(p.orderId),
  }),
};

export const COMMAND_TYPES = Object.keys(COMMANDS) as CommandType[];

// ---------------------------------------------------------------------------------------------------------------
// Events

const accountsEvolve = (state: DomainState, event: DomainEvent): DomainState =>
  accountsDecider.evolve(state as AccountState, event as AccountEvent);
const ordersEvolve = (state: DomainState, event: DomainEvent): DomainState =>
  ordersDecider.evolve(state as OrderState, event as OrderEvent);

function defineEvent<K extends EventType>(
  type: K,
  domain: DomainName,
  schema: z.ZodType<EventData<K>>,
): EventDefinition<K> {
  return Object.freeze({
    type,
    domain,
    description: schema.description ?? type,
    schemaVersion: 1 as const,
    schema,
    jsonSchema: jsonSchemaOf(type, schema),
    evolve: domain === 'accounts' ? accountsEvolve : ordersEvolve,
  });
}

export const EVENTS: { readonly [K in EventType]: EventDefinition<K> } = {
  AccountOpened: defineEvent('AccountOpened', 'accounts', accountEventSchemas.AccountOpened),
  MoneyDeposited: defineEvent('MoneyDeposited', 'accounts', accountEventSchemas.MoneyDeposited),
  MoneyWithdrawn: defineEvent('MoneyWithdrawn', 'accounts', accountEventSchemas.MoneyWithdrawn),
  AccountFrozen: defineEvent('AccountFrozen', 'accounts', accountEventSchemas.AccountFrozen),
  AccountUnfrozen: defineEvent('AccountUnfrozen', 'accounts', accountEventSchemas.AccountUnfrozen),
  AccountClosed: defineEvent('AccountClosed', 'accounts', accountEventSchemas.AccountClosed),
  BalanceAdjusted: defineEvent('BalanceAdjusted', 'accounts', accountEventSchemas.BalanceAdjusted),
  OrderPlaced: defineEvent('OrderPlaced', 'orders', orderEventSchemas.OrderPlaced),
  OrderPaid: defineEvent('OrderPaid', 'orders', orderEventSchemas.OrderPaid),
  OrderShipped: defineEvent('OrderShipped', 'orders', orderEventSchemas.OrderShipped),
  OrderCancelled: defineEvent('OrderCancelled', 'orders', orderEventSchemas.OrderCancelled),
  OrderRefunded: defineEvent('OrderRefunded', 'orders', orderEventSchemas.OrderRefunded),
};

export const EVENT_TYPES = Object.keys(EVENTS) as EventType[];

// ---------------------------------------------------------------------------------------------------------------
// Domains

function typesOf<T extends string>(definitions: Record<T, { domain: DomainName }>, domain: DomainName): T[] {
  return (Object.keys(definitions) as T[]).filter((type) => definitions[type].domain === domain);
}

export const DOMAINS: { readonly [N in DomainName]: DomainDefinition } = {
  accounts: Object.freeze({
    name: 'accounts',
    streamCategory: 'account',
    description: 'Customer accounts holding a balance in one currency.',
    commandTypes: typesOf(COMMANDS, 'accounts'),
    eventTypes: typesOf(EVENTS, 'accounts'),
    decider: accountsDecider as Decider<Command, DomainEvent, DomainState>,
  }),
  orders: Object.freeze({
    name: 'orders',
    streamCategory: 'order',
    description: "Orders placed by customers, paid from and refunded to the customer's account.",
    commandTypes: typesOf(COMMANDS, 'orders'),
    eventTypes: typesOf(EVENTS, 'orders'),
    decider: ordersDecider as Decider<Command, DomainEvent, DomainState>,
  }),
};

// ---------------------------------------------------------------------------------------------------------------
// Functions the command bus, the CLI and the history services use

export function isCommandType(type: string): type is CommandType {
  return Object.hasOwn(COMMANDS, type);
}

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENTS, type);
}

function issuesOf(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

function describeIssues(issues: Array<{ path: string; message: string }>): string {
  return issues.map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`)).join('; ');
}

/** The definition of a command type, or `invalid_input` naming the known types. */
export function getCommandDefinition(type: string): CommandDefinition {
  if (!isCommandType(type)) {
    throw new HindsightError('invalid_input', `Unknown command type ${JSON.stringify(type)}.`, {
      commandType: type,
      known: COMMAND_TYPES,
    });
  }
  return COMMANDS[type] as CommandDefinition;
}

/** Validates a command type and payload; `invalid_input` (with every issue and its field path) on failure. */
export function parseCommand(type: string, payload: unknown): Command {
  const definition = getCommandDefinition(type);
  const result = definition.schema.safeParse(payload);
  if (!result.success) {
    const issues = issuesOf(result.error);
    throw new HindsightError('invalid_input', `Invalid ${type} payload: ${describeIssues(issues)}.`, {
      commandType: type,
      issues,
    });
  }
  return { type, data: result.data } as Command;
}

/** Validates a stored event's type and data; `invalid_input` on failure (unknown type, or data off-schema). */
export function parseEvent(type: string, data: unknown): DomainEvent {
  if (!isEventType(type)) {
    throw new HindsightError('invalid_input', `Unknown event type ${JSON.stringify(type)}.`, { eventType: type });
  }
  const result = (EVENTS[type] as EventDefinition).schema.safeParse(data);
  if (!result.success) {
    const issues = issuesOf(result.error);
    throw new HindsightError('invalid_input', `Invalid ${type} data: ${describeIssues(issues)}.`, {
      eventType: type,
      issues,
    });
  }
  return { type, data: result.data } as DomainEvent;
}

export function domainOfCommand(command: Command): DomainDefinition {
  return DOMAINS[COMMANDS[command.type].domain];
}

export function domainOfEvent(event: DomainEvent): DomainDefinition {
  return DOMAINS[EVENTS[event.type].domain];
}

/** The stream a (parsed) command is decided on. */
export function streamIdOf(command: Command): string {
  return (COMMANDS[command.type] as CommandDefinition).streamId(command.data);
}

/** The built-in domain whose streams are `<category>-…`, if any (the category is the part before the first `-`). */
export function domainOfStream(streamId: string): DomainDefinition | undefined {
  const dash = streamId.indexOf('-');
  if (dash <= 0) return undefined;
  const category = streamId.slice(0, dash);
  return Object.values(DOMAINS).find((domain) => domain.streamCategory === category);
}

/** Folds events (already parsed) into `state` (default: the domain's initial state). */
export function foldEvents(
  domain: DomainName,
  events: Iterable<DomainEvent>,
  state: DomainState = DOMAINS[domain].decider.initialState(),
): DomainState {
  let current = state;
  for (const event of events) {
    const owner = EVENTS[event.type].domain;
    if (owner !== domain) {
      throw new HindsightError('internal', `Event ${event.type} belongs to ${owner}, not ${domain}.`, {
        eventType: event.type,
        domain,
      });
    }
    current = DOMAINS[domain].decider.evolve(current, event);
  }
  return current;
}

/** Runs a parsed command through its domain's decider against the stream's current state. */
export function decideCommand(command: Command, state: DomainState): DomainEvent[] {
  return domainOfCommand(command).decider.decide(command, state);
}
