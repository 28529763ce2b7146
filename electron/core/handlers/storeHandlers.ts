import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { storeContract } from '../../../shared/ipc/contracts/store';
import type { EventRow, Page, StreamRow } from '../../../shared/types';
import { HindsightError } from '../errors';
import { runJob } from '../jobs/runner';
import type { StoredEvent } from '../store/types';
import type { HandlersOf, ServiceContext } from './types';

export function storeHandlers({ deps, session }: ServiceContext): HandlersOf<typeof storeContract> {
  return {
    'store.current': () => session.summary(),

    'store.openDialog': async ({ mode }) => {
      const path = await deps.pickOpenPath();
      return path === null ? null : session.open(path, mode);
    },

    'store.createDialog': async () => {
      const path = await deps.pickCreatePath();
      return path === null ? null : session.create(path);
    },

    'store.openRecent': ({ id, mode }) => {
      const entry = session.recent.find(id);
      if (!entry) throw new HindsightError('not_found', 'That file is not in the recent list any more.');
      return session.open(entry.path, mode ?? entry.mode);
    },

    'store.mappingCandidates': () => session.mappingCandidates(),
    'store.includeWal': () => session.includeWal(),
    'store.pendingMapping': () => session.pendingMappingFile(),
    'store.dismissMapping': () => {
      session.dismissMapping();
      return null;
    },
    'store.openMapped': ({ mapping, remember }) => session.openMapped(mapping, remember),

    'store.recent': () => session.recent.list(),
    'store.forgetRecent': ({ id }) => session.recent.forget(id),

    'store.close': () => {
      session.close();
      deps.emit('store.changed', { reason: 'closed' });
      return null;
    },

    'store.details': () => {
      const info = session.require().info();
      const summary = session.summary();
      if (!summary) throw new HindsightError('no_store_open', 'No store is open in this window.');
      return { ...summary, createdAt: info.createdAt, createdBy: info.createdBy, categories: info.categories };
    },

    'store.importDialog': async () => {
      session.requireWritable(); // before the dialog: no point choosing a file that cannot be imported
      const path = await deps.pickOpenPath('import');
      return path === null ? null : session.importJsonl(path);
    },

    'store.saveVerifiedCopy': async () => {
      const store = session.require();
      const foreign = session.foreignInfo;
      if (foreign !== null) {
        throw new HindsightError(
          'unavailable',
          `A verified copy proves that a hash chain was copied intact; this file is read through an adapter (${foreign.label}) and has no hash chain. Copy the file itself, and keep its SHA-256.`,
        );
      }
      const name = basename(store.path).replace(/(\.[^.]+)?$/, '-verified-copy.hindsight');
      const path = await deps.pickSavePath(name, ['hindsight']);
      if (path === null) return null;
      if (existsSync(path)) {
        throw new HindsightError('already_exists', `${path} already exists; choose a new file name for the copy.`);
      }
      // VACUUM INTO and the verification of the copy run in a worker over its own read-only connection.
      const started = session.jobs.start('copy', `Saving a verified copy of ${basename(store.path)}`, (context) =>
        runJob('copy', { path: store.verificationPath, out: path }, context),
      );
      const copy = await started.done;
      return { path: copy.path, digest: copy.digest };
    },

    'integrity.status': () => session.integrity,
    'integrity.verify': ({ digest }) => session.startVerify(digest),
    'jobs.cancel': ({ jobId }) => ({ cancelled: session.jobs.cancel(jobId) }),
    'jobs.selftest': ({ steps, stepMs }) => {
      const started = session.jobs.start('selftest', 'Job runner self-test', (context) =>
        runJob('selftest', { steps, stepMs }, context),
      );
      return { jobId: started.jobId };
    },

    'streams.list': ({ prefix, category, after, limit }): Page<StreamRow> => {
      const rows = session.require().listStreams({ prefix, category, after, limit: limit + 1 });
      const items = rows.slice(0, limit);
      return { items, next: rows.length > limit ? (items.at(-1)?.streamId ?? null) : null };
    },

    'log.page': ({ afterPosition, limit }): Page<EventRow> => {
      const rows = session.require().readAll({ afterPosition: afterPosition ?? 0, limit: limit + 1 });
      const items = rows.slice(0, limit).map(toEventRow);
      return { items, next: rows.length > limit ? (items.at(-1)?.globalPosition ?? null) : null };
    },
  };
}

export function toEventRow(event: StoredEvent): EventRow {
  const { prevHash: _prevHash, ...row } = event;
  return row;
}
