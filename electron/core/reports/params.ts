import { HindsightError } from '../errors';
import { parseTime } from '../interchange/jsonl';
import { validateStreamId, validateTimeMs } from '../store/limits';
import { REPORT_KINDS, type ReportKind, type ReportNote, type ReportParameters } from './schema';
import { compareStrings, isoTime } from './text';

/**
 * What a caller asks for (UI, CLI, job). Validated and normalised by `normaliseParams` into the
 * `ReportParameters` the report prints, so equal requests give equal reports.
 */
export interface ReportParams {
  kind: ReportKind;
  /** entity: the streams (1–1000). */
  streams?: string[];
  /** actor: whose activity. */
  actor?: string;
  /** correlation: the correlation id. */
  correlationId?: string;
  /** Range start on recorded time (inclusive): ISO 8601 with a zone, or ms since 1970. Required for `window`. */
  from?: string | number;
  /** Range end on recorded time (inclusive). Required for `window`. */
  to?: string | number;
  /** entity/actor/correlation: the stream's state after each event; window: each entity's state at the end. */
  includeState?: boolean;
  /** The state changes each event made (entity, actor, window, correlation). */
  includeDiffs?: boolean;
  /** Print `notes` (default: true when notes are given). */
  includeNotes?: boolean;
  /** Investigation notes (issue #7), passed in by the caller. */
  notes?: ReportNoteInput[];
  /** Replaces the default title. */
  title?: string;
}

export interface ReportNoteInput {
  target: string;
  text: string;
  /** ISO 8601 with a zone, or ms since 1970. */
  createdAt: string | number;
  author: string;
}

export interface NormalisedParams {
  parameters: ReportParameters;
  notes: ReportNote[];
  /** The range as ms (undefined: open). */
  fromMs: number | undefined;
  toMs: number | undefined;
}

export const MAX_REPORT_STREAMS = 1000;
export const MAX_REPORT_NOTES = 10_000;
const MAX_NOTE_TEXT = 100_000;
const MAX_SHORT_TEXT = 1000;

const KEYS = new Set([
  'kind',
  'streams',
  'actor',
  'correlationId',
  'from',
  'to',
  'includeState',
  'includeDiffs',
  'includeNotes',
  'notes',
  'title',
]);

/** Which scope option belongs to which kind. */
const SCOPE: Record<ReportKind, 'streams' | 'actor' | 'correlationId' | null> = {
  entity: 'streams',
  actor: 'actor',
  window: null,
  correlation: 'correlationId',
  summary: null,
};

function invalid(message: string, field: string): HindsightError {
  return new HindsightError('invalid_input', message, { field });
}

function text(value: unknown, field: string, max: number, allowEmpty = false): string {
  if (typeof value !== 'string' || (!allowEmpty && value.trim() === '') || value.length > max) {
    throw invalid(
      `The ${field} must be ${allowEmpty ? 'a' : 'a non-empty'} string of at most ${max} characters.`,
      field,
    );
  }
  return value;
}

function flag(value: unknown, field: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw invalid(`The ${field} option must be true or false.`, field);
  return value;
}

function time(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  return validateTimeMs(parseTime(value, field), field);
}

/** Checks a report request and returns it normalised (see ReportParams). Throws `invalid_input`. */
export function normaliseParams(input: ReportParams): NormalisedParams {
  if (typeof input !== 'object' || input === null) throw invalid('The report parameters must be an object.', 'params');
  for (const key of Object.keys(input)) {
    if (!KEYS.has(key)) throw invalid(`Unknown report parameter "${key}".`, key);
  }
  const kind = input.kind;
  if (!REPORT_KINDS.includes(kind)) {
    throw invalid(`The report kind must be one of ${REPORT_KINDS.join(', ')} (got ${JSON.stringify(kind)}).`, 'kind');
  }
  for (const scope of ['streams', 'actor', 'correlationId'] as const) {
    if (input[scope] !== undefined && SCOPE[kind] !== scope) {
      throw invalid(`The ${scope} parameter does not apply to a ${kind} report.`, scope);
    }
  }

  let streams: string[] | null = null;
  if (kind === 'entity') {
    const list = input.streams;
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_REPORT_STREAMS) {
      throw invalid(`An entity report needs 1 to ${MAX_REPORT_STREAMS} streams.`, 'streams');
    }
    streams = [...new Set(list.map((s) => validateStreamId(s)))].sort(compareStrings);
  }
  const actor = kind === 'actor' ? text(input.actor, 'actor', MAX_SHORT_TEXT) : null;
  const correlationId = kind === 'correlation' ? text(input.correlationId, 'correlationId', 256) : null;

  const fromMs = time(input.from, 'from');
  const toMs = time(input.to, 'to');
  if (kind === 'window' && (fromMs === undefined || toMs === undefined)) {
    throw invalid('A window report needs both a start (from) and an end (to).', fromMs === undefined ? 'from' : 'to');
  }
  if (kind === 'correlation' && (fromMs !== undefined || toMs !== undefined)) {
    throw invalid('A correlation report always covers the whole chain; it takes no range.', 'from');
  }
  if (fromMs !== undefined && toMs !== undefined && toMs < fromMs) {
    throw invalid('The range ends before it starts (to is earlier than from).', 'to');
  }

  const title = input.title === undefined ? null : text(input.title, 'title', 200);
  if (title !== null && /\p{Cc}/u.test(title)) throw invalid('The title must not contain control characters.', 'title');

  let notes: ReportNote[] = [];
  if (input.notes !== undefined) {
    if (!Array.isArray(input.notes) || input.notes.length > MAX_REPORT_NOTES) {
      throw invalid(`The notes must be a list of at most ${MAX_REPORT_NOTES} notes.`, 'notes');
    }
    notes = input.notes.map((note, i) => {
      if (typeof note !== 'object' || note === null) throw invalid(`Note ${i + 1} must be an object.`, 'notes');
      return {
        target: text(note.target, `target of note ${i + 1}`, MAX_SHORT_TEXT),
        text: text(note.text, `text of note ${i + 1}`, MAX_NOTE_TEXT),
        createdAt: isoTime(validateTimeMs(parseTime(note.createdAt, 'createdAt'), 'createdAt')),
        author: text(note.author, `author of note ${i + 1}`, MAX_SHORT_TEXT),
      };
    });
    notes.sort(
      (a, b) =>
        compareStrings(a.createdAt, b.createdAt) ||
        compareStrings(a.target, b.target) ||
        compareStrings(a.author, b.author) ||
        compareStrings(a.text, b.text),
    );
  }
  const includeNotes = input.includeNotes === undefined ? notes.length > 0 : flag(input.includeNotes, 'includeNotes');

  return {
    parameters: {
      kind,
      title,
      streams,
      actor,
      correlationId,
      from: fromMs === undefined ? null : isoTime(fromMs),
      to: toMs === undefined ? null : isoTime(toMs),
      includeState: flag(input.includeState, 'includeState'),
      includeDiffs: flag(input.includeDiffs, 'includeDiffs'),
      includeNotes,
    },
    notes: includeNotes ? notes : [],
    fromMs,
    toMs,
  };
}
