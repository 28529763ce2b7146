import { z } from 'zod';

/**
 * The report MODEL: plain data, the one thing every renderer (HTML, PDF, CSV, JSON) is made from, and exactly
 * what the JSON format writes. This zod schema is its single source of truth: the TypeScript types below are
 * inferred from it, `reportJsonSchema()` turns it into the JSON Schema printed in docs/report-format.md, and the
 * tests validate generated reports against both.
 *
 * Bump REPORT_SCHEMA_VERSION on any change a reader could notice (a field removed, renamed or given a new
 * meaning); adding an optional field is not such a change.
 */

export const REPORT_SCHEMA_VERSION = 1;
export const REPORT_DOCUMENT = 'hindsight-report';

export const REPORT_KINDS = ['entity', 'actor', 'window', 'correlation', 'summary'] as const;
export const REPORT_FORMATS = ['html', 'pdf', 'csv', 'json'] as const;

const HEX64 = /^[0-9a-f]{64}$/;
/** `Date.prototype.toISOString` output (years beyond 9999 get a sign and six digits). */
const ISO_UTC = /^(?:\d{4}|[+-]\d{6})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const IsoTime = z
  .string()
  .regex(ISO_UTC)
  .describe('A UTC time as ISO 8601 with milliseconds, e.g. 2024-05-01T12:00:00.000Z');
const Int = z.number().int();
const Count = z.number().int().min(0);
const Position = z.number().int().min(1).describe('A global position in the log (1, 2, 3, …)');
const Hash = z.string().regex(HEX64).describe('Lower-case hex SHA-256');
const Json = z.unknown().describe('Any JSON value');
const JsonObject = z.record(z.string(), z.unknown()).describe('A JSON object');

export const ReportKindSchema = z.enum(REPORT_KINDS);
export const ReportFormatSchema = z.enum(REPORT_FORMATS);

export const ReportNoteSchema = z
  .strictObject({
    target: z
      .string()
      .describe(
        'What the note is about: `event:<event id>`, `stream:<stream id>`, `position:<n>`, `correlation:<id>`, `store`, or free text',
      ),
    text: z.string(),
    createdAt: IsoTime,
    author: z.string(),
  })
  .describe('An investigation note passed in by the caller (issue #7)');

export const ReportParametersSchema = z
  .strictObject({
    kind: ReportKindSchema,
    title: z.string().nullable().describe('A title given by the caller, or null for the default title'),
    streams: z
      .array(z.string())
      .nullable()
      .describe('entity: the streams, sorted (code-unit order), without duplicates; null for other kinds'),
    actor: z.string().nullable().describe('actor: the actor; null for other kinds'),
    correlationId: z.string().nullable().describe('correlation: the correlation id; null for other kinds'),
    from: IsoTime.nullable().describe('Range start (recorded time, inclusive), or null for "from the beginning"'),
    to: IsoTime.nullable().describe('Range end (recorded time, inclusive), or null for "up to the head"'),
    includeState: z.boolean(),
    includeDiffs: z.boolean(),
    includeNotes: z.boolean(),
  })
  .describe('The report parameters, normalised: every key present, times in UTC');

export const VerifyBreakSchema = z.strictObject({
  position: Position,
  reason: z.enum(['modified', 'missing', 'reordered', 'inserted', 'time_reversed', 'truncated', 'digest_mismatch']),
  message: z.string(),
});

export const ColumnMappingSchema = z
  .strictObject({
    table: z.string(),
    stream: z.string(),
    type: z.string(),
    data: z.string(),
    position: z.string().optional(),
    version: z.string().optional(),
    metadata: z.string().optional(),
    time: z.string().optional(),
    eventId: z.string().optional(),
  })
  .describe('Which columns of which table hold the parts of an event (shared/types.ts ColumnMapping)');

