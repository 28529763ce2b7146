import { HindsightError } from '../errors';
import type { JobContext } from '../jobs/types';
import { parseJsonText } from '../store/canonicalJson';
import { LIMITS, validateStreamId } from '../store/limits';
import { prepareEvent } from '../store/prepareEvent';
import type { NewEvent } from '../store/types';
import { forEachLine, parseTime } from './jsonl';

/**
 * The parsing half of an import, run in a worker thread (job kind `interchange.parse`): reads the JSONL
 * file, parses and validates each line and turns it into canonical form — everything that does not need
 * the database — and streams the results in batches to the importing thread, which only assigns
 * positions, hashes and inserts. The two run in parallel; shared memory keeps the parser at most a few
 * batches ahead, so memory stays bounded whatever the file size.
 */

/** One parsed line: [line, streamId, expected (-1 = any), eventId, type, schemaVersion, data, metadata, occurredAt, recordedAt]. */
export type ParsedLine = [
  number,
  string,
  number,
  string | null,
  string,
  number,
  string,
  string,
  number | null,
  number | null,
];

export interface ParseJobParams {
  file: string;
  /** One Int32: batches the importer has consumed (the parser waits when too far ahead). */
  window: SharedArrayBuffer;
  batchSize?: number;
}

const LINE_KEYS = new Set([
  'eventId',
  'streamId',
  'streamVersion',
  'type',
  'schemaVersion',
  'data',
  'metadata',
  'recordedAt',
  'occurredAt',
  // written by export, ignored by import (positions and hashes are assigned by the receiving store)
  'globalPosition',
  'hash',
]);

const MAX_BATCHES_AHEAD = 4;

/** Adds the line number to an error about one line (and says that nothing was imported). */
export function atLine(error: unknown, lineNo: number, file: string): unknown {
  if (!(error instanceof HindsightError) || error.code === 'cancelled') return error;
  if (error.details?.line !== undefined) return error;
  const details = { ...error.details, line: lineNo, path: file };
  if (error.code === 'concurrency') {
    const d = error.details as { streamId: string; expected: number; actual: number };
    return new HindsightError(
      'concurrency',
      `Line ${lineNo}: streamVersion ${d.expected + 1} does not follow on stream ${d.streamId}, which is at version ${d.actual}; nothing was imported.`,
      details,
    );
  }
  return new HindsightError(
    error.code,
    `Line ${lineNo}: ${error.message.replace(/\.$/, '')}; nothing was imported.`,
    details,
  );
}

export function parseLine(line: string, lineNo: number): ParsedLine {
  const value = parseJsonText(line, 'the line', LIMITS.maxImportLineLength);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HindsightError('invalid_input', 'The line is not a JSON object.');
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!LINE_KEYS.has(key))
      throw new HindsightError('invalid_input', `The line has an unknown field "${key}".`, { key });
  }
  const streamId = validateStreamId(obj.streamId);
  let expected = -1;
  if (obj.streamVersion !== undefined) {
    const v = obj.streamVersion;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
      throw new HindsightError('invalid_input', 'streamVersion must be a whole number of 1 or more.', {
        field: 'streamVersion',
      });
    }
    expected = v - 1;
  }
  const event: NewEvent = { type: obj.type as string, data: obj.data };
  if (obj.metadata !== undefined) event.metadata = obj.metadata as Record<string, unknown>;
  if (obj.eventId !== undefined) event.eventId = obj.eventId as string;
  if (obj.schemaVersion !== undefined) event.schemaVersion = obj.schemaVersion as number;
  if (obj.recordedAt !== undefined) event.recordedAt = parseTime(obj.recordedAt, 'recordedAt');
  if (obj.occurredAt !== undefined) event.occurredAt = parseTime(obj.occurredAt, 'occurredAt');
  const p = prepareEvent(event);
  return [
    lineNo,
    streamId,
    expected,
    p.eventId ?? null,
    p.eventType,
    p.schemaVersion,
    p.data,
    p.metadata,
    p.occurredAt ?? null,
    p.recordedAt ?? null,
  ];
}

export function parseJsonlJob(params: ParseJobParams, context: JobContext): { lines: number } {
  if (typeof params?.file !== 'string' || !(params.window instanceof SharedArrayBuffer)) {
    throw new HindsightError('invalid_input', 'The parse job needs a file and a shared window.');
  }
  const emit = context.emit;
  if (emit === undefined)
    throw new HindsightError('internal', 'The parse job must run in a job worker (it streams its results).');
  const consumed = new Int32Array(params.window);
  const batchSize = params.batchSize ?? 1000;
  let produced = 0;
  let lines = 0;
  let batch: ParsedLine[] = [];
  const send = (): void => {
    for (;;) {
      const seen = Atomics.load(consumed, 0);
      if (produced - seen < MAX_BATCHES_AHEAD) break;
      context.throwIfCancelled();
      Atomics.wait(consumed, 0, seen, 50);
    }
    emit(batch);
    produced++;
    batch = [];
  };
  forEachLine(
    params.file,
    (line, lineNo) => {
      if ((lineNo & 1023) === 0) context.throwIfCancelled();
      try {
        batch.push(parseLine(line, lineNo));
      } catch (error) {
        throw atLine(error, lineNo, params.file);
      }
      lines++;
      if (batch.length >= batchSize) send();
    },
    context.onProgress,
  );
  if (batch.length > 0) send();
  return { lines };
}
