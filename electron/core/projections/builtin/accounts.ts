import { defineRowProjection, integerField, type Row, stringField } from '../rowTable';

/**
 * `accounts`: one row per account of the built-in accounts domain (docs/domains.md §3): owner, status, balance
 * (folded from the amounts, as the decider does), currency and the last activity (recorded time). Events on an
 * account that was never opened still get a row (status `unknown`), so odd data shows instead of vanishing.
 */

const COLUMNS = [
  'account_id',
  'owner',
  'status',
  'balance',
  'currency',
  'opened_at',
  'last_activity_at',
  'last_event_type',
  'events',
  'stream_id',
] as const;

export const accountsProjection = defineRowProjection({
  name: 'accounts',
  version: 1,
  description: 'Accounts with their owner, status, balance and last activity.',
  handles: [
    'AccountOpened',
    'MoneyDeposited',
    'MoneyWithdrawn',
    'AccountFrozen',
    'AccountUnfrozen',
    'AccountClosed',
    'BalanceAdjusted',
  ],
  tables: {
    ddl: `
CREATE TABLE rm_accounts (
  account_id       TEXT    PRIMARY KEY NOT NULL,
  owner            TEXT,
  status           TEXT    NOT NULL,
  balance          INTEGER NOT NULL,
  currency         TEXT,
  opened_at        INTEGER,
  last_activity_at INTEGER NOT NULL,
  last_event_type  TEXT    NOT NULL,
  events           INTEGER NOT NULL,
  stream_id        TEXT    NOT NULL
);
CREATE INDEX rm_accounts_by_owner ON rm_accounts (owner, account_id);`,
    columns: [
      { name: 'account_id', type: 'text', label: 'Account' },
      { name: 'owner', type: 'text', label: 'Owner' },
      { name: 'status', type: 'text', label: 'Status' },
      { name: 'balance', type: 'money', label: 'Balance', currencyColumn: 'currency' },
      { name: 'currency', type: 'text', label: 'Currency' },
      { name: 'opened_at', type: 'time', label: 'Opened' },
      { name: 'last_activity_at', type: 'time', label: 'Last activity' },
      { name: 'last_event_type', type: 'text', label: 'Last event' },
      { name: 'events', type: 'integer', label: 'Events' },
      { name: 'stream_id', type: 'text', label: 'Stream' },
    ],
    primaryKey: ['account_id'],
    defaultSort: { column: 'account_id', dir: 'asc' },
  },
  rowColumns: COLUMNS,
  reduce(rows, event) {
    const accountId = stringField(event, 'accountId');
    const row: Row = rows.get(accountId) ?? {
      account_id: accountId,
      owner: null,
      status: 'unknown',
      balance: 0,
      currency: null,
      opened_at: null,
      last_activity_at: event.recordedAt,
      last_event_type: event.eventType,
      events: 0,
      stream_id: event.streamId,
    };
    const balance = row.balance as number;
    switch (event.eventType) {
      case 'AccountOpened':
        row.owner = stringField(event, 'owner');
        row.currency = stringField(event, 'currency');
        row.status = 'open';
        row.balance = 0;
        row.opened_at = event.recordedAt;
        break;
      case 'MoneyDeposited':
        row.balance = balance + integerField(event, 'amount');
        break;
      case 'MoneyWithdrawn':
        row.balance = balance - integerField(event, 'amount');
        break;
      case 'BalanceAdjusted':
        row.balance = balance + integerField(event, 'amount');
        break;
      case 'AccountFrozen':
        row.status = 'frozen';
        break;
      case 'AccountUnfrozen':
        row.status = 'open';
        break;
      case 'AccountClosed':
        row.status = 'closed';
        break;
      default:
        return;
    }
    row.last_activity_at = event.recordedAt;
    row.last_event_type = event.eventType;
    row.events = (row.events as number) + 1;
    row.stream_id = event.streamId;
    rows.put(row);
  },
});
