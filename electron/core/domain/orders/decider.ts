import { assertNever, type Decider, DomainError } from '../decider';
import { safeAdd, safeMultiply } from '../primitives';
import type { OrderCommand, OrderLine } from './commands';
import type { OrderEvent } from './events';

/**
 * The `orders` domain: one stream per order, `order-<orderId>`.
 *
 *   none ──PlaceOrder──▶ placed ──PayOrder──▶ paid ──ShipOrder──▶ shipped
 *                          │                   │                    │
 *                     CancelOrder        RefundOrder (all)     RefundOrder (all)
 *                          ▼                   ▼                    ▼
 *                      cancelled            refunded ◀──────────────┘
 *
 * A partial refund keeps the status (`paid` or `shipped`) and raises `refundedAmount`; the refund that brings
 * `refundedAmount` up to `paidAmount` moves the order to `refunded`. Refunds never exceed what was paid.
 * The order does not know the customer's account: money moves through the policies (see policies.ts).
 */

export type OrderStatus = 'none' | 'placed' | 'paid' | 'shipped' | 'cancelled' | 'refunded';

export interface OrderState {
  status: OrderStatus;
  orderId: string | null;
  customerAccountId: string | null;
  currency: string | null;
  lines: OrderLine[];
  /** Minor units: sum of quantity × unitPrice. */
  total: number;
  paidAmount: number;
  refundedAmount: number;
  /** Whether the order was shipped (stays true after a full refund moves the status to `refunded`). */
  shipped: boolean;
}

export const ORDER_STREAM_CATEGORY = 'order';

export function orderStreamId(orderId: string): string {
  return `${ORDER_STREAM_CATEGORY}-${orderId}`;
}

/** Sum of quantity × unitPrice, or `undefined` if it would exceed the largest safe amount. */
export function orderTotal(lines: readonly OrderLine[]): number | undefined {
  let total = 0;
  for (const line of lines) {
    const lineTotal = safeMultiply(line.quantity, line.unitPrice);
    const next = lineTotal === undefined ? undefined : safeAdd(total, lineTotal);
    if (next === undefined) return undefined;
    total = next;
  }
  return total;
}

function initialState(): OrderState {
  return {
    status: 'none',
    orderId: null,
    customerAccountId: null,
    currency: null,
    lines: [],
    total: 0,
    paidAmount: 0,
    refundedAmount: 0,
    shipped: false,
  };
}

function evolve(state: OrderState, event: OrderEvent): OrderState {
  switch (event.type) {
    case 'OrderPlaced':
      return {
        ...initialState(),
        status: 'placed',
        orderId: event.data.orderId,
        customerAccountId: event.data.customerAccountId,
        currency: event.data.currency,
        lines: event.data.lines.map((line) => ({ ...line })),
        total: event.data.total,
      };
    case 'OrderPaid':
      return { ...state, status: 'paid', paidAmount: state.paidAmount + event.data.amount };
    case 'OrderShipped':
      return { ...state, status: 'shipped', shipped: true };
    case 'OrderCancelled':
      return { ...state, status: 'cancelled' };
    case 'OrderRefunded': {
      const refundedAmount = state.refundedAmount + event.data.amount;
      return { ...state, refundedAmount, status: refundedAmount >= state.paidAmount ? 'refunded' : state.status };
    }
    default:
      return assertNever(event, 'order event');
  }
}

interface ExistingOrder extends OrderState {
  status: Exclude<OrderStatus, 'none'>;
  orderId: string;
  customerAccountId: string;
  currency: string;
}

function requireOrder(state: OrderState, orderId: string, action: string): ExistingOrder {
  if (state.status === 'none') {
    throw new DomainError('order_not_found', `Cannot ${action} order ${orderId}: it does not exist.`, { orderId });
  }
  return state as ExistingOrder;
}

/** Why `action` is not allowed in the order's current status. */
function invalidTransition(order: ExistingOrder, action: string, why: string): DomainError {
  return new DomainError('invalid_transition', `Cannot ${action} order ${order.orderId}: ${why}.`, {
    orderId: order.orderId,
    status: order.status,
  });
}

