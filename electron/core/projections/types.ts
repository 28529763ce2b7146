import type Database from 'better-sqlite3';
import type { CancelSignal } from '../store/types';

/**
 * The public types of read models (docs/read-models.md). A projection is data plus two functions: it owns
 * tables named `rm_<name>` (and helper tables `rm_<name>__*`), creates them with `tables.ddl`, and folds
 * events into them with `apply`. Everything else (checkpoints, failures, rebuilds, "as of T", queries) is
 * the engine's job. Every shape here that a caller receives is plain data (structured-clone safe).
 */

/** How the UI shows a column (and which filters it takes). */
export type ColumnType =
  /** a string */
  | 'text'
  /** a whole number (a count, a version, a position) */
  | 'integer'
  /** a number that may have a fraction */
  | 'real'
  /** ms since 1970 UTC */
  | 'time'
  /** a whole number of minor units (cents); `currencyColumn` names the column holding its currency */
  | 'money'
  /** 0 / 1 */
  | 'boolean';

export interface ProjectionColumn {
  /** The SQL column name in `rm_<name>`: `[a-z_][a-z0-9_]*`. */
  name: string;
  type: ColumnType;
  /** A short header for people. */
  label: string;
  /** For `money`: the column holding the currency code. */
  currencyColumn?: string;
  description?: string;
}

export type SortDirection = 'asc' | 'desc';

export interface ProjectionTables {
  /**
   * SQL that creates the projection's tables and indexes: `rm_<table>` (the main table, queried by the UI)
   * and helper tables `rm_<table>__<suffix>`, where `<table>` is the name with `-` turned into `_`. Index
   * names start with `rm_<table>` too. Only CREATE TABLE and CREATE INDEX are allowed.
   */
  ddl: string;
  /** The columns of `rm_<table>` a user sees, sorts and filters by (a subset of its columns, in display order). */
  columns: readonly ProjectionColumn[];
  /** The primary key of `rm_<table>` (NOT NULL columns): the tie-breaker of keyset paging. */
  primaryKey: readonly string[];
  defaultSort: { column: string; dir: SortDirection };
  /** Set when the read model is a time series (the UI draws a chart): which columns are time, series and value. */
  timeSeries?: { time: string; series: string; value: string };
}

/**
 * What a projection sees of an event: the stored event without its chain hashes. `data` and `metadata` are
 * parsed lazily (a projection that never reads them costs no JSON parsing).
 */
export interface ProjectionEvent {
  readonly globalPosition: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventType: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  readonly recordedAt: number;
  readonly occurredAt: number;
}

/** A buffered writer for many events at a time (see `ProjectionSpec.batch`). */
export interface ProjectionBatchWriter {
  apply(event: ProjectionEvent): void;
  /** Writes everything buffered. The engine calls it before every checkpoint. */
  flush(): void;
}

/** What a caller passes to `defineProjection`. */
export interface ProjectionSpec {
  /** `[a-z][a-z0-9]*` words joined by single `-` (at most 40 characters); its tables are `rm_<name with _>`. */
  name: string;
  /** A positive integer. Changing it drops the read model and rebuilds it from position 0. */
  version: number;
  description: string;
  /** The event types it folds, or `['*']` for every event. Other events only move its checkpoint. */
  handles: readonly string[];
  tables: ProjectionTables;
  /** Runs once after `tables.ddl` when the read model is (re)created, e.g. to insert seed rows. */
  init?(db: Database.Database): void;
  /** Folds one event into the tables. Throwing stops the projection at this event (status `failed`). */
  apply(db: Database.Database, event: ProjectionEvent): void;
  /**
   * Optional fast path for catch-ups and rebuilds: a writer that may keep rows in memory across events and
   * writes them on `flush()`. It must leave the tables exactly as `apply` of the same events would. Between
   * `batch(db)` and the last `flush()` nothing else writes the projection's tables. If it throws, the engine
   * rolls the batch back and replays it with `apply`, one event at a time, to find the failing event.
   */
  batch?(db: Database.Database): ProjectionBatchWriter;
}

/** A checked projection (from `defineProjection`). */
export interface ProjectionDefinition extends ProjectionSpec {
  readonly kind: 'hindsight-projection';
  /** `rm_<name with _>`: the main table. */
  readonly table: string;
  /** A fingerprint of the code and DDL: a failed projection is retried when it changes. */
  readonly codeHash: string;
  /** `handles` includes `*`. */
  readonly handlesAll: boolean;
  readonly handledTypes: ReadonlySet<string>;
  /**
   * Its code reads its tables by primary key only (keyed-row projections): a rebuild may then load its
   * tables without their secondary indexes and build those once at the end.
   */
  readonly keyedReadsOnly: boolean;
}

export type ReadModelState = 'ok' | 'failed' | 'rebuilding';

