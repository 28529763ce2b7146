import { describe, expect, it } from 'vitest';
import type { OrderCommand, OrderLine } from '../../../electron/core/domain/orders/commands';
import { type OrderState, ordersDecider, orderTotal } from '../../../electron/core/domain/orders/decider';
import type { OrderEvent } from '../../../electron/core/domain/orders/events';
import { MAX_AMOUNT } from '../../../electron/core/domain/primitives';
import { parseEvent } from '../../../electron/core/domain/registry';
import { deciderSpec } from '../../helpers/deciderSpec';

const spec = deciderSpec(ordersDecider, { validateEvent: (event) => void parseEvent(event.type, event.data) });

const orderId = 'o-1001';
const customerAccountId = 'alice';
const lines: OrderLine[] = [
  { sku: 'BOOK-42', quantity: 2, unitPrice: 1_250 },
  { sku: 'PEN-7', quantity: 1, unitPrice: 300 },
];
const TOTAL = 2_800;

const ev = {
  placed: (): OrderEvent => ({
    type: 'OrderPlaced',
    data: { orderId, customerAccountId, currency: 'EUR', lines, total: TOTAL },
  }),
  paid: (): OrderEvent => ({ type: 'OrderPaid', data: { orderId, customerAccountId, amount: TOTAL, currency: 'EUR' } }),
  shipped: (): OrderEvent => ({ type: 'OrderShipped', data: { orderId } }),
  cancelled: (): OrderEvent => ({ type: 'OrderCancelled', data: { orderId } }),
  refunded: (amount: number, refundedTotal: number): OrderEvent => ({
    type: 'OrderRefunded',
    data: {
      orderId,
      customerAccountId,
      amount,
      currency: 'EUR',
      refundedTotal,
      remainingRefundable: TOTAL - refundedTotal,
    },
  }),
};

const cmd = {
  place: (orderLines: OrderLine[] = lines): OrderCommand => ({
    type: 'PlaceOrder',
    data: { orderId, customerAccountId, currency: 'EUR', lines: orderLines },
  }),
  pay: (): OrderCommand => ({ type: 'PayOrder', data: { orderId } }),
  ship: (): OrderCommand => ({ type: 'ShipOrder', data: { orderId } }),
  cancel: (): OrderCommand => ({ type: 'CancelOrder', data: { orderId } }),
  refund: (amount?: number): OrderCommand => ({
    type: 'RefundOrder',
    data: amount === undefined ? { orderId } : { orderId, amount },
  }),
};

const placed = [ev.placed()];
const paid = [ev.placed(), ev.paid()];
const shipped = [ev.placed(), ev.paid(), ev.shipped()];
const cancelled = [ev.placed(), ev.cancelled()];
const refunded = [ev.placed(), ev.paid(), ev.refunded(TOTAL, TOTAL)];

