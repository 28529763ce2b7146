import { rebuildReadModels } from '../../core/projections/rebuild';
import { attachReadModels, detachReadModels } from '../../core/projections/runtime';
import type { RebuildResult } from '../../core/projections/types';
import { EventStore } from '../../core/store/eventStore';
import { stringOption } from '../argParser';
import { type CliCommand, EXIT, INCLUDE_WAL_OPTION, JSON_OPTION, openForReading, printJson } from '../command';
import { progressTo } from '../io';
import { withCacheDir } from './readmodel';

/**
 * `hindsight rebuild <file> [<name>]`: rebuilds read models from position 0 (docs/read-models.md). By default
 * those kept in the store file itself (opened read-write: only the derived `rm_*` tables and
 * `projection_checkpoints` are rewritten, never an event). With --cache-dir the store is read as evidence and the
 * read models are rebuilt in that private cache instead. Exit code 1 when a read model stops at an event.
 */

function report(result: RebuildResult): string {
  const lines = result.models.map((m) => {
    const state =
      m.status === 'failed' && m.error !== null
        ? `FAILED at position ${m.error.position} (${m.error.eventType} ${m.error.eventId}): ${m.error.message}`
        : m.status;
    return `${m.name.padEnd(12)} ${`${m.position}/${result.head}`.padEnd(20)} ${String(m.applied).padStart(9)} events  ${state}`;
  });
  return `${lines.join('\n')}\nrebuilt in ${result.ms} ms\n`;
}

export const rebuildCommand: CliCommand = {
  name: 'rebuild',
  summary: "rebuild a store's read models from its events (in the file, or in a private cache with --cache-dir)",
  spec: {
    positionals: [
      { name: 'file', description: 'the store file' },
      { name: 'name', description: 'only this read model (default: all)', optional: true },
    ],
    options: {
      'cache-dir': {
        type: 'string',
        valueName: 'DIR',
        description: 'read the store as evidence (never changed) and rebuild the read models in DIR',
      },
      ...INCLUDE_WAL_OPTION,
      ...JSON_OPTION,
    },
  },
  examples: [
    'hindsight rebuild shop.hindsight',
    'hindsight rebuild evidence.hindsight accounts --cache-dir ./cache --json',
  ],
  async run(args, { io, json }) {
    const file = args.positionals[0]!;
    const name = args.positionals[1];
    const inCache = stringOption(args, 'cache-dir') !== undefined;
    const rebuild = async (store: EventStore, cacheDir?: string): Promise<number> => {
      try {
        attachReadModels(store, { cacheDir, maxCatchUp: 0 });
        const progress = progressTo(io, 'rebuilding');
        const result = rebuildReadModels(store, {
          names: name === undefined ? undefined : [name],
          onProgress: progress.onProgress,
        });
        await progress.end();
        if (json) await printJson(io, result);
        else await io.out(report(result));
        return result.models.some((m) => m.status === 'failed') ? EXIT.failed : EXIT.ok;
      } finally {
        detachReadModels(store);
        store.close();
      }
    };
    if (inCache) {
      return withCacheDir(args, async (cacheDir) => rebuild(await openForReading(file, args, io), cacheDir));
    }
    return rebuild(EventStore.open(file, { mode: 'read-write' }));
  },
};
