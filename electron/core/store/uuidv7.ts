import { randomFillSync } from 'node:crypto';
import { HindsightError } from '../errors';

/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then randomness. Ids from one process are strictly
 * increasing (RFC 9562 §6.2 method 1): within one millisecond the 12-bit `rand_a` field works as a
 * counter seeded at random, and if it runs out the timestamp is advanced by one millisecond. Time-ordered
 * ids keep the `event_id` index append-mostly, which keeps appends fast.
 */

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const POOL_SIZE = 16 * 512;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

function randomBytes10(): Buffer {
  if (poolOffset + 10 > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const slice = pool.subarray(poolOffset, poolOffset + 10);
  poolOffset += 10;
  return slice;
}

let lastMs = -1;
let counter = 0;

export function uuidv7(nowMs: number = Date.now()): string {
  const random = randomBytes10();
  let ms = nowMs;
  if (ms > lastMs) {
    counter = ((random[0]! & 0x07) << 8) | random[1]!; // start in the lower half so there is room to count
  } else {
    ms = lastMs;
    counter++;
    if (counter > 0xfff) {
      ms++;
      counter = ((random[0]! & 0x07) << 8) | random[1]!;
    }
  }
  lastMs = ms;
  const b0 = Math.floor(ms / 2 ** 40) & 0xff;
  const b1 = Math.floor(ms / 2 ** 32) & 0xff;
  const low = ms % 2 ** 32;
  return (
    HEX[b0]! +
    HEX[b1]! +
    HEX[(low >>> 24) & 0xff]! +
    HEX[(low >>> 16) & 0xff]! +
    '-' +
    HEX[(low >>> 8) & 0xff]! +
    HEX[low & 0xff]! +
    '-' +
    HEX[0x70 | (counter >>> 8)]! +
    HEX[counter & 0xff]! +
    '-' +
    HEX[0x80 | (random[2]! & 0x3f)]! +
    HEX[random[3]!]! +
    '-' +
    HEX[random[4]!]! +
    HEX[random[5]!]! +
    HEX[random[6]!]! +
    HEX[random[7]!]! +
    HEX[random[8]!]! +
    HEX[random[9]!]!
  );
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in its canonical 8-4-4-4-12 hexadecimal text form (any version, either case). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_TEXT.test(value);
}

/** Validates an event id given by a caller and returns it in lower case (how ids are stored). */
export function normalizeEventId(value: unknown): string {
  if (!isUuid(value)) {
    throw new HindsightError(
      'invalid_input',
      'The event id must be a UUID such as 0190a5c4-7b2e-7c1d-9f00-1a2b3c4d5e6f.',
      {
        field: 'eventId',
      },
    );
  }
  return value.toLowerCase();
}

/** The Unix milliseconds inside a UUIDv7 (undefined for other versions). */
export function uuidv7Time(id: string): number | undefined {
  if (!isUuid(id) || id[14] !== '7') return undefined;
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/**
 * An RFC 9562 version 8 ("custom") UUID made from the first 32 hex digits of a hash: the same input always
 * gives the same id (ids of derived data, which must not change when it is rebuilt).
 */
export function uuidFromHex(hex: string): string {
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
