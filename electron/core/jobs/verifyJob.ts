import * as os from 'node:os';
import { HindsightError } from '../errors';
import { EventStore } from '../store/eventStore';
import { formatDigest, parseDigest } from '../store/hashChain';
import { quickCheck } from '../store/openStore';
import type { ReadOnlyAccess, VerifyResult } from '../store/types';
import { runJob } from './runner';
import type { JobContext } from './types';

export interface VerifyJobParams {
  /** The file to verify: `store.verificationPath` of an open store, or any store file with `access: 'copy'`. */
  path: string;
  /** `POSITION:HASH` to check as well. */
  digest?: string;
  /**
   * `live` (default) reads the file in place through a read-only connection: right for the path an open
   * store gives as `verificationPath` (its own file, or its private copy). Use `copy` for anyone else's file.
   */
  access?: ReadOnlyAccess;
  /**
   * Split a big store (≥ 200,000 events) into ranges verified by parallel workers, one per core up to 4
   * (default true); `false` walks in one thread; a number forces that many ranges whatever the size.
   */
  parallel?: boolean | number;
  /**
   * Run SQLite's `quick_check` first (for a big file whose opening skipped it to open quickly); a damaged
   * file then fails the job with `corrupt`, its message naming `fileName`.
   */
  quickCheck?: boolean;
  /** The file to name in messages (the file the user opened, not a private copy). */
  fileName?: string;
}

export interface VerifyRangeJobParams {
  path: string;
  from: number;
  to: number;
}

/** Below this many events one thread is quicker than starting workers. */
const PARALLEL_MIN_EVENTS = 200_000;
const MAX_PARALLEL = 4;

function parallelism(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, MAX_PARALLEL));
}

/**
 * Verifies a whole store (`EventStore.verify`) on its own read-only connection. A big store is split into
 * ranges that parallel workers check at the same time (`verify.range`); if they all pass, that proves the
 * same as one walk. If any fails, one sequential walk finds the first bad position and classifies it.
 */
export async function verifyJob(params: VerifyJobParams, context: JobContext): Promise<VerifyResult> {
  if (typeof params?.path !== 'string' || params.path === '') {
    throw new HindsightError('invalid_input', 'The verify job needs the path of a store file.', { field: 'path' });
  }
  const access = params.access ?? 'live';
  if (access !== 'live' && access !== 'copy') {
    throw new HindsightError('invalid_input', 'The verify job access must be "live" or "copy".', { field: 'access' });
  }
  const parallel = params.parallel;
  if (parallel !== undefined && typeof parallel !== 'boolean' && !(typeof parallel === 'number' && parallel >= 0)) {
    throw new HindsightError(
      'invalid_input',
      "The verify job's parallel option must be true, false or a number of ranges.",
      {
        field: 'parallel',
      },
    );
  }
  const digest = params.digest === undefined ? undefined : parseDigest(params.digest);
  // Its own connection, read-only; no quick_check: the chain walk reads every event row anyway.
  const store = EventStore.open(params.path, { mode: 'read-only', access, quickCheck: false });
  try {
    if (params.quickCheck === true) quickCheck(store.db, params.fileName ?? params.path);
    context.throwIfCancelled();
    const sequential = (): VerifyResult =>
      store.verify({ digest: params.digest, onProgress: context.onProgress, signal: context.signal });
    const head = store.head();
    const forced = typeof params.parallel === 'number' ? Math.floor(params.parallel) : undefined;
    const parts = Math.min(forced ?? parallelism(), Math.max(1, head.position));
    const big = forced !== undefined || head.position >= PARALLEL_MIN_EVENTS;
    if (params.parallel === false || parts < 2 || !big) return sequential();

    const size = Math.ceil(head.position / parts);
    // Ranges of `size` positions; rounding up can leave fewer than `parts` (9 events in 4 parts: 3 ranges of 3).
    const count = Math.ceil(head.position / size);
    const done = new Array<number>(count).fill(0);
    let failed = false;
    const signal = {
      get aborted(): boolean {
        return failed || context.signal.aborted;
      },
    };
    context.onProgress(0, head.position);
    const ranges = Array.from(
      { length: count },
      (_, i) => [i * size + 1, Math.min(head.position, (i + 1) * size)] as const,
    );
    const outcomes = await Promise.all(
      ranges.map(([from, to], i) =>
        runJob(
          'verify.range',
          { path: store.verificationPath, from, to },
          {
            signal,
            onProgress: (d) => {
              done[i] = d;
              context.onProgress(
                done.reduce((a, b) => a + b, 0),
                head.position,
              );
            },
          },
        ).catch((error: unknown) => {
          failed = true;
          throw error;
        }),
      ),
    );
    context.throwIfCancelled();
    const intact = outcomes.every((outcome) => outcome.ok);
    const digestHolds =
      digest === undefined ||
      (digest.position <= head.position &&
        (digest.position === 0 ||
          store.readAll({ afterPosition: digest.position - 1, limit: 1 })[0]?.hash === digest.hash));
    if (!intact || !digestHolds) return sequential();
    const result: VerifyResult = { ok: true, events: head.position, head, firstBad: null };
    if (digest !== undefined) result.digest = formatDigest(digest);
    return result;
  } finally {
    store.close();
  }
}

/** One range of a parallel verification (see `verifyJob`). */
export function verifyRangeJob(params: VerifyRangeJobParams, context: JobContext): { ok: boolean } {
  const { path, from, to } = params ?? {};
  if (typeof path !== 'string' || !Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 1 || to < from) {
    throw new HindsightError('invalid_input', 'The verify.range job needs a path and a range of positions.');
  }
  const store = EventStore.open(path, { mode: 'read-only', access: 'live', quickCheck: false });
  try {
    return store.verifyRange(from, to, { signal: context.signal, onProgress: context.onProgress });
  } finally {
    store.close();
  }
}
