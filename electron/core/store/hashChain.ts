import * as crypto from 'node:crypto';
import { HindsightError } from '../errors';

/**
 * The hash chain of format v1 (docs/file-format.md, "Hash chain"):
 *
 *   hash_n = SHA-256( prev_hash_n as 32 raw bytes ‖ field_1 ‖ … ‖ field_10 )
 *   field  = 4-byte big-endian byte length ‖ the field's UTF-8 bytes
 *
 * Fields in this order, integers written as decimal ASCII text: global_position, event_id, stream_id,
 * stream_version, event_type, schema_version, data, metadata, recorded_at, occurred_at.
 * prev_hash_1 is 64 zeros; prev_hash_n is hash_(n-1). Hashes are stored as lower-case hex.
 */

export const ZERO_HASH = '0'.repeat(64);

/** global_position … occurred_at: the first ten columns of `events`, in table order. */
export const HASHED_FIELD_COUNT = 10;

/** The stored columns that the hash covers, with their stored values. */
export interface HashedFields {
  globalPosition: number;
  eventId: string;
  streamId: string;
  streamVersion: number;
  eventType: string;
  schemaVersion: number;
  data: string;
  metadata: string;
  recordedAt: number;
  occurredAt: number;
}

// One reusable buffer: building the message in place avoids an allocation per event, which matters when
// verifying or importing millions of events.
let buffer = Buffer.allocUnsafe(64 * 1024);

/**
 * Writes the hash input of one event into the shared buffer and returns the number of bytes. Values are
 * turned into text with `String()` so that a row read back from a (possibly tampered) file is encoded
 * exactly as stored. Capacity is ensured once per event (a UTF-16 code unit takes at most 3 UTF-8 bytes).
 */
function fillMessage(prevHash: string, fields: ArrayLike<unknown>): number {
  const prevOk = typeof prevHash === 'string' && prevHash.length === 64;
  let max = 32 + 4 * (HASHED_FIELD_COUNT + 1) + (prevOk ? 0 : 3 * String(prevHash).length + 8);
  for (let i = 0; i < HASHED_FIELD_COUNT; i++) {
    const field = fields[i];
    max += typeof field === 'string' ? field.length * 3 : 3 * String(field).length;
  }
  if (max > buffer.length) buffer = Buffer.allocUnsafe(Math.max(buffer.length * 2, max));
  const b = buffer;
  let offset: number;
  // `write(…, 'hex')` stops at the first non-hex character, so 32 bytes written means 64 hex digits.
  if (prevOk && b.write(prevHash, 0, 'hex') === 32) {
    offset = 32;
  } else {
    // A malformed prev_hash cannot be the real one; hash its text instead so the result simply mismatches.
    const n = b.write(`invalid:${String(prevHash)}`, 4, 'utf8');
    b.writeUInt32BE(n, 0);
    offset = 4 + n;
  }
  for (let i = 0; i < HASHED_FIELD_COUNT; i++) {
    const field = fields[i];
    const n = b.write(typeof field === 'string' ? field : String(field), offset + 4, 'utf8');
    b.writeUInt32BE(n, offset);
    offset += 4 + n;
  }
  return offset;
}

const hashOnce: (data: Buffer) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'hex')
    : (data) => crypto.createHash('sha256').update(data).digest('hex');

/**
 * hash_n for the given previous hash and the event's ten hashed values in the documented order. Only the
 * first ten entries of `values` are read, so a raw `events` row in column order can be passed as it is.
 */
export function hashFieldValues(prevHash: string, values: ArrayLike<unknown>): string {
  const length = fillMessage(prevHash, values);
  return hashOnce(buffer.subarray(0, length));
}

export function fieldValues(f: HashedFields): unknown[] {
  return [
    f.globalPosition,
    f.eventId,
    f.streamId,
    f.streamVersion,
    f.eventType,
    f.schemaVersion,
    f.data,
    f.metadata,
    f.recordedAt,
    f.occurredAt,
  ];
}

export function computeEventHash(prevHash: string, fields: HashedFields): string {
  return hashFieldValues(prevHash, fieldValues(fields));
}

/** The exact bytes that are hashed for one event (a copy; for tests, docs and auditors' tools). */
export function encodeForHash(prevHash: string, fields: HashedFields): Buffer {
  const length = fillMessage(prevHash, fieldValues(fields));
  return Buffer.from(buffer.subarray(0, length));
}

/** A store's digest: `POSITION:HASH` of its head (`0:000…0` for an empty store). */
export interface Digest {
  position: number;
  hash: string;
}

export function formatDigest(d: Digest): string {
  return `${d.position}:${d.hash}`;
}

export function parseDigest(text: unknown): Digest {
  const match = typeof text === 'string' ? /^(\d{1,15}):([0-9a-fA-F]{64})$/.exec(text.trim()) : null;
  if (!match) {
    throw new HindsightError(
      'invalid_input',
      'A digest must look like POSITION:HASH, e.g. 42:9f86d0…, with a 64-digit hex hash.',
      {
        field: 'digest',
      },
    );
  }
  const position = Number(match[1]);
  const hash = match[2]!.toLowerCase();
  if (position === 0 && hash !== ZERO_HASH) {
    throw new HindsightError(
      'invalid_input',
      'The digest of position 0 (an empty store) must have a hash of 64 zeros.',
      {
        field: 'digest',
      },
    );
  }
  return { position, hash };
}
