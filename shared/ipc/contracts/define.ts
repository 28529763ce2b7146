// Building blocks for contract entries. Each feature declares its calls in its own file beside this one;
// ../contract.ts merges them into the one contract.
import { z } from 'zod';

export interface CallSpec<I extends z.ZodType, O> {
  input: I;
  description: string;
  /** Phantom: never read at run time, carries the output type. */
  output?: O;
}

/** `call<Output>()(inputSchema, description)`: curried so the output is named and the input inferred. */
export function call<O>() {
  return <I extends z.ZodType>(input: I, description: string): CallSpec<I, O> => ({ input, description });
}

export const none = z.object({}).strict();
export const pageLimit = z.number().int().min(1).max(1000).default(200);
export const streamIdSchema = z.string().min(1).max(256);