export const ForeignSourceSchema = z
  .strictObject({
    kind: z
      .enum(['emmett', 'table'])
      .describe('An Emmett SQLite event store, or a SQLite table read through a mapping'),
    label: z.string().describe('e.g. `Emmett SQLite event store` or `mapped table "audit_log"`'),
    mapping: ColumnMappingSchema.nullable().describe('The column mapping (kind `table`), else null'),
    rows: Count.describe('Rows read from the file'),
    adjusted: Count.describe('Rows whose values had to be adjusted to be shown (see notes)'),
    timeSource: z
      .enum(['column', 'file'])
      .describe("Where event times come from: a column, or (none mapped) the file's modification time"),
    notes: z.array(z.string()).describe('What was adjusted while reading, in words'),
    statement: z
      .string()
      .describe(
        '`No tamper evidence: <label> has no hash chain; this report identifies the file by its SHA-256 only.`',
      ),
  })
  .describe(
    "Only for a foreign store (a file written by another tool, read through an adapter): what it was read as. Such a file has no hash chain: `digest`, `headHash` and the events' `hash` are those of the copy Hindsight derived from it and prove nothing about the file; only `fileSha256` identifies it",
  );

export const IntegritySchema = z
  .strictObject({
    storeId: z.string().describe('store_meta.store_id'),
    fileName: z.string().describe('The store file name (no folder)'),
    fileSize: Count.describe('Size of the store file in bytes when the report was generated'),
    fileSha256: Hash.describe('SHA-256 of the store file bytes when the report was generated'),
    formatVersion: Int,
    digest: z.string().describe('POSITION:HASH of the head (docs/file-format.md, "Digest")'),
    headPosition: Count,
    headHash: Hash,
    storeEvents: Count.describe('Events in the whole store'),
    storeStreams: Count.describe('Streams in the whole store'),
    walNotRead: z
      .boolean()
      .describe('A -wal file lay beside the store and was not read: its not yet checkpointed changes are not included'),
    verification: z.strictObject({
      ok: z.boolean(),
      status: z
        .enum(['intact', 'tampered', 'unprovable'])
        .describe('`unprovable`: a foreign store, which has no hash chain: nothing was verified (ok is false)'),
      eventsVerified: Count.describe('Events proven intact (all of them when ok)'),
      firstBad: VerifyBreakSchema.nullable(),
    }),
    recheck: z.string().describe('The one sentence telling how to re-check the store against this report'),
    foreign: ForeignSourceSchema.optional(),
  })
  .describe('Evidence of what the report was made from, taken when it was generated');

export const OverviewSchema = z
  .strictObject({
    events: Count.describe('Events the report covers'),
    streams: Count.describe('Distinct streams among them'),
    actors: Count.describe('Distinct actors among them (events without an actor are not counted)'),
    commands: Count.nullable().describe(
      'Recorded commands the report covers (actor, window, correlation, summary), else null',
    ),
    rejectedCommands: Count.nullable(),
    firstRecordedAt: IsoTime.nullable(),
    lastRecordedAt: IsoTime.nullable(),
  })
  .describe('Counts of what the report covers, computed before its rows are written');

export const ChangeSchema = z.strictObject({
  path: z.array(z.string()),
  kind: z.enum(['added', 'removed', 'changed']),
  before: Json.optional(),
  after: Json.optional(),
});

export const EventRowSchema = z
  .strictObject({
    position: Position,
    eventId: z.string(),
    streamId: z.string(),
    version: Int,
    type: z.string(),
    schemaVersion: Int,
    recordedAt: IsoTime,
    occurredAt: IsoTime,
    actor: z.string().nullable().describe('metadata.actor when it is a string'),
    reason: z.string().nullable().describe('metadata.reason when it is a string'),
    commandId: z.string().nullable(),
    correlationId: z.string().nullable(),
    causationId: z.string().nullable(),
    data: Json,
    metadata: JsonObject,
    hash: Hash.describe("The event's hash-chain hash"),
    stateAfter: Json.optional().describe("With includeState (entity, actor, correlation): the stream's state after it"),
    changes: z.array(ChangeSchema).optional().describe('With includeDiffs: what it changed in its stream’s state'),
    stateError: z
      .string()
      .optional()
      .describe('Why stateAfter/changes could not be computed (a stream the reducers cannot fold)'),
  })
  .describe('One event');