/** Where a projection stopped: the event it threw on. */
export interface ProjectionFailure {
  position: number;
  eventId: string;
  eventType: string;
  message: string;
}

export interface ReadModelStatus {
  name: string;
  description: string;
  version: number;
  /** The last position folded in (the read model is the log prefix 1 … position). */
  position: number;
  head: number;
  /** head − position. */
  lag: number;
  /**
   * `ok`: consistent up to `position` (current when lag is 0). `rebuilding`: being built from position 0
   * (after a version change, or when missing); `failed`: stopped at `error` and does not advance.
   */
  status: ReadModelState;
  error: ProjectionFailure | null;
  lastRebuildAt: number | null;
  rebuildMs: number | null;
  rows: number;
  /** `store`: tables in the store file (read-write). `cache`: the private cache database (read-only). */
  location: 'store' | 'cache';
  /** True when the lag is larger than the in-process catch-up limit: run the `readmodels.catchup` job. */
  needsJob: boolean;
  columns: ProjectionColumn[];
  primaryKey: string[];
  defaultSort: { column: string; dir: SortDirection };
  timeSeries: { time: string; series: string; value: string } | null;
}

export interface ReadModelsOptions {
  /**
   * Folder for private databases: the read models of a read-only store (`readmodels-<storeId>.sqlite`) and
   * the "as of" scratch databases. Required for a read-only store; a read-write store keeps its read models
   * in its own file and uses the OS temp folder for "as of" databases when this is not given.
   */
  cacheDir?: string;
  /** The projections of this store (default: the built-in ones). Fixed at the first attach. */
  projections?: readonly ProjectionDefinition[];
  /**
   * The largest gap (events) caught up in-process: on attach, inside an append, before a query (default
   * 10,000). Larger gaps wait for `catchUp` or the `readmodels.catchup` job.
   */
  maxCatchUp?: number;
}

export interface ProgressOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: CancelSignal;
}

export interface CatchUpOptions extends ReadModelsOptions, ProgressOptions {
  /** Only these read models (default: all). */
  names?: readonly string[];
  /** Events per transaction (default 5,000). */
  batchSize?: number;
}

export interface ReadModelRun {
  name: string;
  /** Events folded (of the types it handles). */
  applied: number;
  from: number;
  position: number;
  status: ReadModelState;
  error: ProjectionFailure | null;
}

export interface CatchUpResult {
  head: number;
  models: ReadModelRun[];
}

export interface RebuildOptions extends ReadModelsOptions, ProgressOptions {
  names?: readonly string[];
  /** Folder for the scratch database (default: cacheDir, else the OS temp folder). */
  scratchDir?: string;
}

export interface RebuildResult {
  head: number;
  /** ms, scratch build + swap. */
  ms: number;
  models: ReadModelRun[];
}

export type FilterOp = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'contains' | 'startsWith' | 'isNull' | 'notNull';

export interface ReadModelFilter {
  column: string;
  op: FilterOp;
  /** A string for text columns, a number for the others; absent for isNull / notNull. */
  value?: string | number | boolean | null;
}

export interface ReadModelQuery {
  sort?: { column: string; dir?: SortDirection };
  filters?: readonly ReadModelFilter[];
  /** The `next` of the previous page (opaque). */
  after?: string | null;
  /** Rows per page, 1 … 1000 (default 100). */
  limit?: number;
  /** Count the rows matching the filters (default true). */
  count?: boolean;
}

export type ReadModelRow = Record<string, string | number | null>;

export interface ReadModelPage {
  name: string;
  columns: ProjectionColumn[];
  rows: ReadModelRow[];
  /** The cursor of the next page, or null on the last page. */
  next: string | null;
  /** Rows matching the filters (null when not counted). */
  total: number | null;
  /** The read model's checkpoint: the rows reflect positions 1 … position. */
  position: number;
  status: ReadModelState;
  error: ProjectionFailure | null;
}

export interface AsOf {
  /** The log prefix shown: positions 1 … position. */
  position: number;
  /** The time asked for, else the recorded time of the event at `position` (null for an empty prefix). */
  time: number | null;
}

export interface AsOfPage extends ReadModelPage {
  asOf: AsOf;
}

export interface ActivitySeriesOptions {
  from?: number;
  to?: number;
  /** Buckets at most (default 2000, at most 10,000): the bucket is one minute, widened to a round width. */
  maxPoints?: number;
  /** Series at most (default 20); the smallest types are summed into one series with type null. */
  maxSeries?: number;
}

export interface ActivitySeriesResult {
  from: number | null;
  to: number | null;
  bucketMs: number;
  /** Start time of each bucket. */
  buckets: number[];
  /** Events per bucket, all types. */
  totals: number[];
  /** Stacked by event type, largest first; `type` null = all other types. */
  series: { type: string | null; counts: number[]; total: number }[];
  position: number;
}
