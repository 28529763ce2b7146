import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { investigateContract } from '../../../shared/ipc/contracts/investigate';
import type { ChainNodeDto } from '../../../shared/types';
import { activityPerMinute } from '../investigate/activity';
import { correlationChain } from '../investigate/chain';
import { searchEvents, searchHistogram } from '../investigate/search';
import type { ChainNode } from '../investigate/types';
import { runJob } from '../jobs/runner';
import { toEventRow } from './storeHandlers';
import type { HandlersOf, ServiceContext } from './types';

export function investigateHandlers({ deps, session }: ServiceContext): HandlersOf<typeof investigateContract> {
  const indexOptions = () => ({ cacheDir: session.cacheDir });
  return {
    'search.events': ({ filters, after, limit }) => {
      const page = searchEvents(session.require(), filters, {
        ...indexOptions(),
        after,
        limit,
        count: after === undefined,
      });
      return { items: page.items.map(toEventRow), next: page.next, total: page.total, terms: page.terms };
    },

    'search.histogram': ({ filters, buckets }) => searchHistogram(session.require(), filters, buckets, indexOptions()),

    'search.export': async ({ filters, format }) => {
      const store = session.require();
      const path = await deps.pickSavePath(`search-results.${format}`, [format]);
      if (path === null) return null;
      // In a worker: an export of a million events must not stall the window.
      const started = session.jobs.start(
        'search.export',
        `Exporting search results (${format.toUpperCase()})`,
        (context) =>
          runJob(
            'search.export',
            { path: store.verificationPath, cacheDir: session.cacheDir, filters, format, out: path },
            context,
          ),
      );
      const { written } = await started.done;
      return { path, written };
    },

    'search.buildIndex': () => {
      const store = session.require();
      const started = session.jobs.start('searchIndex', 'Building the search index', (context) =>
        runJob(
          'searchIndex',
          store.mode === 'read-write'
            ? { path: store.path, mode: 'read-write' }
            : { path: store.verificationPath, mode: 'read-only', cacheDir: session.cacheDir },
          context,
        ),
      );
      return { jobId: started.jobId };
    },

    'activity.series': ({ from, to, groupBy, maxPoints }) => {
      const result = activityPerMinute(session.require(), { from, to, groupBy, maxPoints, cacheDir: session.cacheDir });
      return {
        from: result.from,
        to: result.to,
        bucketMs: result.bucketMs,
        groupBy: result.groupBy,
        buckets: result.buckets,
        totals: result.totals,
        series: result.series,
        spikes: result.spikes,
      };
    },

    'chain.get': (query) => {
      const chain = correlationChain(session.require(), query, { cacheDir: session.cacheDir });
      return {
        correlationId: chain.correlationId,
        focusEventId: chain.focusEventId,
        roots: chain.roots.map(toChainNode),
        commands: chain.commands,
        rejected: chain.rejected,
        events: chain.events,
        streams: chain.streams,
        truncated: chain.truncated,
      };
    },

    'demo.open': async ({ seed }) => {
      const dir = join(deps.dataDir, 'demo');
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `hindsight-demo-${seed}.hindsight`);
      if (!existsSync(path)) {
        const started = session.jobs.start('demo', 'Writing the demo store', (context) =>
          runJob('demo', { path: `${path}.partial`, seed }, context),
        );
        const created = await started.done;
        renameSync(`${path}.partial`, path);
        session.adopt(created.storeId);
      }
      return session.open(path, 'read-write');
    },
  };
}

function toChainNode(node: ChainNode): ChainNodeDto {
  if (node.kind === 'command') {
    return {
      kind: 'command',
      id: node.commandId,
      type: node.commandType,
      streamId: node.streamId,
      version: null,
      position: node.position,
      actor: node.actor,
      time: node.receivedAt,
      outcome: node.outcome,
      errorMessage: node.errorMessage,
      reason: node.reason,
      policy: node.policy,
      children: node.children.map(toChainNode),
    };
  }
  return {
    kind: 'event',
    id: node.eventId,
    type: node.type,
    streamId: node.streamId,
    version: node.version,
    position: node.position,
    actor: node.actor,
    time: node.recordedAt,
    change: node.change,
    children: node.children.map(toChainNode),
  };
}
