import { createHash } from 'node:crypto';
import { LIMITS } from '../store/limits';
import { WELL_KNOWN_METADATA } from '../store/prepareEvent';
import type { NewEvent } from '../store/types';
import { isUuid, uuidFromHex } from '../store/uuidv7';
import type { SourceRow } from './rowSource';
import { dataFromValue, metadataFromValue, nameFromValue, timeFromValue } from './values';

/**
 * Turns foreign rows, in history order, into events the store format can hold, and counts every
 * adjustment so the user is told (nothing is silently dropped or silently changed):
 * - recorded times never decrease in the format: a time earlier than the one before is shown at the
 *   previous time (its own time is kept as the occurred time);
 * - a foreign position or version that differs from the one Hindsight numbers is kept in the metadata
 *   (`source_position`, `source_version`);
 * - names with control characters are cleaned, unreadable payloads become marked placeholders.
 */

export interface Adjustments {
  names: number;
  payloads: number;
  unreadableTimes: number;
  backwardTimes: number;
  futureTimes: number;
  replacedIds: number;
  /** Rows with at least one adjustment. */
  rows: number;
}

export interface ConvertedRow {
  streamId: string;
  event: NewEvent;
}

function derivedEventId(seed: string, index: number): string {
  return uuidFromHex(createHash('sha256').update(`${seed}:${index}`).digest('hex'));
}

export class RowConverter {
  readonly adjustments: Adjustments = {
    names: 0,
    payloads: 0,
    unreadableTimes: 0,
    backwardTimes: 0,
    futureTimes: 0,
    replacedIds: 0,
    rows: 0,
  };
  private index = 0;
  /** The recorded time of the previous row (null before the first). */
  private lastTime: number | null = null;
  private readonly fallbackTime: number;
  private readonly versions = new Map<string, number>();

  constructor(
    /** Seeds derived event ids: the source file's SHA-256 and the mapping. */
    private readonly seed: string,
    /** The time of rows without one: the previous row's, at first the file's modification time. */
    fallbackTime: number,
    /** Is an event id already taken (by an earlier row)? */
    private readonly idTaken: (id: string) => boolean,
    private readonly now: number = Date.now(),
  ) {
    this.fallbackTime = Math.max(0, Math.floor(Math.min(fallbackTime, now)));
  }

  convert(row: SourceRow, hasTime: boolean): ConvertedRow {
    const [position, streamValue, version, typeValue, dataValue, metadataValue, timeValue, idValue, kind, archived] =
      row;
    this.index++;
    let adjusted = false;
    const stream = nameFromValue(streamValue, LIMITS.maxStreamIdLength, '(no stream)');
    const type = nameFromValue(typeValue, LIMITS.maxEventTypeLength, '(no type)');
    if (stream.changed || type.changed) {
      this.adjustments.names++;
      adjusted = true;
    }
    const data = dataFromValue(dataValue);
    const metadata = metadataFromValue(metadataValue);
    if (data.problem !== undefined || metadata.problem !== undefined) {
      this.adjustments.payloads++;
      adjusted = true;
    }
    const meta: Record<string, unknown> = metadata.value;
    for (const key of WELL_KNOWN_METADATA) {
      // The format reads these as strings (the actor of an event, its correlation id…).
      if (Object.hasOwn(meta, key) && typeof meta[key] !== 'string') meta[key] = JSON.stringify(meta[key]) ?? '';
    }
    const streamVersion = (this.versions.get(stream.name) ?? 0) + 1;
    this.versions.set(stream.name, streamVersion);
    if (position !== null && position !== undefined && Number(position) !== this.index) {
      meta.source_position = typeof position === 'bigint' ? position.toString() : position;
    }
    if (version !== null && version !== undefined && Number(version) !== streamVersion) {
      meta.source_version = typeof version === 'bigint' ? version.toString() : version;
    }
    if (kind === 'C') meta.emmett_kind = 'command';
    if (archived === 1 || archived === true || archived === '1') meta.emmett_archived = true;

    let occurredAt: number | undefined;
    const previous = this.lastTime ?? 0;
    let recordedAt = this.lastTime ?? this.fallbackTime;
    if (hasTime) {
      const time = timeFromValue(timeValue);
      if (time === null) {
        this.adjustments.unreadableTimes++;
        adjusted = true;
      } else if (time > this.now) {
        this.adjustments.futureTimes++;
        adjusted = true;
        occurredAt = time;
        recordedAt = Math.max(previous, this.now);
      } else if (time < previous) {
        this.adjustments.backwardTimes++;
        adjusted = true;
        occurredAt = Math.max(time, -8.64e15);
      } else {
        recordedAt = Math.max(0, time);
        occurredAt = time < 0 ? time : undefined;
      }
    }
    this.lastTime = recordedAt;

    let eventId: string | undefined;
    if (idValue !== null && idValue !== undefined) {
      const text = String(idValue).toLowerCase();
      if (isUuid(text) && !this.idTaken(text)) eventId = text;
      else {
        this.adjustments.replacedIds++;
        adjusted = true;
        meta.source_event_id = String(idValue).slice(0, 256);
      }
    }
    eventId ??= derivedEventId(this.seed, this.index);
    if (adjusted) this.adjustments.rows++;
    return {
      streamId: stream.name,
      event: { type: type.name, data: data.value, metadata: meta, eventId, recordedAt, occurredAt },
    };
  }
}

/** Sentences for the user about what was adjusted (none when nothing was). */
export function describeAdjustments(a: Adjustments, timeSource: 'column' | 'file'): string[] {
  const notes: string[] = [];
  const n = (count: number): string => count.toLocaleString('en-US');
  if (timeSource === 'file') {
    notes.push("The table has no time column: every event is shown at the file's modification time.");
  }
  if (a.backwardTimes > 0) {
    notes.push(
      a.backwardTimes === 1
        ? "1 event is earlier than the event before it in the table's order; it is shown at the preceding time, with its own time as the occurred time."
        : `${n(a.backwardTimes)} events are earlier than the event before them in the table's order; they are shown at the preceding time, with their own time as the occurred time.`,
    );
  }
  if (a.futureTimes > 0) {
    notes.push(
      a.futureTimes === 1
        ? '1 event has a time in the future; it is shown at the time of opening.'
        : `${n(a.futureTimes)} events have a time in the future; they are shown at the time of opening.`,
    );
  }
  if (a.unreadableTimes > 0) {
    notes.push(
      a.unreadableTimes === 1
        ? '1 time could not be read; that event is shown at the preceding time.'
        : `${n(a.unreadableTimes)} times could not be read; those events are shown at the preceding time.`,
    );
  }
  if (a.payloads > 0) {
    notes.push(
      a.payloads === 1
        ? '1 payload is too large, too deeply nested or binary; a note is shown instead.'
        : `${n(a.payloads)} payloads are too large, too deeply nested or binary; a note is shown instead of each.`,
    );
  }
  if (a.names > 0) {
    notes.push(
      `${a.names === 1 ? '1 stream id or event type was' : `${n(a.names)} stream ids or event types were`} empty, too long or held control characters; shown cleaned.`,
    );
  }
  if (a.replacedIds > 0) {
    notes.push(
      a.replacedIds === 1
        ? '1 event id is not a UUID or is repeated; the original is kept in the metadata as source_event_id.'
        : `${n(a.replacedIds)} event ids are not UUIDs or are repeated; the originals are kept in the metadata as source_event_id.`,
    );
  }
  return notes;
}
