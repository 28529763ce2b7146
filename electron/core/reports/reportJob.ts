import { HindsightError } from '../errors';
import type { JobContext } from '../jobs/types';
import { EventStore } from '../store/eventStore';
import type { ReadOnlyAccess } from '../store/types';
import { type GeneratedReport, generateReport } from './generate';
import type { ForeignEvidence } from './integrity';
import type { ReportParams } from './params';
import type { ReportFormat } from './schema';

/**
 * The `report` job (jobs/registry.ts): generates a report in a worker thread on its own read-only connection,
 * with progress and cancellation. The main thread passes the file it has open (`store.verificationPath`, read
 * `live`) and the file the user opened (`filePath`, fingerprinted and named in the report).
 */
export interface ReportJobParams {
  /** The store file to read: `store.verificationPath` of an open store (`live`), or any store file (`copy`). */
  path: string;
  /** Default `live` (see VerifyJobParams.access). */
  access?: ReadOnlyAccess;
  /** The file the user opened, to fingerprint and name (default: `path`). */
  filePath?: string;
  /** The app's store had a `-wal` beside it that was not read. */
  walNotRead?: boolean;
  /**
   * The store at `path` is the derived store of a foreign file (`filePath`): the report fingerprints that file
   * and verifies nothing. `null`: one of our own stores, verified. Not given: what the store records.
   */
  foreign?: ForeignEvidence | null;
  report: ReportParams;
  out: string;
  format: ReportFormat;
  /** A fixed generation time (ms since 1970 UTC), for reproducible output; default: now. */
  now?: number;
  generator?: { name: string; version: string };
}

export async function reportJob(params: ReportJobParams, context: JobContext): Promise<GeneratedReport> {
  if (typeof params?.path !== 'string' || params.path === '') {
    throw new HindsightError('invalid_input', 'The report job needs the path of a store file.', { field: 'path' });
  }
  const access = params.access ?? 'live';
  if (access !== 'live' && access !== 'copy') {
    throw new HindsightError('invalid_input', 'The report job access must be "live" or "copy".', { field: 'access' });
  }
  const now = params.now;
  if (now !== undefined && !Number.isSafeInteger(now)) {
    throw new HindsightError('invalid_input', 'The report job time (now) must be ms since 1970.', { field: 'now' });
  }
  const store = EventStore.open(params.path, { mode: 'read-only', access, quickCheck: false });
  try {
    return await generateReport(store, params.report, {
      out: params.out,
      format: params.format,
      filePath: params.filePath ?? params.path,
      walNotRead: params.walNotRead,
      foreign: params.foreign,
      generator: params.generator,
      now: now === undefined ? undefined : () => now,
      signal: context.signal,
      onProgress: context.onProgress,
    });
  } finally {
    store.close();
  }
}