describe('orders decider', () => {
  describe('PlaceOrder', () => {
    it('places an order with its computed total', () => {
      const state = spec.given([]).when(cmd.place()).then([ev.placed()]);
      expect(state).toEqual<OrderState>({
        status: 'placed',
        orderId,
        customerAccountId,
        currency: 'EUR',
        lines,
        total: 2_800,
        paidAmount: 0,
        refundedAmount: 0,
        shipped: false,
      });
    });

    it('rejects placing an order id that already exists, in any status (already_exists)', () => {
      spec
        .given(placed)
        .when(cmd.place())
        .thenThrows('already_exists', /status placed/);
      spec
        .given(cancelled)
        .when(cmd.place())
        .thenThrows('already_exists', /status cancelled/);
      spec
        .given(refunded)
        .when(cmd.place())
        .thenThrows('already_exists', /status refunded/);
    });

    it('rejects an order whose total exceeds MAX_AMOUNT (limit_exceeded)', () => {
      const huge = Math.floor(MAX_AMOUNT / 2) + 1;
      spec
        .given([])
        .when(cmd.place([{ sku: 'GOLD', quantity: 2, unitPrice: huge }]))
        .thenThrows('limit_exceeded', /largest safe amount/);
      spec
        .given([])
        .when(
          cmd.place([
            { sku: 'A', quantity: 1, unitPrice: MAX_AMOUNT },
            { sku: 'B', quantity: 1, unitPrice: 1 },
          ]),
        )
        .thenThrows('limit_exceeded');
    });
  });

  describe('PayOrder', () => {
    it("pays a placed order's total and names the customer's account", () => {
      const state = spec.given(placed).when(cmd.pay()).then([ev.paid()]);
      expect(state).toMatchObject({ status: 'paid', paidAmount: 2_800, refundedAmount: 0 });
    });

    it('rejects paying an order that does not exist (order_not_found)', () => {
      spec.given([]).when(cmd.pay()).thenThrows('order_not_found', 'Cannot pay order o-1001: it does not exist.');
    });

    it('rejects paying twice (invalid_transition)', () => {
      spec
        .given(paid)
        .when(cmd.pay())
        .thenThrows('invalid_transition', /already paid/);
      spec
        .given(shipped)
        .when(cmd.pay())
        .thenThrows('invalid_transition', /already paid/);
    });

    it('rejects paying a cancelled order (invalid_transition)', () => {
      const error = spec
        .given(cancelled)
        .when(cmd.pay())
        .thenThrows('invalid_transition', /was cancelled/);
      expect(error.details).toEqual({ orderId, status: 'cancelled', domainCode: 'invalid_transition' });
    });

    it('rejects paying a refunded order (invalid_transition)', () => {
      spec
        .given(refunded)
        .when(cmd.pay())
        .thenThrows('invalid_transition', /refunded/);
    });
  });

  describe('ShipOrder', () => {
    it('ships a paid order', () => {
      const state = spec.given(paid).when(cmd.ship()).then([ev.shipped()]);
      expect(state).toMatchObject({ status: 'shipped', shipped: true });
    });

    it('ships a partially refunded order', () => {
      spec
        .given([...paid, ev.refunded(300, 300)])
        .when(cmd.ship())
        .then([ev.shipped()]);
    });

    it('rejects shipping an unpaid order (invalid_transition)', () => {
      spec
        .given(placed)
        .when(cmd.ship())
        .thenThrows('invalid_transition', /not paid/);
    });

    it('rejects shipping twice (invalid_transition)', () => {
      spec
        .given(shipped)
        .when(cmd.ship())
        .thenThrows('invalid_transition', /already shipped/);
    });

    it('rejects shipping a cancelled order (invalid_transition)', () => {
      spec
        .given(cancelled)
        .when(cmd.ship())
        .thenThrows('invalid_transition', /cancelled/);
    });

    it('rejects shipping a fully refunded order (invalid_transition)', () => {
      spec
        .given(refunded)
        .when(cmd.ship())
        .thenThrows('invalid_transition', /refunded/);
    });

    it('rejects shipping an order that does not exist (order_not_found)', () => {
      spec.given([]).when(cmd.ship()).thenThrows('order_not_found');
    });
  });

  describe('CancelOrder', () => {
    it('cancels a placed order', () => {
      expect(spec.given(placed).when(cmd.cancel()).then([ev.cancelled()]).status).toBe('cancelled');
    });

    it('rejects cancelling a paid or shipped order: refund instead (invalid_transition)', () => {
      spec
        .given(paid)
        .when(cmd.cancel())
        .thenThrows('invalid_transition', /refund it instead/);
      spec
        .given(shipped)
        .when(cmd.cancel())
        .thenThrows('invalid_transition', /refund it instead/);
    });

    it('rejects cancelling twice (invalid_transition)', () => {
      spec
        .given(cancelled)
        .when(cmd.cancel())
        .thenThrows('invalid_transition', /already cancelled/);
    });

    it('rejects cancelling a refunded order (invalid_transition)', () => {
      spec
        .given(refunded)
        .when(cmd.cancel())
        .thenThrows('invalid_transition', /refunded/);
    });

    it('rejects cancelling an order that does not exist (order_not_found)', () => {
      spec.given([]).when(cmd.cancel()).thenThrows('order_not_found');
    });
  });

  describe('RefundOrder (corrective)', () => {
    it('refunds everything by default and moves the order to refunded', () => {
      const state = spec
        .given(paid)
        .when(cmd.refund())
        .then([ev.refunded(TOTAL, TOTAL)]);
      expect(state).toMatchObject({ status: 'refunded', paidAmount: TOTAL, refundedAmount: TOTAL });
    });

    it('refunds part, keeps the status, then defaults to the remainder', () => {
      const afterPartial = spec
        .given(paid)
        .when(cmd.refund(800))
        .then([ev.refunded(800, 800)]);
      expect(afterPartial).toMatchObject({ status: 'paid', refundedAmount: 800 });
      const afterRest = spec
        .given([...paid, ev.refunded(800, 800)])
        .when(cmd.refund())
        .then([ev.refunded(2_000, TOTAL)]);
      expect(afterRest).toMatchObject({ status: 'refunded', refundedAmount: TOTAL });
    });

    it('accepts an explicit amount equal to what remains', () => {
      spec
        .given([...paid, ev.refunded(1, 1)])
        .when(cmd.refund(TOTAL - 1))
        .then([ev.refunded(TOTAL - 1, TOTAL)]);
    });

    it('refunds a shipped order and remembers that it was shipped', () => {
      const state = spec
        .given(shipped)
        .when(cmd.refund())
        .then([ev.refunded(TOTAL, TOTAL)]);
      expect(state).toMatchObject({ status: 'refunded', shipped: true });
    });

    it('rejects refunding more than what remains refundable (refund_exceeds_paid)', () => {
      spec
        .given(paid)
        .when(cmd.refund(TOTAL + 1))
        .thenThrows('refund_exceeds_paid', /only 2800 of the 2800 paid/);
      const error = spec
        .given([...paid, ev.refunded(2_000, 2_000)])
        .when(cmd.refund(801))
        .thenThrows('refund_exceeds_paid', /only 800 of the 2800 paid/);
      expect(error.details).toMatchObject({ amount: 801, refundable: 800, paidAmount: TOTAL });
    });

    it('rejects refunding a fully refunded order (nothing_to_refund)', () => {
      spec
        .given(refunded)
        .when(cmd.refund())
        .thenThrows('nothing_to_refund', /already fully refunded/);
      spec.given(refunded).when(cmd.refund(1)).thenThrows('nothing_to_refund');
    });

    it('rejects refunding an unpaid order (invalid_transition)', () => {
      spec
        .given(placed)
        .when(cmd.refund())
        .thenThrows('invalid_transition', /not paid/);
    });

    it('rejects refunding a cancelled order (invalid_transition)', () => {
      spec
        .given(cancelled)
        .when(cmd.refund(10))
        .thenThrows('invalid_transition', /cancelled before payment/);
    });

    it('rejects refunding an order that does not exist (order_not_found)', () => {
      spec.given([]).when(cmd.refund()).thenThrows('order_not_found');
    });
  });
});

