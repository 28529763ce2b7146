// Data shapes that cross the IPC boundary. Plain data only: no classes, no functions, no Dates
// (times are milliseconds since the epoch, UTC), so they survive structured clone unchanged.

export type OpenMode = 'read-write' | 'read-only';

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  arch: string;
  dataDir: string;
  /** The OS user name: the default actor for commands. */
  userName: string;
  versions: { node: string; electron: string | null; chrome: string | null; sqlite: string };
}

export interface HeadRef {
  position: number;
  hash: string;
}

/** What the frame (top bar, status bar) shows about the open store. */
export interface StoreSummary {
  fileName: string;
  path: string;
  mode: OpenMode;
  storeId: string;
  formatVersion: number;
  events: number;
  streams: number;
  head: HeadRef;
  firstRecordedAt: number | null;
  lastRecordedAt: number | null;
  /** A `-wal` file was found beside a file opened read-only; it was not replayed into the file. */
  companionWal: boolean;
  /** The `-wal` beside a file opened read-only was applied, to the private copy only, at the user's request. */
  walIncluded: boolean;
  /** SHA-256 of the file's bytes as opened (null while it is being computed). */
  fileSha256: string | null;
  /** Set when the file is not a Hindsight store but another event store read through an adapter. */
  foreign: ForeignSourceInfo | null;
}

/**
 * Which columns of a table in someone else's SQLite database hold the parts of an event. `stream`, `type`
 * and `data` are required; the order of events is `position`, else `time` then the table's row order.
 */
export interface ColumnMapping {
  table: string;
  stream: string;
  type: string;
  data: string;
  position?: string;
  version?: string;
  metadata?: string;
  time?: string;
  eventId?: string;
}

export type ForeignKind = 'emmett' | 'table';

/** What was read from a foreign store, and what it cannot prove. */
export interface ForeignSourceInfo {
  kind: ForeignKind;
  /** e.g. "Emmett SQLite event store" or "table audit_log (mapped columns)". */
  label: string;
  mapping: ColumnMapping | null;
  /** Rows read from the source. */
  rows: number;
  /** Rows whose values had to be adjusted to be shown (see `notes`). */
  adjusted: number;
  /** Where event times come from: a column, or (no time column) the file's modification time. */
  timeSource: 'column' | 'file';
  /** Sentences about what was adjusted, at most a few, for the banner's details. */
  notes: string[];
}

/** What an import of a JSONL file appended (docs/cli.md, "JSONL interchange"). */
export interface ImportSummary {
  imported: number;
  /** Lines whose event id was already stored with the same content: nothing written for them. */
  skipped: number;
  lines: number;
  firstPosition: number;
  lastPosition: number;
}

export interface ForeignColumn {
  name: string;
  /** The declared SQL type (may be empty in SQLite). */
  declaredType: string;
}

export interface ForeignTable {
  name: string;
  rows: number;
  columns: ForeignColumn[];
  /** The first rows, every value as short text (BLOBs as "<blob N bytes>"). */
  sample: Record<string, string>[];
}

/** What the column-mapping dialog shows for a SQLite file that is not an event store Hindsight knows. */
export interface MappingCandidates {
  path: string;
  fileName: string;
  tables: ForeignTable[];
  /** A guess from the column names, or null when no table looks like events. */
  suggested: ColumnMapping | null;
  /** The mapping the user chose for this file before, if any. */
  remembered: ColumnMapping | null;
}

export interface CategoryCount {
  category: string;
  streams: number;
  events: number;
}

export interface StoreDetails extends StoreSummary {
  createdAt: number | null;
  createdBy: string | null;
  categories: CategoryCount[];
}

export interface RecentFile {
  id: string;
  path: string;
  fileName: string;
  lastOpenedAt: number;
  mode: OpenMode;
  exists: boolean;
  /** A foreign store the last time it was opened (Emmett, or a mapped table). */
  foreign?: ForeignKind;
}

export interface StreamRow {
  streamId: string;
  category: string;
  version: number;
  firstPosition: number;
  lastPosition: number;
  createdAt: number;
  updatedAt: number;
  lastEventType: string | null;
}

export interface EventRow {
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
  hash: string;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `after` to get the next page; null at the end. Keyset, never an offset. */
  next: string | number | null;
}

export type VerifyBreakReason = string;

