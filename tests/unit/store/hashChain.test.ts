import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  computeEventHash,
  encodeForHash,
  formatDigest,
  type HashedFields,
  parseDigest,
  ZERO_HASH,
} from '../../../electron/core/store/hashChain';

/**
 * An independent implementation of the encoding as docs/file-format.md states it, written from the
 * text and not from the code: SHA-256 over the 32 raw bytes of prev_hash, then for each of the ten
 * fields a 4-byte big-endian byte length and the UTF-8 bytes of its text (integers in decimal).
 */
function documentedHash(prevHash: string, f: HashedFields): string {
  const fields = [
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
  const parts: Buffer[] = [Buffer.from(prevHash, 'hex')];
  for (const field of fields) {
    const bytes = Buffer.from(String(field), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  }
  return createHash('sha256').update(Buffer.concat(parts)).digest('hex');
}

const sample: HashedFields = {
  globalPosition: 1,
  eventId: '0190a5c4-7b2e-7c1d-9f00-1a2b3c4d5e6f',
  streamId: 'account-42',
  streamVersion: 1,
  eventType: 'AccountOpened',
  schemaVersion: 1,
  data: '{"owner":"Ann"}',
  metadata: '{"actor":"ann"}',
  recordedAt: 1714564800000,
  occurredAt: 1714564800000,
};

describe('hash chain encoding', () => {
  it('matches the documented encoding byte for byte', () => {
    const bytes = encodeForHash(ZERO_HASH, sample);
    expect(bytes.subarray(0, 32).equals(Buffer.alloc(32))).toBe(true);
    expect(bytes.subarray(32, 37).toString('hex')).toBe('0000000131'); // length 1, "1"
    expect(bytes.length).toBe(32 + 10 * 4 + [1, 36, 10, 1, 13, 1, 15, 15, 13, 13].reduce((a, b) => a + b, 0));
    expect(computeEventHash(ZERO_HASH, sample)).toBe(documentedHash(ZERO_HASH, sample));
  });

  it('agrees with the independent implementation on varied values', () => {
    let prev = ZERO_HASH;
    for (let i = 1; i <= 200; i++) {
      const fields: HashedFields = {
        ...sample,
        globalPosition: i,
        streamId: i % 3 === 0 ? `ström-${i}-😀` : `s-${i}`,
        streamVersion: i,
        data: JSON.stringify({ i, text: 'é'.repeat(i % 7), big: 'x'.repeat(i * 37) }),
        metadata: i % 2 ? '{}' : '{"actor":"ünïcødé"}',
        recordedAt: sample.recordedAt + i,
        occurredAt: -i, // business times before 1970 are allowed
        schemaVersion: 1 + (i % 4),
      };
      const hash = computeEventHash(prev, fields);
      expect(hash).toBe(documentedHash(prev, fields));
      prev = hash;
    }
  });

  it('is unambiguous: moving bytes between neighbouring fields changes the hash', () => {
    const a = computeEventHash(ZERO_HASH, { ...sample, streamId: 'ab', eventType: 'c' });
    const b = computeEventHash(ZERO_HASH, { ...sample, streamId: 'a', eventType: 'bc' });
    expect(a).not.toBe(b);
  });

  it('depends on the previous hash', () => {
    expect(computeEventHash(ZERO_HASH, sample)).not.toBe(computeEventHash('f'.repeat(64), sample));
  });
});

describe('digests', () => {
  it('formats and parses POS:HASH', () => {
    const digest = { position: 42, hash: 'ab'.repeat(32) };
    expect(formatDigest(digest)).toBe(`42:${'ab'.repeat(32)}`);
    expect(parseDigest(` 42:${'AB'.repeat(32)} `)).toEqual(digest);
    expect(parseDigest(`0:${ZERO_HASH}`)).toEqual({ position: 0, hash: ZERO_HASH });
  });

  it.each([
    '',
    '42',
    '42:abc',
    `x:${'a'.repeat(64)}`,
    `-1:${'a'.repeat(64)}`,
    `1:${'g'.repeat(64)}`,
    `0:${'a'.repeat(64)}`,
  ])('refuses %j with invalid_input', (text) => {
    expect(() => parseDigest(text)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
