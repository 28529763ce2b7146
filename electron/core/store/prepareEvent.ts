import { HindsightError } from '../errors';
import { canonicalizeMeasured } from './canonicalJson';
import { LIMITS, validateEventType, validateSchemaVersion, validateTimeMs } from './limits';
import type { ExpectedVersion, NewEvent } from './types';
import { normalizeEventId } from './uuidv7';

/**
 * Everything about a new event that can be checked without the database: types, names, ids, times, and
 * the canonical JSON of data and metadata within the size cap. Runs before any write, so a bad event
 * leaves the store untouched.
 */
export interface PreparedEvent {
  eventId: string | undefined;
  eventType: string;
  schemaVersion: number;
  data: string;
  metadata: string;
  occurredAt: number | undefined;
  recordedAt: number | undefined;
}

/** Metadata keys with a meaning to Hindsight; when present they must be strings. */
export const WELL_KNOWN_METADATA = ['actor', 'command_id', 'correlation_id', 'causation_id', 'reason'] as const;

const NEW_EVENT_KEYS = new Set(['type', 'data', 'metadata', 'eventId', 'occurredAt', 'recordedAt', 'schemaVersion']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function prepareEvent(event: NewEvent, where = 'event'): PreparedEvent {
  if (!isPlainObject(event)) {
    throw new HindsightError('invalid_input', `The ${where} must be an object with type and data.`, { field: where });
  }
  for (const key of Object.keys(event)) {
    if (!NEW_EVENT_KEYS.has(key)) {
      throw new HindsightError('invalid_input', `The ${where} has an unknown field "${key}".`, { field: where, key });
    }
  }
  const eventType = validateEventType(event.type);
  if (event.data === undefined) {
    throw new HindsightError('invalid_input', `The ${where} has no data (use null or {} for an event without data).`, {
      field: 'data',
    });
  }
  const data = canonicalizeMeasured(event.data, { what: 'data' });
  let metadataValue: Record<string, unknown> = {};
  if (event.metadata !== undefined) {
    if (!isPlainObject(event.metadata)) {
      throw new HindsightError('invalid_input', 'The metadata must be a JSON object.', { field: 'metadata' });
    }
    metadataValue = event.metadata;
    for (const key of WELL_KNOWN_METADATA) {
      const v = metadataValue[key];
      if (Object.hasOwn(metadataValue, key) && typeof v !== 'string') {
        throw new HindsightError('invalid_input', `metadata.${key} must be a string.`, { field: `metadata.${key}` });
      }
    }
  }
  const metadata = canonicalizeMeasured(metadataValue, { what: 'metadata' });
  const size = data.bytes + metadata.bytes;
  if (size > LIMITS.maxEventPayloadBytes) {
    throw new HindsightError(
      'payload_too_large',
      `The ${where}'s data and metadata take ${size} bytes of canonical JSON together; the limit is ${LIMITS.maxEventPayloadBytes}.`,
      { field: 'data', size, limit: LIMITS.maxEventPayloadBytes },
    );
  }
  return {
    eventId: event.eventId === undefined ? undefined : normalizeEventId(event.eventId),
    eventType,
    schemaVersion: event.schemaVersion === undefined ? 1 : validateSchemaVersion(event.schemaVersion),
    data: data.text,
    metadata: metadata.text,
    occurredAt: event.occurredAt === undefined ? undefined : validateTimeMs(event.occurredAt, 'occurredAt'),
    recordedAt: event.recordedAt === undefined ? undefined : validateTimeMs(event.recordedAt, 'recordedAt', { min: 0 }),
  };
}

export function validateExpectedVersion(value: unknown): ExpectedVersion {
  if (value === undefined) return 'any';
  if (value === 'any' || value === 'no_stream' || value === 'exists') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new HindsightError(
    'invalid_input',
    `The expected version must be a whole number ≥ 0, "any", "no_stream" or "exists", not ${JSON.stringify(value) ?? String(value)}.`,
    { field: 'expectedVersion' },
  );
}
