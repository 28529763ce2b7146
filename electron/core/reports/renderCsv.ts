import { type ReportRenderer, renderModel } from './parts';
import type { CommandRow, EventRow, ReportHead, ReportModel, SectionHead, SectionRow } from './schema';
import { stableJson } from './text';

/**
 * The CSV format (RFC 4180): a header row, then one record per event the report lists (and, for actor and
 * correlation reports, one per recorded command, accepted or rejected), in report order. Fields holding a
 * comma, a quote, CR or LF are quoted with their quotes doubled; records end with CRLF. JSON fields (data,
 * metadata, stateAfter, changes) hold canonical JSON text: for `data` and `metadata` exactly the bytes the store
 * holds and hashes. An empty field means "none". Values are written as they are (no spreadsheet formula
 * escaping): the file is evidence, so open it in a spreadsheet with care.
 *
 * Every record ends with the provenance of the report (store id, digest, whether the store verified), so
 * that rows copied elsewhere still say where they came from. docs/report-format.md lists the columns.
 *
 * A foreign store (no hash chain) has no digest and cannot verify: its records carry `sha256:<file SHA-256>` as
 * `storeDigest` and `unprovable` as `storeVerified`, and one `integrity` record after the header says so in
 * words (`reason`). A report of one of our own stores has no such record.
 */

export const REPORT_CSV_COLUMNS = [
  'record',
  'position',
  'eventId',
  'streamId',
  'version',
  'type',
  'schemaVersion',
  'recordedAt',
  'occurredAt',
  'actor',
  'reason',
  'commandId',
  'correlationId',
  'causationId',
  'outcome',
  'errorCode',
  'errorMessage',
  'data',
  'metadata',
  'hash',
  'stateAfter',
  'changes',
  'stateError',
  'storeId',
  'storeDigest',
  'storeVerified',
] as const;

export type ReportCsvColumn = (typeof REPORT_CSV_COLUMNS)[number];

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvRecord(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

function text(value: string | number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

export function eventCsvFields(row: EventRow): Record<ReportCsvColumn, string> {
  return {
    record: 'event',
    position: text(row.position),
    eventId: row.eventId,
    streamId: row.streamId,
    version: text(row.version),
    type: row.type,
    schemaVersion: text(row.schemaVersion),
    recordedAt: row.recordedAt,
    occurredAt: row.occurredAt,
    actor: text(row.actor),
    reason: text(row.reason),
    commandId: text(row.commandId),
    correlationId: text(row.correlationId),
    causationId: text(row.causationId),
    outcome: '',
    errorCode: '',
    errorMessage: '',
    data: stableJson(row.data),
    metadata: stableJson(row.metadata),
    hash: row.hash,
    stateAfter: row.stateAfter === undefined || row.stateError !== undefined ? '' : stableJson(row.stateAfter),
    changes: row.changes === undefined || row.stateError !== undefined ? '' : stableJson(row.changes),
    stateError: text(row.stateError),
    storeId: '',
    storeDigest: '',
    storeVerified: '',
  };
}

export function commandCsvFields(row: CommandRow): Record<ReportCsvColumn, string> {
  return {
    record: 'command',
    position: text(row.firstPosition),
    eventId: '',
    streamId: text(row.streamId),
    version: '',
    type: row.commandType,
    schemaVersion: '',
    recordedAt: row.receivedAt,
    occurredAt: '',
    actor: text(row.actor),
    reason: text(row.reason),
    commandId: row.commandId,
    correlationId: '',
    causationId: '',
    outcome: row.outcome,
    errorCode: text(row.errorCode),
    errorMessage: text(row.errorMessage),
    data: stableJson(row.payload),
    metadata: '',
    hash: '',
    stateAfter: '',
    changes: '',
    stateError: '',
    storeId: '',
    storeDigest: '',
    storeVerified: '',
  };
}

function emptyFields(): Record<ReportCsvColumn, string> {
  return Object.fromEntries(REPORT_CSV_COLUMNS.map((column) => [column, ''])) as Record<ReportCsvColumn, string>;
}

function storeVerified(head: ReportHead): string {
  const status = head.integrity.verification.status;
  return status === 'unprovable' ? 'unprovable' : head.integrity.verification.ok ? 'true' : 'false';
}

export function createCsvRenderer(): ReportRenderer {
  let provenance: Pick<Record<ReportCsvColumn, string>, 'storeId' | 'storeDigest' | 'storeVerified'>;
  let type: SectionHead['type'] | undefined;
  const record = (fields: Record<ReportCsvColumn, string>): string =>
    csvRecord(REPORT_CSV_COLUMNS.map((column) => fields[column]));
  return {
    head(head: ReportHead): string {
      const i = head.integrity;
      provenance = {
        storeId: i.storeId,
        storeDigest: i.foreign === undefined ? i.digest : `sha256:${i.fileSha256}`,
        storeVerified: storeVerified(head),
      };
      if (i.foreign === undefined) return csvRecord(REPORT_CSV_COLUMNS);
      const notice = record({
        ...emptyFields(),
        record: 'integrity',
        type: 'unprovable',
        reason: `${i.foreign.statement} ${i.recheck.replaceAll('`', '')}.`,
        ...provenance,
      });
      return csvRecord(REPORT_CSV_COLUMNS) + notice;
    },
    section(section: SectionHead): string {
      type = section.type;
      return '';
    },
    row(row: SectionRow): string {
      if (type === 'events') return record({ ...eventCsvFields(row as EventRow), ...provenance });
      if (type === 'commands') return record({ ...commandCsvFields(row as CommandRow), ...provenance });
      return '';
    },
    endSection(): string {
      type = undefined;
      return '';
    },
    end(): string {
      return '';
    },
  };
}

/** A whole model as the CSV format. */
export function renderCsv(model: ReportModel): string {
  return renderModel(createCsvRenderer(), model);
}
