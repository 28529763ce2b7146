import { HindsightError } from '../errors';
import { type Digest, formatDigest, hashFieldValues, parseDigest, ZERO_HASH } from './hashChain';
import { EVENT_COLUMNS, type EventRow } from './rows';
import type { StatementCache } from './statementCache';
import type { CancelSignal, Head, VerifyBreak, VerifyOptions, VerifyReason, VerifyResult } from './types';

/**
 * Verification walks the hash chain in position order, a page at a time (constant memory), recomputing
 * every hash. At the first event that does not fit, a classifier looks at the neighbourhood to say what
 * most plausibly happened there (docs/file-format.md, "Verification"). Column positions in a row:
 * 0 global_position … 9 occurred_at, 10 prev_hash, 11 hash.
 */

const PAGE = 2048;
/** How many deleted-and-renumbered rows the classifier tries to account for. */
const MAX_SHIFT_PROBE = 1024;

const PREV = 10;
const HASH = 11;

const MESSAGES: Record<VerifyReason, (position: number) => string> = {
  modified: (p) => `The event at position ${p} does not match its hash: its stored content was changed.`,
  missing: (p) => `The chain is broken at position ${p}: one or more events were removed there.`,
  reordered: (p) => `The chain is broken at position ${p}: events were moved out of their original order.`,
  inserted: (p) => `The chain is broken at position ${p}: an event was inserted there that was never appended.`,
  time_reversed: (p) =>
    `The event at position ${p} was recorded before the event preceding it, which an append never does.`,
  truncated: (p) =>
    `The store ends before position ${p}, which the digest says it held: events were removed from its end.`,
  digest_mismatch: (p) =>
    `The event at position ${p} differs from the one the digest was taken of: the history was rewritten.`,
};

function brk(position: number, reason: VerifyReason): VerifyBreak {
  return { position, reason, message: MESSAGES[reason](position) };
}

class Classifier {
  constructor(private readonly stmts: StatementCache) {}

  private row(position: number): EventRow | undefined {
    return this.stmts.raw(`SELECT ${EVENT_COLUMNS} FROM events WHERE global_position = ?`).get(position) as
      | EventRow
      | undefined;
  }

  /** A position holding an event whose stored hash is `hash` (a scan; runs once, at the first break). */
  private positionOfHash(hash: string): number | undefined {
    return this.stmts.pluck('SELECT global_position FROM events WHERE hash = ? LIMIT 1').get(hash) as
      | number
      | undefined;
  }

  /** `row` sits at position `p`, where the chain expected a predecessor hash `expectedPrev`; it does not fit. */
  classify(p: number, row: EventRow, expectedPrev: string): VerifyBreak {
    if (row[0] !== p) return brk(p, 'missing');
    const prev = row[PREV];
    if (prev === expectedPrev) return brk(p, 'modified');
    // The row names a different predecessor. Where is that predecessor?
    const q = this.positionOfHash(String(prev));
    if (q !== undefined && q >= p) return brk(p, 'reordered'); // its predecessor now comes after it
    const next = this.row(p + 1);
    if (next !== undefined && next[PREV] === expectedPrev) return brk(p, 'inserted'); // the chain skips this row
    if (q !== undefined && q < p - 1) return brk(q + 1, 'inserted'); // rows q+1 … p-1 link up but were never appended
    // A self-consistent row whose position moved down by d: d rows before it were deleted and the rest renumbered.
    const shifted: unknown[] = [...row];
    for (let d = 1; d <= MAX_SHIFT_PROBE; d++) {
      shifted[0] = p + d;
      if (hashFieldValues(String(prev), shifted) === row[HASH]) return brk(p, 'missing');
    }
    return brk(p, 'modified'); // its prev_hash (and perhaps more) was edited
  }
}

function cancelled(done: number): HindsightError {
  return new HindsightError('cancelled', `Verification was cancelled after ${done} events.`, { done });
}

interface WalkState {
  /** The next position expected. */
  expected: number;
  /** The hash the next row must name as its prev_hash. */
  prev: string;
  lastRecordedAt: number;
}