export interface VerifyOutcome {
  ok: boolean;
  events: number;
  head: HeadRef;
  firstBad: { position: number; reason: VerifyBreakReason } | null;
}

export type IntegrityState =
  | { state: 'unknown' }
  | { state: 'verifying'; jobId: string; done: number; total: number }
  | { state: 'intact'; checkedAt: number; result: VerifyOutcome }
  | { state: 'tampered'; checkedAt: number; result: VerifyOutcome }
  /** `damaged`: SQLite's integrity check failed (the file itself is broken), rather than the walk. */
  | { state: 'error'; checkedAt: number; message: string; damaged: boolean }
  /** A foreign store has no hash chain: nothing can be verified; the file's SHA-256 identifies it. */
  | { state: 'unprovable'; reason: string };

export type JobKind = string;

export interface JobProgress {
  jobId: string;
  kind: JobKind;
  label: string;
  done: number;
  total: number;
}

export interface JobFinished {
  jobId: string;
  kind: JobKind;
  label: string;
  ok: boolean;
  cancelled: boolean;
  message: string;
}

/** A JSON Schema (draft 2020-12) as produced by zod's toJSONSchema; the UI reads a small subset. */
export interface JsonSchema {
  type?: string;
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  enum?: unknown[];
  not?: { const?: unknown };
  [key: string]: unknown;
}

export interface CommandCatalogEntry {
  type: string;
  domain: string;
  description: string;
  /** Corrective commands (AdjustBalance, RefundOrder) need a reason. */
  corrective: boolean;
  jsonSchema: JsonSchema;
  example: Record<string, unknown>;
}

export interface CommandError {
  code: string;
  domainCode?: string;
  message: string;
  /** For invalid_input: `issues` with the path of each bad field. */
  details?: Record<string, unknown>;
}

export interface CommandResult {
  commandId: string;
  commandType: string;
  streamId: string;
  /** `failed` only for a follow-up a policy issued that could not run (nothing written, nothing recorded). */
  outcome: 'accepted' | 'rejected' | 'failed';
  actor: string;
  /** The policy that issued this command; null for a command a person sent. */
  policy: string | null;
  correlationId: string;
  causationId: string;
  /** True when this command id had been executed before: the first outcome, nothing written now. */
  duplicate: boolean;
  events: EventRow[];
  error: CommandError | null;
  /** Commands that policies triggered from this command's events, with their own outcomes. */
  triggered: CommandResult[];
}

export interface CommandLogRow {
  /** Increases with every recorded command: the log's order and its keyset cursor. */
  seq: number;
  commandId: string;
  commandType: string;
  streamId: string | null;
  actor: string | null;
  reason: string | null;
  receivedAt: number;
  outcome: 'accepted' | 'rejected';
  errorCode: string | null;
  errorMessage: string | null;
  firstPosition: number | null;
  lastPosition: number | null;
  payload: unknown;
}

export type ChangeKind = 'added' | 'removed' | 'changed';

/** One leaf-level difference between two states; `path` uses array indexes as strings. */
export interface StateChange {
  path: string[];
  kind: ChangeKind;
  before?: unknown;
  after?: unknown;
}

/** A stream's event with the state after it and what it changed. */
export interface TimelineEntry extends EventRow {
  stateAfter: unknown;
  changes: StateChange[];
}

export type TimeAxis = 'recorded' | 'occurred';

export interface StateAtResult {
  streamId: string;
  /** The last version folded into the state (0 = before the first event). */
  version: number;
  position: number | null;
  recordedAt: number | null;
  occurredAt: number | null;
  state: unknown;
  /** `domain:accounts`, `domain:orders` or `generic` (the data-only reducer). */
  reducer: string;
  fromSnapshot: boolean;
}

export interface ValuePoint {
  version: number;
  position: number;
  recordedAt: number;
  value: number;
}

export interface ValueSeries {
  field: string[];
  points: ValuePoint[];
  /** Numeric fields found in the latest state, for the field picker. */
  fields: string[][];
}

export type ThemeSetting = 'system' | 'light' | 'dark';
export type TimeZoneSetting = 'utc' | 'local';

export interface Settings {
  /** Recorded as the actor of commands issued from this installation; empty = the OS user name. */
  actor: string;
  timeZone: TimeZoneSetting;
  theme: ThemeSetting;
  /** Write a state snapshot every this many events of a stream. */
  snapshotInterval: number;
  /** How a file this installation did not create is opened. */
  foreignOpenMode: OpenMode;
}

