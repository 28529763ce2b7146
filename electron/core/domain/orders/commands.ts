import { z } from 'zod';
import type { Message } from '../decider';
import { AmountSchema, CurrencySchema, IdSchema, MAX_ORDER_LINES, MAX_QUANTITY } from '../primitives';

/**
 * Command payloads of the `orders` domain. Field names are a public contract (CLI, files, IPC): never rename.
 */

export const OrderLineSchema = z
  .strictObject({
    sku: IdSchema.describe('Stock-keeping unit: 1–64 characters from A–Z, a–z, 0–9 and _ . : -'),
    quantity: z.number().int().min(1).max(MAX_QUANTITY).describe(`Units ordered: an integer 1–${MAX_QUANTITY}`),
    unitPrice: AmountSchema.describe('Price of one unit in minor units: a positive integer'),
  })
  .describe('One order line');

export const PlaceOrderSchema = z
  .strictObject({
    orderId: IdSchema,
    customerAccountId: IdSchema.describe('The account that pays for the order and receives refunds'),
    currency: CurrencySchema,
    lines: z.array(OrderLineSchema).min(1).max(MAX_ORDER_LINES).describe(`1–${MAX_ORDER_LINES} order lines`),
  })
  .describe('Place a new order; its total is the sum of quantity × unitPrice');

export const PayOrderSchema = z
  .strictObject({ orderId: IdSchema })
  .describe("Record payment of a placed order's total (a policy then debits the customer's account)");

export const ShipOrderSchema = z.strictObject({ orderId: IdSchema }).describe('Ship a paid order');

export const CancelOrderSchema = z.strictObject({ orderId: IdSchema }).describe('Cancel a placed, unpaid order');

export const RefundOrderSchema = z
  .strictObject({
    orderId: IdSchema,
    amount: AmountSchema.optional().describe('Minor units to refund; defaults to everything still refundable'),
  })
  .describe('Corrective: refund all or part of what was paid (a policy then credits the customer); reason required');

export const orderCommandSchemas = {
  PlaceOrder: PlaceOrderSchema,
  PayOrder: PayOrderSchema,
  ShipOrder: ShipOrderSchema,
  CancelOrder: CancelOrderSchema,
  RefundOrder: RefundOrderSchema,
} as const;

export type OrderLine = z.output<typeof OrderLineSchema>;

export type OrderCommandType = keyof typeof orderCommandSchemas;

export type OrderCommandPayload<K extends OrderCommandType> = z.output<(typeof orderCommandSchemas)[K]>;

export type OrderCommand = {
  [K in OrderCommandType]: Message<K, OrderCommandPayload<K>>;
}[OrderCommandType];
