import type { ErrorCode } from '../../../shared/ipc/result';
import type { DomainErrorCode } from '../domain/decider';
import type { PolicyCommand, PolicyTrigger } from '../domain/policies';
import type { DomainName, JsonSchema } from '../domain/registry';
import type { StoredEvent } from '../store/types';

/**
 * The public types of the command bus (electron/core/commands/bus.ts). Everything here is plain data
 * (structured-clone safe), so an outcome can cross IPC and be printed by the CLI as it is.
 */

/** What a caller (UI, CLI, test) asks the bus to run. Unknown keys are refused (`invalid_input`). */
export interface CommandInput {
  /** A command type of the registry, e.g. `DepositMoney`. */
  commandType: string;
  /** The command's payload; validated with the registry's (strict) schema. */
  payload: unknown;
  /** Who asks: 1–200 characters, no control characters. `policy:` is reserved for the bus's own commands. */
  actor: string;
  /** Why. Required (non-blank) for corrective commands; a blank reason counts as none. At most 2000 characters. */
  reason?: string | null;
  /**
   * The idempotency key: a repeated id returns the first recorded answer and writes nothing. 1–128 printable
   * ASCII characters without spaces, not starting with `policy:`. Default: a new UUIDv7.
   */
  commandId?: string;
  /** Default: the command id. Same character rules as `commandId`. */
  correlationId?: string;
  /** Default: the command id. Same character rules as `commandId`. */
  causationId?: string;
}

/** Why a command was refused or failed. */
export interface CommandError {
  /**
   * `rejected` (the domain refused: see `domainCode`), `invalid_input` (the payload failed its schema, or a
   * corrective command came without a reason), `internal` (a policy chain hit its bound, a bug) or, for a `failed`
   * follow-up only, any other code (`concurrency`, `locked`, …).
   */
  code: ErrorCode;
  /** The domain's reason when `code` is `rejected`, e.g. `insufficient_funds`. */
  domainCode?: DomainErrorCode;
  message: string;
  /** Structured facts of a fresh error (e.g. `shortfall`, `issues`); absent when the answer is replayed from the log. */
  details?: Record<string, unknown>;
}

interface OutcomeBase {
  commandId: string;
  commandType: string;
  /** The stream the command was decided on; null when its payload was invalid. */
  streamId: string | null;
  actor: string;
  reason: string | null;
  /** When the bus received the command (ms since 1970 UTC), as recorded in `commands.received_at`. */
  receivedAt: number;
  correlationId: string;
  causationId: string;
  /** The policy that issued this command; null for a command a caller sent. */
  policy: string | null;
  /** True when this answer comes from the command log (the command id was already recorded). */
  replayed: boolean;
  /** How many times the command was decided (1 + retries after version conflicts); 0 for a replay. */
  attempts: number;
  /** The events this command appended (only its own, not those of the commands it triggered). */
  events: StoredEvent[];
  /** The commands the policies issued for `events`, each with its own outcome (and their follow-ups, nested). */
  triggered: CommandOutcome[];
}

/** Decided, appended (possibly zero events) and recorded in `commands` with outcome `accepted`. */
export interface AcceptedCommand extends OutcomeBase {
  outcome: 'accepted';
  /** Global positions of the first and last event appended; null when the command produced no event. */
  firstPosition: number | null;
  lastPosition: number | null;
}

/** Refused, nothing appended, recorded in `commands` with outcome `rejected` and its error. */
export interface RejectedCommand extends OutcomeBase {
  outcome: 'rejected';
  error: CommandError;
}

/**
 * Only for a follow-up (a command a policy issued): it could not be run for a reason that may pass (the stream
 * kept changing, the file was locked, a bug). Nothing was written and nothing recorded; running the original
 * command again with the same command id runs the follow-up again.
 */
export interface FailedCommand extends OutcomeBase {
  outcome: 'failed';
  error: CommandError;
}

export type CommandOutcome = AcceptedCommand | RejectedCommand | FailedCommand;

/** What `executeCommand` returns: the caller's own command is always recorded (or an error is thrown). */
export type RecordedOutcome = AcceptedCommand | RejectedCommand;

/** Information handed to the test seams of `ExecuteOptions.hooks`. */
export interface LoadedInfo {
  commandId: string;
  commandType: string;
  streamId: string;
  /** 1 for the first decision, 2 for the first retry, … */
  attempt: number;
  /** The stream version the decision is based on (0 = no stream yet). */
  version: number;
}

export interface ExecuteHooks {
  /**
   * Called after the stream was loaded and before the write transaction starts: the window in which another
   * writer may append to the stream (tests use it to interleave a second connection deterministically).
   */
  afterLoad?(info: LoadedInfo): void;
  /** Called inside the write transaction after the events and the log row were written, just before commit. */
  beforeCommit?(info: LoadedInfo & { outcome: 'accepted' | 'rejected' }): void;
}

export interface ExecuteOptions {
  /** Retries after a version conflict before giving up with `concurrency` (default 5, so at most 6 decisions). */
  maxRetries?: number;
  /** Run the policies for the appended events (default true). */
  runPolicies?: boolean;
  /** Follow-ups deeper than this are not run but recorded as rejected (`internal`) (default 8). */
  maxPolicyDepth?: number;
  /** At most this many commands per top-level command, follow-ups included (default 1000). */
  maxChainCommands?: number;
  /** The policies to run (default: the built-in `policiesFor`). A seam for tests of chains and bounds. */
  policies?: (trigger: PolicyTrigger) => PolicyCommand[];
  /** The clock for `received_at` (default `Date.now`). */
  now?: () => number;
  hooks?: ExecuteHooks;
}

/** One row of the `commands` table, as `commandLog` returns it. */
export interface CommandLogRow {
  /** The row's SQLite rowid: increases with every recorded command (the log's order and keyset cursor). */
  seq: number;
  commandId: string;
  commandType: string;
  streamId: string | null;
  /** The payload as recorded (parsed JSON). */
  payload: unknown;
  actor: string | null;
  reason: string | null;
  receivedAt: number;
  outcome: 'accepted' | 'rejected';
  /**
   * For a rejection by the domain: the domain code (`insufficient_funds`, …); otherwise a Hindsight error code
   * (`invalid_input`, `internal`). Null when accepted.
   */
  errorCode: string | null;
  errorMessage: string | null;
  firstPosition: number | null;
  lastPosition: number | null;
}

export interface CommandLogOptions {
  /** Keyset cursor: rows after this `seq` in the chosen order (the `nextCursor` of the previous page). */
  after?: number;
  /** Page size, 1–1000 (default 100). */
  limit?: number;
  /** `desc` (newest first, default) or `asc` (oldest first). */
  order?: 'asc' | 'desc';
  outcome?: 'accepted' | 'rejected';
  actor?: string;
  commandType?: string;
  streamId?: string;
  errorCode?: string;
}

export interface CommandLogPage {
  rows: CommandLogRow[];
  /** Pass as `after` to get the next page; null when this page is the last. */
  nextCursor: number | null;
}

/** One command type, as `catalog()` lists it. */
export interface CatalogEntry {
  type: string;
  domain: DomainName;
  /** The category of the streams it is decided on (`account`, `order`). */
  streamCategory: string;
  description: string;
  corrective: boolean;
  /** Draft 2020-12, input side, `title` = the command type. */
  jsonSchema: JsonSchema;
  /** A valid payload. */
  example: unknown;
}
