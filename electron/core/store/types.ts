import type { PrivateCopy } from './privateCopy';

/**
 * The public types of the event store (electron/core/store/eventStore.ts). Other modules code against
 * these; the file format behind them is described in docs/file-format.md.
 */

/** `read-write`: our own store, appends allowed. `read-only`: evidence mode, the file is never changed. */
export type OpenMode = 'read-write' | 'read-only';

/**
 * How a read-only store reaches the file.
 * - `copy` (default): SQLite reads a private copy of the main file in a temporary folder, so nothing
 *   beside the original is ever created, changed or replayed (see docs/file-format.md, "Read-only opening").
 * - `live`: SQLite reads the file in place with a read-only connection. Only for a file that this
 *   process already holds open read-write (a worker verifying the store the app has open): it sees the
 *   latest committed appends, but on a file in WAL mode it uses the `-wal`/`-shm` companions.
 */
export type ReadOnlyAccess = 'copy' | 'live';

export interface CreateOptions {
  /** Written to `store_meta.created_by`, e.g. `hindsight 0.1.0`. */
  createdBy?: string;
  /** A given store id (a derived store whose id must not change when it is rebuilt); default: random. */
  storeId?: string;
  /** How long a write waits for another writer's lock before failing with `locked` (default 5000 ms). */
  busyTimeoutMs?: number;
}

export interface OpenOptions {
  mode: OpenMode;
  /** How long a write waits for another writer's lock before failing with `locked` (default 5000 ms). */
  busyTimeoutMs?: number;
  /** Read-only only: see `ReadOnlyAccess` (default `copy`). */
  access?: ReadOnlyAccess;
  /**
   * Read-only `copy` only: also copy a `-wal` companion found beside the file, so that its committed but
   * not yet checkpointed appends are visible (in the copy; the original is never touched). Default false.
   */
  includeWal?: boolean;
  /** Folder for private copies (default: the OS temp folder). The app passes its own cache folder. */
  privateDir?: string;
  /** Run `PRAGMA quick_check` before use (default true). */
  quickCheck?: boolean;
  /** Read-only `copy` only: a private copy made beforehand (`makePrivateCopyAsync`); the store disposes of it. */
  preparedCopy?: PrivateCopy;
}

/** `expectedVersion` of an append: a version number (0 = the stream must not exist) or a condition. */
export type ExpectedVersion = number | 'any' | 'no_stream' | 'exists';

export interface NewEvent {
  type: string;
  data: unknown;
  /** Well-known keys: actor, command_id, correlation_id, causation_id, reason (strings); others are free. */
  metadata?: Record<string, unknown>;
  /** A UUID; generated (UUIDv7) when absent. */
  eventId?: string;
  /** Business time in ms since 1970 UTC; defaults to the recorded time. */
  occurredAt?: number;
  /** For imports only: the original recorded time; must not be lower than the head's. */
  recordedAt?: number;
  /** Version of the event's data schema (default 1). */
  schemaVersion?: number;
}

export interface StoredEvent {
  globalPosition: number;
  eventId: string;
  streamId: string;
  streamVersion: number;
  eventType: string;
  schemaVersion: number;
  data: unknown;
  metadata: Record<string, unknown>;
  recordedAt: number;
  occurredAt: number;
  prevHash: string;
  hash: string;
}

export interface AppendOptions {
  expectedVersion?: ExpectedVersion;
}

export interface AppendResult {
  streamId: string;
  firstPosition: number;
  lastPosition: number;
  /** The stream's version after the append (for a duplicate: after the original append). */
  streamVersion: number;
  events: StoredEvent[];
  /** True when every event id was already stored with the same content: nothing was written. */
  duplicate: boolean;
}

export interface ReadStreamOptions {
  /** First version to return (default 1). */
  fromVersion?: number;
  /** Last version to return (default: the latest). */
  toVersion?: number;
  /** "As of T": only events recorded at or before this time (ms since 1970 UTC). */
  recordedUpTo?: number;
  /** "As occurred": only events whose business time is at or before this time. */
  occurredUpTo?: number;
  /** At most this many events (1..10000, default 10000). */
  limit?: number;
}

export interface ReadAllOptions {
  /** Keyset cursor: return events after this position (default 0). */
  afterPosition?: number;
  /** Page size (1..10000, default 1000). */
  limit?: number;
  types?: string[];
  /** metadata.actor equals. */
  actor?: string;
  /** metadata.correlation_id equals. */
  correlationId?: string;
  /** recorded_at ≥ (ms). */
  recordedFrom?: number;
  /** recorded_at ≤ (ms). */
  recordedTo?: number;
  /** stream_id starts with. */
  streamPrefix?: string;
}

export interface ListStreamsOptions {
  /** stream_id starts with. */
  prefix?: string;
  category?: string;
  /** Keyset cursor: return streams whose id sorts after this one. */
  after?: string;
  /** Page size (1..10000, default 1000). */
  limit?: number;
}

export interface StreamInfo {
  streamId: string;
  category: string;
  version: number;
  firstPosition: number;
  lastPosition: number;
  createdAt: number;
  updatedAt: number;
  lastEventType: string;
}

export interface Head {
  position: number;
  hash: string;
}

export interface CategoryInfo {
  category: string;
  streams: number;
  events: number;
}

export interface StoreInfo {
  path: string;
  mode: OpenMode;
  format: string;
  formatVersion: number;
  storeId: string;
  createdAt: number;
  createdBy: string;
  events: number;
  streams: number;
  head: Head;
  /** `POSITION:HASH` of the head. */
  digest: string;
  firstRecordedAt: number | null;
  lastRecordedAt: number | null;
  categories: CategoryInfo[];
  /** Size of the main file in bytes. */
  fileSize: number;
  /**
   * Companion files found beside the file when it was opened (`-wal`, `-shm`, `-journal`). For a
   * read-only store, their content is not part of what is shown unless `includeWal` was asked for.
   */
  companions: string[];
  /** Read-only only: a `-wal` beside the file was found and was NOT read. */
  companionWal: boolean;
}

/** Why verification stopped at the first bad position (docs/file-format.md, "Verification"). */
export type VerifyReason =
  | 'modified'
  | 'missing'
  | 'reordered'
  | 'inserted'
  | 'time_reversed'
  | 'truncated'
  | 'digest_mismatch';

export interface VerifyBreak {
  position: number;
  reason: VerifyReason;
  /** One sentence for people. */
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Events checked (the whole chain when ok). */
  events: number;
  head: Head;
  firstBad: VerifyBreak | null;
  /** The digest that was checked, when one was given. */
  digest?: string;
}

/** Anything with an `aborted` flag: an AbortSignal, or the job runner's shared-memory flag. */
export interface CancelSignal {
  readonly aborted: boolean;
}

export interface VerifyOptions {
  /** `POSITION:HASH`: also prove that the store still holds exactly this prefix. */
  digest?: string;
  onProgress?: (done: number, total: number) => void;
  signal?: CancelSignal;
}