describe('orders evolve', () => {
  it('starts from an empty, non-existent order', () => {
    expect(ordersDecider.initialState()).toMatchObject({ status: 'none', orderId: null, lines: [], total: 0 });
  });

  it('folds place → pay → partial refund → ship → final refund, state after each event', () => {
    const events = [ev.placed(), ev.paid(), ev.refunded(500, 500), ev.shipped(), ev.refunded(2_300, TOTAL)];
    const trail: Array<[string, number, number, boolean]> = [];
    let state = ordersDecider.initialState();
    for (const event of events) {
      state = ordersDecider.evolve(state, event);
      trail.push([state.status, state.paidAmount, state.refundedAmount, state.shipped]);
    }
    expect(trail).toEqual([
      ['placed', 0, 0, false],
      ['paid', 2_800, 0, false],
      ['paid', 2_800, 500, false],
      ['shipped', 2_800, 500, true],
      ['refunded', 2_800, 2_800, true],
    ]);
  });

  it('does not share line objects with the event it folded', () => {
    const event = ev.placed();
    const state = ordersDecider.evolve(ordersDecider.initialState(), event);
    expect(state.lines).toEqual(lines);
    expect(state.lines[0]).not.toBe((event.data as { lines: OrderLine[] }).lines[0]);
  });

  it('orderTotal multiplies and sums exactly, and refuses unsafe totals', () => {
    expect(orderTotal(lines)).toBe(2_800);
    expect(orderTotal([{ sku: 'X', quantity: 1_000_000, unitPrice: 9_007_199_254 }])).toBe(9_007_199_254_000_000);
    expect(orderTotal([{ sku: 'X', quantity: 1_000_000, unitPrice: 9_007_199_255 }])).toBeUndefined();
    expect(orderTotal([])).toBe(0);
  });
});