export const CommandRowSchema = z
  .strictObject({
    seq: Int.describe("The command log's order (rowid)"),
    commandId: z.string(),
    commandType: z.string(),
    streamId: z.string().nullable(),
    actor: z.string().nullable(),
    reason: z.string().nullable(),
    receivedAt: IsoTime,
    outcome: z.enum(['accepted', 'rejected']),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    firstPosition: Int.nullable(),
    lastPosition: Int.nullable(),
    payload: Json,
  })
  .describe('One recorded command (accepted or rejected)');

export const EntityRowSchema = z
  .strictObject({
    streamId: z.string(),
    category: z.string(),
    eventsInScope: Count.describe('Events of this stream the report covers'),
    firstPosition: Position.nullable().describe('Of its first event in scope (null: none in scope)'),
    lastPosition: Position.nullable(),
    version: Int.nullable().describe('The stream version after its last event in scope'),
    lastType: z.string().nullable(),
    lastRecordedAt: IsoTime.nullable(),
    state: Json.optional().describe('With includeState: the state after its last event in scope'),
    stateError: z.string().optional(),
  })
  .describe('One entity (stream) the report covers');

export const ChainRowSchema = z
  .strictObject({
    depth: Count.describe('Nesting by causation, 0 for a root'),
    node: z.enum(['command', 'event']),
    id: z.string().describe('The command id or event id'),
    position: Int.describe("An event's position, or where a command sits in the log"),
    streamId: z.string().nullable(),
    version: Int.nullable(),
    type: z.string().describe('Command type or event type'),
    actor: z.string().nullable(),
    time: IsoTime.describe('recorded_at of an event, received_at of a command'),
    outcome: z.enum(['accepted', 'rejected']).nullable(),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    reason: z.string().nullable(),
    policy: z.string().nullable(),
    change: z.string().nullable().describe('One line: what an event changed, e.g. `balance: 5000 → 2200`'),
  })
  .describe('One node of a correlation chain, in tree order');

export const CountRowSchema = z.strictObject({
  key: z.string().nullable().describe('null: none (e.g. events without an actor)'),
  count: Count,
});

export const FactRowSchema = z.strictObject({ label: z.string(), value: z.string() });

export const ActivityRowSchema = z.strictObject({
  start: IsoTime.describe('Bucket start (inclusive)'),
  total: Count,
  counts: z.array(Count).describe("Per series, aligned with the section's `series`"),
});

const sectionBase = {
  id: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .describe('Stable within the report, usable as an anchor'),
  title: z.string(),
  count: Count.describe('Number of rows'),
};

export const SectionSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ ...sectionBase, type: z.literal('facts'), rows: z.array(FactRowSchema) }),
    z.strictObject({
      ...sectionBase,
      type: z.literal('counts'),
      keyLabel: z.string(),
      distinct: Count.describe('Distinct keys in all (rows may show only the largest)'),
      others: Count.describe('Sum of the counts of the keys not shown'),
      rows: z.array(CountRowSchema),
    }),
    z.strictObject({
      ...sectionBase,
      type: z.literal('activity'),
      groupBy: z.enum(['type', 'actor', 'category']),
      bucketMs: z.number().int().min(1),
      from: IsoTime.nullable(),
      to: IsoTime.nullable(),
      series: z.array(z.string().nullable()).describe('Series keys; null = the rest'),
      rows: z.array(ActivityRowSchema),
    }),
    z.strictObject({
      ...sectionBase,
      type: z.literal('events'),
      streamId: z.string().nullable().describe('entity: the stream of this section'),
      rows: z.array(EventRowSchema),
    }),
    z.strictObject({ ...sectionBase, type: z.literal('commands'), rows: z.array(CommandRowSchema) }),
    z.strictObject({
      ...sectionBase,
      type: z.literal('entities'),
      asOf: IsoTime.nullable().describe('States are as of this recorded time (null: after the last event in scope)'),
      rows: z.array(EntityRowSchema),
    }),
    z.strictObject({
      ...sectionBase,
      type: z.literal('chain'),
      correlationId: z.string(),
      truncated: z.boolean(),
      rows: z.array(ChainRowSchema),
    }),
  ])
  .meta({ id: 'ReportSection' });