export interface SearchFiltersDto {
  recordedFrom?: number;
  recordedTo?: number;
  streamPrefix?: string;
  category?: string;
  types?: string[];
  actors?: string[];
  correlationId?: string;
  commandId?: string;
  text?: string;
}

export interface SearchResultPage {
  items: EventRow[];
  next: number | null;
  total: number | null;
  /** Words of the text query as the index sees them, for highlighting. */
  terms: string[];
}

export interface HistogramDto {
  from: number | null;
  to: number | null;
  bucketMs: number;
  buckets: { start: number; end: number; count: number }[];
  total: number;
}

export interface ActivityDto {
  from: number | null;
  to: number | null;
  bucketMs: number;
  groupBy: 'type' | 'actor' | 'category';
  buckets: number[];
  totals: number[];
  series: { key: string | null; counts: number[]; total: number }[];
  spikes: {
    from: number;
    to: number;
    count: number;
    peak: number;
    peakAt: number;
    score: number;
    topKey: string | null;
  }[];
}

export interface ChainNodeDto {
  kind: 'command' | 'event';
  id: string;
  /** Command type or event type. */
  type: string;
  streamId: string | null;
  version: number | null;
  position: number;
  actor: string | null;
  time: number;
  outcome?: 'accepted' | 'rejected';
  errorMessage?: string | null;
  reason?: string | null;
  policy?: string | null;
  /** For events: what it changed, in one line. */
  change?: string;
  children: ChainNodeDto[];
}

export interface ChainDto {
  correlationId: string;
  focusEventId: string | null;
  roots: ChainNodeDto[];
  commands: number;
  rejected: number;
  events: number;
  streams: string[];
  truncated: boolean;
}

/** A menu command the main process hands to the page (the `menu.action` event). */
export type MenuAction =
  | { action: 'open-demo' }
  | { action: 'save-verified-copy' }
  | { action: 'export' }
  | { action: 'show-shortcuts' }
  | { action: 'open-settings' }
  | { action: 'set-theme'; theme: ThemeSetting };

export type NoteTarget =
  | { kind: 'event'; eventId: string; streamId: string; version: number; position: number }
  | { kind: 'stream'; streamId: string }
  | { kind: 'moment'; time: number };

/** An investigation note: kept in the app's private data, keyed by store id, never inside the store file. */
export interface Note {
  id: string;
  target: NoteTarget;
  text: string;
  author: string;
  createdAt: number;
  updatedAt: number;
}

export type ReportKindDto = 'entity' | 'actor' | 'window' | 'correlation' | 'summary';
export type ReportFormatDto = 'html' | 'pdf' | 'csv' | 'json';

export interface ReportRequest {
  kind: ReportKindDto;
  streams?: string[];
  actor?: string;
  correlationId?: string;
  from?: number;
  to?: number;
  includeState?: boolean;
  includeDiffs?: boolean;
  includeNotes?: boolean;
  title?: string;
}

export interface ReportRecord {
  path: string;
  kind: ReportKindDto;
  format: ReportFormatDto;
  title: string;
  createdAt: number;
  bytes: number;
  digest: string;
  fileSha256: string;
  /** `unprovable`: a foreign store, which has no hash chain (the report identifies the file by its SHA-256). */
  verification: 'intact' | 'tampered' | 'unprovable';
}

export interface ReadModelColumnDto {
  name: string;
  type: 'text' | 'integer' | 'real' | 'time' | 'money' | 'boolean';
  label: string;
  currencyColumn?: string;
}

export interface ReadModelStatusDto {
  name: string;
  description: string;
  version: number;
  position: number;
  head: number;
  lag: number;
  status: 'ok' | 'failed' | 'rebuilding';
  error: { position: number; eventId: string; eventType: string; message: string } | null;
  lastRebuildAt: number | null;
  rebuildMs: number | null;
  rows: number;
  location: 'store' | 'cache';
  columns: ReadModelColumnDto[];
  defaultSort: { column: string; dir: 'asc' | 'desc' };
}

export interface ReadModelPageDto {
  name: string;
  columns: ReadModelColumnDto[];
  rows: Record<string, string | number | null>[];
  next: string | null;
  total: number | null;
  position: number;
  asOf: { position: number; time: number | null } | null;
}