function decide(command: OrderCommand, state: OrderState): OrderEvent[] {
  switch (command.type) {
    case 'PlaceOrder': {
      const { orderId, customerAccountId, currency, lines } = command.data;
      if (state.status !== 'none') {
        throw new DomainError(
          'already_exists',
          `Cannot place order ${orderId}: it already exists (status ${state.status}).`,
          { orderId, status: state.status },
        );
      }
      const total = orderTotal(lines);
      if (total === undefined) {
        throw new DomainError(
          'limit_exceeded',
          `Cannot place order ${orderId}: its total exceeds the largest safe amount.`,
          {
            orderId,
          },
        );
      }
      return [
        {
          type: 'OrderPlaced',
          data: { orderId, customerAccountId, currency, lines: lines.map((line) => ({ ...line })), total },
        },
      ];
    }

    case 'PayOrder': {
      const order = requireOrder(state, command.data.orderId, 'pay');
      switch (order.status) {
        case 'placed':
          return [
            {
              type: 'OrderPaid',
              data: {
                orderId: order.orderId,
                customerAccountId: order.customerAccountId,
                amount: order.total,
                currency: order.currency,
              },
            },
          ];
        case 'paid':
        case 'shipped':
          throw invalidTransition(order, 'pay', 'it is already paid');
        case 'cancelled':
          throw invalidTransition(order, 'pay', 'it was cancelled');
        case 'refunded':
          throw invalidTransition(order, 'pay', 'it was already paid and refunded');
        default:
          return assertNever(order.status, 'order status');
      }
    }

    case 'ShipOrder': {
      const order = requireOrder(state, command.data.orderId, 'ship');
      switch (order.status) {
        case 'paid':
          return [{ type: 'OrderShipped', data: { orderId: order.orderId } }];
        case 'placed':
          throw invalidTransition(order, 'ship', 'it is not paid');
        case 'shipped':
          throw invalidTransition(order, 'ship', 'it is already shipped');
        case 'cancelled':
          throw invalidTransition(order, 'ship', 'it was cancelled');
        case 'refunded':
          throw invalidTransition(order, 'ship', 'it was refunded');
        default:
          return assertNever(order.status, 'order status');
      }
    }

    case 'CancelOrder': {
      const order = requireOrder(state, command.data.orderId, 'cancel');
      switch (order.status) {
        case 'placed':
          return [{ type: 'OrderCancelled', data: { orderId: order.orderId } }];
        case 'paid':
        case 'shipped':
          throw invalidTransition(order, 'cancel', 'it is paid; refund it instead');
        case 'cancelled':
          throw invalidTransition(order, 'cancel', 'it is already cancelled');
        case 'refunded':
          throw invalidTransition(order, 'cancel', 'it was paid and refunded');
        default:
          return assertNever(order.status, 'order status');
      }
    }

    case 'RefundOrder': {
      const order = requireOrder(state, command.data.orderId, 'refund');
      switch (order.status) {
        case 'placed':
          throw invalidTransition(order, 'refund', 'it is not paid');
        case 'cancelled':
          throw invalidTransition(order, 'refund', 'it was cancelled before payment');
        case 'refunded':
          throw new DomainError(
            'nothing_to_refund',
            `Cannot refund order ${order.orderId}: its payment of ${order.paidAmount} ${order.currency} is already fully refunded.`,
            { orderId: order.orderId, paidAmount: order.paidAmount, refundedAmount: order.refundedAmount },
          );
        case 'paid':
        case 'shipped': {
          const refundable = order.paidAmount - order.refundedAmount;
          const amount = command.data.amount ?? refundable;
          if (amount > refundable) {
            throw new DomainError(
              'refund_exceeds_paid',
              `Cannot refund ${amount} ${order.currency} on order ${order.orderId}: only ${refundable} of the ${order.paidAmount} paid is still refundable.`,
              { orderId: order.orderId, amount, refundable, paidAmount: order.paidAmount },
            );
          }
          return [
            {
              type: 'OrderRefunded',
              data: {
                orderId: order.orderId,
                customerAccountId: order.customerAccountId,
                amount,
                currency: order.currency,
                refundedTotal: order.refundedAmount + amount,
                remainingRefundable: refundable - amount,
              },
            },
          ];
        }
        default:
          return assertNever(order.status, 'order status');
      }
    }

    default:
      return assertNever(command, 'order command');
  }
}

export const ordersDecider: Decider<OrderCommand, OrderEvent, OrderState> = { initialState, evolve, decide };
