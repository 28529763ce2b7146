import { z } from 'zod';
import type { Message } from '../decider';
import { AmountSchema, BalanceSchema, CurrencySchema, IdSchema, MAX_ORDER_LINES } from '../primitives';
import { OrderLineSchema } from './commands';

/**
 * Event data of the `orders` domain (schema version 1). Money events carry the customer's account, the amount and
 * the currency, so that the policies (and an auditor) need nothing but the event itself.
 */

export const OrderPlacedSchema = z
  .strictObject({
    orderId: IdSchema,
    customerAccountId: IdSchema,
    currency: CurrencySchema,
    lines: z.array(OrderLineSchema).min(1).max(MAX_ORDER_LINES),
    total: AmountSchema.describe('Sum of quantity × unitPrice over the lines, in minor units'),
  })
  .describe('An order was placed');

export const OrderPaidSchema = z
  .strictObject({ orderId: IdSchema, customerAccountId: IdSchema, amount: AmountSchema, currency: CurrencySchema })
  .describe("An order's total was paid; the customer's account is debited by a policy");

export const OrderShippedSchema = z.strictObject({ orderId: IdSchema }).describe('A paid order was shipped');

export const OrderCancelledSchema = z.strictObject({ orderId: IdSchema }).describe('An unpaid order was cancelled');

export const OrderRefundedSchema = z
  .strictObject({
    orderId: IdSchema,
    customerAccountId: IdSchema,
    amount: AmountSchema,
    currency: CurrencySchema,
    refundedTotal: AmountSchema.describe('Everything refunded on this order so far, this refund included'),
    remainingRefundable: BalanceSchema.describe('What may still be refunded after this refund (0 = fully refunded)'),
  })
  .describe("All or part of a payment was refunded; the customer's account is credited by a policy");

export const orderEventSchemas = {
  OrderPlaced: OrderPlacedSchema,
  OrderPaid: OrderPaidSchema,
  OrderShipped: OrderShippedSchema,
  OrderCancelled: OrderCancelledSchema,
  OrderRefunded: OrderRefundedSchema,
} as const;

export type OrderEventType = keyof typeof orderEventSchemas;

export type OrderEventData<K extends OrderEventType> = z.output<(typeof orderEventSchemas)[K]>;

export type OrderEvent = {
  [K in OrderEventType]: Message<K, OrderEventData<K>>;
}[OrderEventType];
