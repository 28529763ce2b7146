// The envelope every IPC call answers with. Electron passes only `message` of a thrown error across
// IPC, so errors travel as data (Signal Desktop's pattern): the renderer rebuilds a typed error from it.

/** Every error code a caller may see. Codes are stable: tests, the CLI and the UI branch on them. */
export const ERROR_CODES = [
  'invalid_input', // an argument failed validation (the message names the field)
  'unknown_channel', // an IPC call to a channel the contract does not define
  'forbidden_sender', // an IPC call from a frame that is not the app's
  'not_found', // a path, stream, event or row that does not exist
  'is_directory', // a path that names a folder where a file was expected
  'already_exists', // create refused to overwrite
  'empty_file', // a 0-byte file
  'not_sqlite', // not a SQLite database at all
  'corrupt', // a SQLite database that fails its integrity check
  'not_a_store', // a SQLite database that is not a Hindsight event store
  'newer_format', // a store written by a newer Hindsight
  'read_only', // a write attempted on a store opened read-only
  'permission_denied', // the OS refused access
  'locked', // another process holds the write lock past the busy timeout
  'no_store_open', // a call that needs an open store, with none open
  'concurrency', // an append's expected version did not match
  'duplicate_event', // an event id already stored with different content
  'payload_too_large', // data or metadata over the documented size cap
  'rejected', // a command refused by its domain's rules
  'cancelled', // a job cancelled by the user
  'tampered', // a verification found a broken hash chain
  'unavailable', // a feature needs something this machine lacks (e.g. Chromium for PDF)
  'internal', // a bug: the message says what failed
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, details?: Record<string, unknown>): Result<never> {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