export const ReportModelSchema = z
  .strictObject({
    document: z.literal(REPORT_DOCUMENT),
    schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
    kind: ReportKindSchema,
    title: z.string(),
    generator: z.strictObject({ name: z.string(), version: z.string() }),
    generatedAt: IsoTime.describe('When the report was generated: the only value that differs between two runs'),
    parameters: ReportParametersSchema,
    integrity: IntegritySchema,
    overview: OverviewSchema,
    notes: z.array(ReportNoteSchema).describe('With includeNotes: the notes passed in, sorted by time; else []'),
    sections: z.array(SectionSchema),
  })
  .meta({ title: 'Hindsight report', description: 'A Hindsight audit report (docs/report-format.md)' });

export type ReportKind = z.output<typeof ReportKindSchema>;
export type ReportFormat = z.output<typeof ReportFormatSchema>;
export type ReportNote = z.output<typeof ReportNoteSchema>;
export type ReportParameters = z.output<typeof ReportParametersSchema>;
export type Integrity = z.output<typeof IntegritySchema>;
export type VerificationStatus = Integrity['verification']['status'];
export type ForeignSource = z.output<typeof ForeignSourceSchema>;
export type Overview = z.output<typeof OverviewSchema>;
export type ChangeRow = z.output<typeof ChangeSchema>;
export type EventRow = z.output<typeof EventRowSchema>;
export type CommandRow = z.output<typeof CommandRowSchema>;
export type EntityRow = z.output<typeof EntityRowSchema>;
export type ChainRow = z.output<typeof ChainRowSchema>;
export type CountRow = z.output<typeof CountRowSchema>;
export type FactRow = z.output<typeof FactRowSchema>;
export type ActivityRow = z.output<typeof ActivityRowSchema>;
export type ReportSection = z.output<typeof SectionSchema>;
export type SectionType = ReportSection['type'];
export type ReportModel = z.output<typeof ReportModelSchema>;

/** A section without its rows and count: what is known when the section starts (streamed reports). */
export type SectionHead = ReportSection extends infer S
  ? S extends ReportSection
    ? Omit<S, 'rows' | 'count'>
    : never
  : never;

/** Everything of a report except its sections: known before the first row is written. */
export type ReportHead = Omit<ReportModel, 'sections'>;

/** The row type of each section type. */
export interface SectionRows {
  facts: FactRow;
  counts: CountRow;
  activity: ActivityRow;
  events: EventRow;
  commands: CommandRow;
  entities: EntityRow;
  chain: ChainRow;
}
export type SectionRow = SectionRows[SectionType];

/** Validates a parsed report (e.g. a JSON report read back); throws a ZodError listing what does not fit. */
export function parseReportModel(value: unknown): ReportModel {
  return ReportModelSchema.parse(value);
}

let jsonSchema: Record<string, unknown> | undefined;

/** The report model as a JSON Schema (draft 2020-12); docs/report-format.md prints it. */
export function reportJsonSchema(): Record<string, unknown> {
  if (jsonSchema === undefined) {
    jsonSchema = z.toJSONSchema(ReportModelSchema, { target: 'draft-2020-12', io: 'output' }) as Record<
      string,
      unknown
    >;
  }
  return jsonSchema;
}
