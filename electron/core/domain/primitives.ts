import { z } from 'zod';

/**
 * Shared value schemas of the built-in domains. Amounts are integers in minor units (cents); there are no floats
 * anywhere in the domain layer.
 */

/** Largest amount or balance the domains accept: beyond it, integer arithmetic on JS numbers stops being exact. */
export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

/** Largest quantity of one order line. */
export const MAX_QUANTITY = 1_000_000;

/** Largest number of lines in one order. */
export const MAX_ORDER_LINES = 100;

/** Safe characters only, so that `account-<id>` and `order-<id>` stream ids stay clean in URLs, files and the CLI. */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

export const IdSchema = z
  .string()
  .regex(ID_PATTERN, 'Must be 1–64 characters from A–Z, a–z, 0–9 and _ . : -')
  .describe('Identifier: 1–64 characters from A–Z, a–z, 0–9 and _ . : -');

export const CurrencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'Must be a 3-letter upper-case ISO 4217 code such as EUR')
  .describe('ISO 4217 currency code: 3 upper-case letters');

/** A strictly positive amount in minor units. */
export const AmountSchema = z
  .number()
  .int()
  .positive()
  .max(MAX_AMOUNT)
  .describe('Amount in minor units (e.g. cents): a positive integer');

/** A signed, non-zero amount in minor units (corrections). */
export const SignedAmountSchema = z
  .number()
  .int()
  .min(-MAX_AMOUNT)
  .max(MAX_AMOUNT)
  .refine((value) => value !== 0, 'Must not be zero')
  .meta({ not: { const: 0 } })
  .describe('Signed amount in minor units: positive credits, negative debits, never zero');

/** A balance or running total in minor units: never negative. */
export const BalanceSchema = z.number().int().min(0).max(MAX_AMOUNT).describe('Amount in minor units, never negative');

/** A human name: trimmed, 1–200 characters, no control characters. */
export const OwnerSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]*$/u, 'Must not contain control characters')
  .describe('Owner name: 1–200 characters, no control characters');

/** `a + b` if the result is still an exact, in-range amount, otherwise `undefined`. */
export function safeAdd(a: number, b: number): number | undefined {
  const sum = a + b;
  return Number.isSafeInteger(sum) && Math.abs(sum) <= MAX_AMOUNT ? sum : undefined;
}

/** `a * b` if the result is still an exact, in-range amount, otherwise `undefined`. */
export function safeMultiply(a: number, b: number): number | undefined {
  const product = a * b;
  return Number.isSafeInteger(product) && Math.abs(product) <= MAX_AMOUNT ? product : undefined;
}
