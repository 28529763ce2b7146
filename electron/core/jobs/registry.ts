import { inspectJob, materializeJob } from '../foreign/materializeJob';
import { parseJsonlJob } from '../interchange/parseJsonl';
import { searchIndexJob } from '../investigate/searchIndexJob';
import { asOfJob, catchUpJob, rebuildJob, scratchJob } from '../projections/jobs';
import { reportJob } from '../reports/reportJob';
import { demoJob } from './demoJob';
import { copyJob, searchExportJob } from './exportJobs';
import { importJob } from './importJob';
import { selftestJob } from './selftestJob';
import type { JobHandler } from './types';
import { verifyJob, verifyRangeJob } from './verifyJob';

/**
 * Every kind of job a worker can run, by name. To add one: write `xyzJob(params, context)` in its own
 * module under jobs/ (it runs in a worker thread: open your own store connection, report progress with
 * `context.onProgress`, call `context.throwIfCancelled()` between steps) and add it here. The main
 * thread starts it with `runJob('xyz', params, { onProgress, signal })`.
 */
export const jobHandlers = {
  verify: verifyJob,
  'verify.range': verifyRangeJob,
  import: importJob,
  'interchange.parse': parseJsonlJob,
  selftest: selftestJob,
  report: reportJob,
  rebuild: rebuildJob,
  'rebuild.scratch': scratchJob,
  'readmodels.catchup': catchUpJob,
  'readmodel.asof': asOfJob,
  demo: demoJob,
  searchIndex: searchIndexJob,
  'search.export': searchExportJob,
  copy: copyJob,
  'foreign.materialize': materializeJob,
  'foreign.inspect': inspectJob,
} satisfies Record<string, JobHandler<never, unknown>>;

export type JobKind = keyof typeof jobHandlers;
export type JobParams<K extends JobKind> = Parameters<(typeof jobHandlers)[K]>[0];
export type JobResult<K extends JobKind> = Awaited<ReturnType<(typeof jobHandlers)[K]>>;

export function isJobKind(kind: unknown): kind is JobKind {
  return typeof kind === 'string' && Object.hasOwn(jobHandlers, kind);
}
