// The renderer's typed client: unwraps the result envelope into values or typed errors, and offers
// helpers for TanStack Query. Everything the page knows about the main process comes through here.
import { useEffect } from 'react';
import type { HindsightBridge } from '../../../shared/ipc/bridge';
import type { Channel, EventMap, EventName, InputOf, OutputOf } from '../../../shared/ipc/contract';
import type { ErrorCode, ErrorPayload } from '../../../shared/ipc/result';

declare global {
  interface Window {
    hindsight: HindsightBridge;
  }
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.name = 'ApiError';
    this.code = payload.code;
    this.details = payload.details;
  }
}

/** Calls with no required fields may omit the input. */
type CallArgs<K extends Channel> = Record<string, never> extends InputOf<K> ? [InputOf<K>?] : [InputOf<K>];

export async function call<K extends Channel>(channel: K, ...args: CallArgs<K>) {
  const bridge = window.hindsight;
  if (!bridge) throw new ApiError({ code: 'internal', message: 'The Hindsight bridge is missing from this page.' });
  const fn = bridge.call[channel] as (
    input: unknown,
  ) => Promise<{ ok: true; value: OutputOf<K> } | { ok: false; error: ErrorPayload }>;
  const result = await fn(args[0] ?? {});
  if (result.ok) return result.value;
  throw new ApiError(result.error);
}

/** Subscribes to a main-process event for the lifetime of the component. */
export function useHindsightEvent<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): void {
  useEffect(() => window.hindsight?.on(event, listener), [event, listener]);
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
