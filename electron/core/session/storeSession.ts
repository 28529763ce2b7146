// The store open in one window and what the window knows about it: its integrity state and the jobs
// running over it. Opening anything closes what was open before (one store per window).
import { basename, join } from 'node:path';
import type { EventMap, EventName } from '../../../shared/ipc/contract';
import type { IntegrityState, OpenMode, StoreSummary } from '../../../shared/types';
import { fileSha256 } from '../app/fileFingerprint';
import { JobTracker } from '../app/jobTracker';
import { OwnedStores } from '../app/ownedStores';
import { RecentFiles } from '../app/recentFiles';
import { SettingsFile } from '../app/settings';
import { HindsightError, toErrorPayload } from '../errors';
import { attachHistoryCache, type HistoryCache, openHistoryCache } from '../history/snapshots';
import { runJob } from '../jobs/runner';
import { listReadModels } from '../projections/query';
import { attachReadModels, detachReadModels } from '../projections/runtime';
import { bringUpToDate } from '../projections/workers';
import { EventStore } from '../store/eventStore';
import type { VerifyResult } from '../store/types';

export type Emit = <E extends EventName>(event: E, payload: EventMap[E]) => void;

export class StoreSession {
  readonly recent: RecentFiles;
  readonly jobs: JobTracker;
  readonly settings: SettingsFile;
  private readonly owned: OwnedStores;
  private current: EventStore | null = null;
  /** Derived data of a read-only store (snapshots) lives here, in the app's data folder, never in the file. */
  private historyCache: HistoryCache | null = null;
  /** The app's private cache folder: derived data of read-only stores, keyed by store id. */
  readonly cacheDir: string;
  private integrityState: IntegrityState = { state: 'unknown' };
  private fingerprint: string | null = null;

  constructor(
    dataDir: string,
    private readonly appVersion: string,
    private readonly emit: Emit,
  ) {
    this.cacheDir = join(dataDir, 'cache');
    this.recent = new RecentFiles(dataDir);
    this.settings = new SettingsFile(dataDir);
    this.owned = new OwnedStores(dataDir);
    this.jobs = new JobTracker(emit);
  }

  get store(): EventStore | null {
    return this.current;
  }

  get integrity(): IntegrityState {
    return this.integrityState;
  }

  require(): EventStore {
    if (!this.current) {
      throw new HindsightError('no_store_open', 'No store is open in this window. Open or create one first.');
    }
    return this.current;
  }

  summary(): StoreSummary | null {
    const store = this.current;
    if (!store) return null;
    const info = store.info();
    return {
      fileName: basename(store.path),
      path: store.path,
      mode: store.mode,
      storeId: info.storeId,
      formatVersion: info.formatVersion,
      events: info.events,
      streams: info.streams,
      head: info.head,
      firstRecordedAt: info.firstRecordedAt,
      lastRecordedAt: info.lastRecordedAt,
      companionWal: store.companionWal,
      fileSha256: this.fingerprint,
    };
  }

  /** Files this installation created open read-write; anyone else's file opens as read-only evidence (unless the user set otherwise). */
  defaultModeFor(path: string): OpenMode {
    const storeId = EventStore.peekStoreId(path);
    return storeId !== null && this.owned.has(storeId) ? 'read-write' : this.settings.get().foreignOpenMode;
  }

  open(path: string, mode: OpenMode = this.defaultModeFor(path)): StoreSummary {
    // Open first: a file that fails its checks leaves the current store open and untouched.
    const opened = EventStore.open(path, { mode });
    this.attach(opened);
    this.recent.record(opened.path, mode);
    return this.summary() as StoreSummary;
  }

  /** Marks a store as created by this installation (it then opens read-write by default). */
  adopt(storeId: string): void {
    this.owned.add(storeId);
  }

  create(path: string): StoreSummary {
    const created = EventStore.create(path, { createdBy: `Hindsight ${this.appVersion}` });
    this.owned.add(created.storeId);
    this.attach(created);
    this.recent.record(created.path, 'read-write');
    return this.summary() as StoreSummary;
  }

  close(): void {
    this.jobs.cancelAll();
    if (this.current) {
      attachHistoryCache(this.current, undefined);
      detachReadModels(this.current);
    }
    this.current?.close();
    this.current = null;
    this.historyCache?.close();
    this.historyCache = null;
    this.integrityState = { state: 'unknown' };
    this.fingerprint = null;
  }

  /** Verifies the chain in a worker thread; the integrity state follows the job. */
  startVerify(digest?: string): { jobId: string } {
    const store = this.require();
    const started = this.jobs.start('verify', `Verifying ${basename(store.path)}`, (context) =>
      runJob<VerifyResult>('verify', { path: store.verificationPath, digest }, context),
    );
    this.integrityState = { state: 'verifying', jobId: started.jobId, done: 0, total: 0 };
    started.done.then(
      (result) => {
        if (this.current !== store) return;
        this.integrityState = { state: result.ok ? 'intact' : 'tampered', checkedAt: Date.now(), result };
        this.emit('store.changed', { reason: 'verified' });
      },
      (error) => {
        if (this.current !== store) return;
        const payload = toErrorPayload(error);
        this.integrityState =
          payload.code === 'cancelled'
            ? { state: 'unknown' }
            : { state: 'error', checkedAt: Date.now(), message: payload.message };
        this.emit('store.changed', { reason: 'verified' });
      },
    );
    return { jobId: started.jobId };
  }

  private attach(store: EventStore): void {
    this.close();
    this.current = store;
    if (store.mode === 'read-only') {
      this.historyCache = openHistoryCache(this.cacheDir, store.storeId);
      attachHistoryCache(store, this.historyCache);
    }
    // Read models: applied inline with every append of a read-write store; for a read-only one, kept in
    // the private cache. Small gaps are caught up now; a large one waits for a rebuild job.
    attachReadModels(store, { cacheDir: this.cacheDir });
    if (listReadModels(store, { cacheDir: this.cacheDir }).some((model) => model.needsJob)) {
      // Far behind (a file written elsewhere, an import): fold the rest in a worker, with progress.
      this.jobs
        .start('readmodels', 'Bringing read models up to date', (context) =>
          bringUpToDate(store, { cacheDir: this.cacheDir, onProgress: context.onProgress, signal: context.signal }),
        )
        .done.then(
          () => this.current === store && this.emit('store.changed', { reason: 'verified' }),
          () => undefined, // the Read models screen shows the status and offers a rebuild
        );
    }
    this.emit('store.changed', { reason: 'opened' });
    // Opening checks run in the background while the UI is already usable.
    this.startVerify();
    void fileSha256(store.path).then(
      (sha) => {
        if (this.current !== store) return;
        this.fingerprint = sha;
        this.emit('store.changed', { reason: 'verified' });
      },
      () => undefined, // unreadable after opening (removed?): the fingerprint stays unknown
    );
  }
}
