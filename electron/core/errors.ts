import type { ErrorCode, ErrorPayload } from '../../shared/ipc/result';

/**
 * The one error type core throws on purpose. `code` is stable and machine-readable; `message` is one
 * sentence a user can act on; `details` carries structured facts (expected/actual versions, a position).
 * Anything else thrown inside core is a bug and is reported as `internal`.
 */
export class HindsightError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'HindsightError';
    this.code = code;
    this.details = details;
  }

  toPayload(): ErrorPayload {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Turns anything thrown into an error payload; unknown errors become `internal` with their message. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof HindsightError) return error.toPayload();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Unexpected error: ${message}` };
}
