import type { readModelsContract } from '../../../shared/ipc/contracts/readModels';
import type { ReadModelStatusDto } from '../../../shared/types';
import { runJob } from '../jobs/runner';
import { readModelAsOf } from '../projections/asOf';
import { activitySeries, listReadModels, queryReadModel } from '../projections/query';
import { BUILTIN_PROJECTIONS } from '../projections/registry';
import type { HandlersOf, ServiceContext } from './types';

export function readModelsHandlers({ session }: ServiceContext): HandlersOf<typeof readModelsContract> {
  const options = () => ({ cacheDir: session.cacheDir });
  return {
    'readmodels.list': (): ReadModelStatusDto[] =>
      listReadModels(session.require(), options()).map((status) => ({
        name: status.name,
        description: status.description,
        version: status.version,
        position: status.position,
        head: status.head,
        lag: status.lag,
        status: status.status,
        error: status.error,
        lastRebuildAt: status.lastRebuildAt,
        rebuildMs: status.rebuildMs,
        rows: status.rows,
        location: status.location,
        columns: status.columns,
        defaultSort: status.defaultSort,
      })),

    'readmodels.query': ({ name, sort, filters, after, limit, asOf }) => {
      const store = session.require();
      const query = { sort, filters, after: after ?? null, limit, count: after === undefined };
      if (asOf) {
        const page = readModelAsOf(store, name, asOf, query, options());
        return { ...pick(page), asOf: page.asOf };
      }
      return { ...pick(queryReadModel(store, name, query, options())), asOf: null };
    },

    'readmodels.activity': ({ maxPoints }) => {
      const series = activitySeries(session.require(), { maxPoints }, options());
      return { buckets: series.buckets, bucketMs: series.bucketMs, series: series.series, position: series.position };
    },

    'readmodels.rebuild': ({ names }) => {
      const store = session.require();
      const label = names?.length === 1 ? `Rebuilding ${names[0]}` : 'Rebuilding read models';
      const started = session.jobs.start('rebuild', label, (context) =>
        runJob(
          'rebuild',
          {
            path: store.verificationPath,
            mode: store.mode,
            storeId: store.storeId,
            cacheDir: session.cacheDir,
            names,
            fingerprints: Object.fromEntries(BUILTIN_PROJECTIONS.map((p) => [p.name, p.codeHash])),
          },
          context,
        ),
      );
      return { jobId: started.jobId };
    },
  };
}

function pick(page: {
  name: string;
  columns: ReadModelStatusDto['columns'];
  rows: Record<string, string | number | null>[];
  next: string | null;
  total: number | null;
  position: number;
}) {
  return {
    name: page.name,
    columns: page.columns,
    rows: page.rows,
    next: page.next,
    total: page.total,
    position: page.position,
  };
}