type WalkStop = { kind: 'chain'; row: EventRow } | { kind: 'time_reversed' } | { kind: 'digest_mismatch' } | undefined;

/**
 * Walks rows from `state.expected` up to position `to`, a page at a time, advancing `state` over every
 * row that fits; stops at the first row that does not (and says why) or at the end.
 */
function walk(
  stmts: StatementCache,
  state: WalkState,
  to: number,
  opts: { digest?: Digest; signal?: CancelSignal; onProgress?: (done: number) => void },
): WalkStop {
  const page = stmts.raw(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE global_position > ? AND global_position <= ? ORDER BY global_position LIMIT ${PAGE}`,
  );
  const digest = opts.digest;
  for (;;) {
    if (opts.signal?.aborted) throw cancelled(state.expected - 1);
    const rows = page.all(state.expected - 1, to) as EventRow[];
    for (const row of rows) {
      const prev = state.prev;
      if (row[0] !== state.expected || row[PREV] !== prev || hashFieldValues(prev, row) !== row[HASH]) {
        return { kind: 'chain', row };
      }
      if (row[8] < state.lastRecordedAt) return { kind: 'time_reversed' };
      if (digest !== undefined && state.expected === digest.position && row[HASH] !== digest.hash) {
        return { kind: 'digest_mismatch' };
      }
      state.lastRecordedAt = row[8];
      state.prev = row[HASH];
      state.expected++;
    }
    opts.onProgress?.(state.expected - 1);
    if (rows.length < PAGE) return undefined;
  }
}

export function verifyChain(stmts: StatementCache, head: Head, opts: VerifyOptions = {}): VerifyResult {
  const digest = opts.digest === undefined ? undefined : parseDigest(opts.digest);
  const total = head.position;
  const state: WalkState = { expected: 1, prev: ZERO_HASH, lastRecordedAt: Number.NEGATIVE_INFINITY };
  opts.onProgress?.(0, total);
  const stop = walk(stmts, state, Number.MAX_SAFE_INTEGER, {
    digest,
    signal: opts.signal,
    onProgress: (done) => opts.onProgress?.(done, Math.max(total, done)),
  });
  let firstBad: VerifyBreak | null = null;
  if (stop?.kind === 'chain') firstBad = new Classifier(stmts).classify(state.expected, stop.row, state.prev);
  else if (stop !== undefined) firstBad = brk(state.expected, stop.kind);
  else if (digest !== undefined && digest.position >= state.expected) firstBad = brk(state.expected, 'truncated');
  // Everything before the first bad position is proven intact (for `inserted`, that can be less than
  // what the walk had already accepted).
  const events = firstBad === null ? state.expected - 1 : firstBad.position - 1;
  const result: VerifyResult = { ok: firstBad === null, events, head, firstBad };
  if (digest !== undefined) result.digest = formatDigest(digest);
  return result;
}

/**
 * Checks positions `from` … `to` only: each row fits its stored predecessor (row `from`−1, read from the
 * file; the range before proves that one), times never decrease, and no position is missing. Ranges
 * that cover 1 … head and all pass prove exactly what `verifyChain` proves, so they can run in parallel
 * (see jobs/verifyJob.ts); a failing range says only "not ok" — the sequential walk then classifies.
 */
export function verifyRange(
  stmts: StatementCache,
  from: number,
  to: number,
  opts: { signal?: CancelSignal; onProgress?: (done: number, total: number) => void } = {},
): { ok: boolean } {
  const state: WalkState = { expected: from, prev: ZERO_HASH, lastRecordedAt: Number.NEGATIVE_INFINITY };
  if (from > 1) {
    const before = stmts.raw('SELECT hash, recorded_at FROM events WHERE global_position = ?').get(from - 1) as
      | [string, number]
      | undefined;
    if (before === undefined) return { ok: false };
    [state.prev, state.lastRecordedAt] = before;
  }
  const total = to - from + 1;
  const stop = walk(stmts, state, to, {
    signal: opts.signal,
    onProgress: (done) => opts.onProgress?.(done - from + 1, total),
  });
  return { ok: stop === undefined && state.expected === to + 1 };
}
