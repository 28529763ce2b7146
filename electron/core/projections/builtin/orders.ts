import {
  arrayLength,
  defineRowProjection,
  integerField,
  optionalStringField,
  type Row,
  stringField,
} from '../rowTable';

/**
 * `orders`: one row per order of the built-in orders domain (docs/domains.md §4): status, total, currency,
 * customer, the recorded times of placing, payment, shipping, cancelling and the last refund, and the refunded
 * amount. The status follows the decider's `evolve` (a refund that reaches the paid amount → `refunded`).
 */

const COLUMNS = [
  'order_id',
  'status',
  'customer_account_id',
  'currency',
  'total',
  'lines',
  'paid_amount',
  'refunded_amount',
  'placed_at',
  'paid_at',
  'shipped_at',
  'cancelled_at',
  'refunded_at',
  'last_activity_at',
  'stream_id',
] as const;

export const ordersProjection = defineRowProjection({
  name: 'orders',
  version: 1,
  description: 'Orders with their status, total, customer, lifecycle times and refunds.',
  handles: ['OrderPlaced', 'OrderPaid', 'OrderShipped', 'OrderCancelled', 'OrderRefunded'],
  tables: {
    ddl: `
CREATE TABLE rm_orders (
  order_id            TEXT    PRIMARY KEY NOT NULL,
  status              TEXT    NOT NULL,
  customer_account_id TEXT,
  currency            TEXT,
  total               INTEGER NOT NULL,
  lines               INTEGER NOT NULL,
  paid_amount         INTEGER NOT NULL,
  refunded_amount     INTEGER NOT NULL,
  placed_at           INTEGER,
  paid_at             INTEGER,
  shipped_at          INTEGER,
  cancelled_at        INTEGER,
  refunded_at         INTEGER,
  last_activity_at    INTEGER NOT NULL,
  stream_id           TEXT    NOT NULL
);
CREATE INDEX rm_orders_by_customer ON rm_orders (customer_account_id, order_id);
CREATE INDEX rm_orders_by_status ON rm_orders (status, order_id);
CREATE INDEX rm_orders_by_placed ON rm_orders (placed_at, order_id);`,
    columns: [
      { name: 'order_id', type: 'text', label: 'Order' },
      { name: 'status', type: 'text', label: 'Status' },
      { name: 'total', type: 'money', label: 'Total', currencyColumn: 'currency' },
      { name: 'currency', type: 'text', label: 'Currency' },
      { name: 'customer_account_id', type: 'text', label: 'Customer' },
      { name: 'placed_at', type: 'time', label: 'Placed' },
      { name: 'paid_at', type: 'time', label: 'Paid' },
      { name: 'shipped_at', type: 'time', label: 'Shipped' },
      { name: 'cancelled_at', type: 'time', label: 'Cancelled' },
      { name: 'refunded_amount', type: 'money', label: 'Refunded', currencyColumn: 'currency' },
      { name: 'refunded_at', type: 'time', label: 'Last refund' },
      { name: 'lines', type: 'integer', label: 'Lines' },
      { name: 'last_activity_at', type: 'time', label: 'Last activity' },
      { name: 'stream_id', type: 'text', label: 'Stream' },
    ],
    primaryKey: ['order_id'],
    defaultSort: { column: 'placed_at', dir: 'desc' },
  },
  rowColumns: COLUMNS,
  reduce(rows, event) {
    const orderId = stringField(event, 'orderId');
    const row: Row = rows.get(orderId) ?? {
      order_id: orderId,
      status: 'unknown',
      customer_account_id: null,
      currency: null,
      total: 0,
      lines: 0,
      paid_amount: 0,
      refunded_amount: 0,
      placed_at: null,
      paid_at: null,
      shipped_at: null,
      cancelled_at: null,
      refunded_at: null,
      last_activity_at: event.recordedAt,
      stream_id: event.streamId,
    };
    const at = event.recordedAt;
    switch (event.eventType) {
      case 'OrderPlaced':
        row.status = 'placed';
        row.customer_account_id = stringField(event, 'customerAccountId');
        row.currency = stringField(event, 'currency');
        row.total = integerField(event, 'total');
        row.lines = arrayLength(event, 'lines');
        row.paid_amount = 0;
        row.refunded_amount = 0;
        row.placed_at = at;
        break;
      case 'OrderPaid':
        row.status = 'paid';
        row.paid_amount = (row.paid_amount as number) + integerField(event, 'amount');
        row.customer_account_id ??= optionalStringField(event, 'customerAccountId');
        row.paid_at = at;
        break;
      case 'OrderShipped':
        row.status = 'shipped';
        row.shipped_at = at;
        break;
      case 'OrderCancelled':
        row.status = 'cancelled';
        row.cancelled_at = at;
        break;
      case 'OrderRefunded': {
        const refunded = (row.refunded_amount as number) + integerField(event, 'amount');
        row.refunded_amount = refunded;
        if (refunded >= (row.paid_amount as number)) row.status = 'refunded';
        row.refunded_at = at;
        break;
      }
      default:
        return;
    }
    row.last_activity_at = at;
    row.stream_id = event.streamId;
    rows.put(row);
  },
});
