// The store open in one window and what the window knows about it: its integrity state and the jobs
// running over it. Opening anything closes what was open before (one store per window).
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { EventMap, EventName } from '../../../shared/ipc/contract';
import type {
  ColumnMapping,
  ForeignSourceInfo,
  ForeignTable,
  ImportSummary,
  IntegrityState,
  MappingCandidates,
  OpenMode,
  StoreSummary,
} from '../../../shared/types';
import { fileSha256 } from '../app/fileFingerprint';
import { ForeignMappings } from '../app/foreignMappings';
import { JobTracker } from '../app/jobTracker';
import { OwnedStores } from '../app/ownedStores';
import { RecentFiles } from '../app/recentFiles';
import { SettingsFile } from '../app/settings';
import { HindsightError, toErrorPayload } from '../errors';
import {
  type ForeignPlan,
  materializeParams,
  notAStoreTables,
  type OpenedDerived,
  openDerived,
  openExistingDerived,
  planFor,
  pruneDerivedStores,
} from '../foreign/derivedStore';
import { normalizeMapping, suggestMapping } from '../foreign/mapping';
import { labelOf } from '../foreign/materialize';
import { attachHistoryCache, type HistoryCache, openHistoryCache } from '../history/snapshots';
import { importJsonl } from '../interchange/importJsonl';
import { runJob } from '../jobs/runner';
import { listReadModels } from '../projections/query';
import { attachReadModels, catchUp, detachReadModels } from '../projections/runtime';
import { bringUpToDate } from '../projections/workers';
import { EventStore } from '../store/eventStore';
import { inspectFile } from '../store/fileCheck';
import { makePrivateCopyAsync, type PrivateCopy } from '../store/privateCopy';
import type { VerifyResult } from '../store/types';

/** Passes the checks made before any copy (exists, a file, a SQLite header, whole pages); false otherwise. */
function looksLikeSqlite(path: string): boolean {
  try {
    inspectFile(path);
    return true;
  } catch {
    return false; // the open itself reports why, with its usual message and hints
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // missing: the open itself says so
  }
}

export type Emit = <E extends EventName>(event: E, payload: EventMap[E]) => void;

/** The open store is someone else's event store, read through an adapter into a derived store of ours. */
interface ForeignOpen {
  /** The file the user opened (the derived store lives in the cache). */
  path: string;
  info: ForeignSourceInfo;
  sha256: string;
}

export class StoreSession {
  /** Files up to this size get SQLite's quick_check while opening (well under a second); bigger ones in the background. */
  static inlineQuickCheckBytes = 64 * 1024 * 1024;

  readonly recent: RecentFiles;
  readonly jobs: JobTracker;
  readonly settings: SettingsFile;
  private readonly owned: OwnedStores;
  private readonly mappings: ForeignMappings;
  /** Set while a foreign store is open. */
  private foreign: ForeignOpen | null = null;
  /** A file that failed to open because its history is all in the -wal beside it (see `includeWal`). */
  private pendingWal: string | null = null;
  /** A SQLite file that is no event store Hindsight knows: the mapping dialog reads its tables. */
  private pendingMapping: string | null = null;
  /** The open store skipped quick_check at opening: its verify jobs run it. */
  private quickCheckDeferred = false;
  /** Counts opens, so that a slow open (a foreign file being read) finished after a newer one is dropped. */
  private openGeneration = 0;
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
    this.mappings = new ForeignMappings(dataDir);
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
    const path = this.sourcePath;
    return {
      fileName: basename(path),
      path,
      mode: store.mode,
      storeId: info.storeId,
      formatVersion: info.formatVersion,
      events: info.events,
      streams: info.streams,
      head: info.head,
      firstRecordedAt: info.firstRecordedAt,
      lastRecordedAt: info.lastRecordedAt,
      companionWal: store.companionWal,
      walIncluded: store.walIncluded,
      fileSha256: this.fingerprint,
      foreign: this.foreign?.info ?? null,
    };
  }

  /** The file the user opened: the store's own file, or the foreign file behind a derived store. */
  get sourcePath(): string {
    return this.foreign?.path ?? this.require().path;
  }

  get foreignInfo(): ForeignSourceInfo | null {
    return this.foreign?.info ?? null;
  }

  /** The open store, when it may be changed (read-write, and not a foreign store's derived copy). */
  requireWritable(): EventStore {
    const store = this.require();
    if (store.mode !== 'read-write' || this.foreign !== null) {
      throw new HindsightError(
        'read_only',
        `${basename(this.sourcePath)} is open read-only; reopen it read-write to import into it (your own stores only).`,
      );
    }
    return store;
  }

  /**
   * Appends every event of a JSONL file in one transaction, as a job (all or nothing; the error names the
   * first bad line), then brings the read models up to date and tells the windows.
   */
  async importJsonl(path: string): Promise<ImportSummary> {
    const store = this.requireWritable();
    const started = this.jobs.start('import', `Importing ${basename(path)}`, (context) =>
      importJsonl(store, path, { onProgress: context.onProgress, signal: context.signal }),
    );
    const result = await started.done;
    if (this.current === store && result.imported > 0) {
      // A big import leaves read models far behind: folded in workers; a small one is folded right here.
      await this.jobs.start('readmodels', 'Bringing read models up to date', (context) =>
        bringUpToDate(store, { cacheDir: this.cacheDir, onProgress: context.onProgress, signal: context.signal }),
      ).done;
      if (this.current === store) {
        catchUp(store, { cacheDir: this.cacheDir });
        this.startVerify(); // the digest shown in the top bar must cover what was just imported
      }
      this.emit('store.changed', { reason: 'appended' });
    }
    return result;
  }

  /** Files this installation created open read-write; anyone else's file opens as read-only evidence (unless the user set otherwise). */
  defaultModeFor(path: string): OpenMode {
    const storeId = EventStore.peekStoreId(path);
    return storeId !== null && this.owned.has(storeId) ? 'read-write' : this.settings.get().foreignOpenMode;
  }

  /**
   * Opens a file. A Hindsight store opens at once (its checks continue in the background). A SQLite
   * file holding another event store (Emmett's, or a table the user mapped before) is read into a
   * derived store by a job first. Any other SQLite file fails with `not_a_store` and `mappable: true`,
   * and becomes the file the mapping dialog offers to map.
   */
  async open(path: string, mode?: OpenMode, opts: { includeWal?: boolean } = {}): Promise<StoreSummary> {
    const generation = ++this.openGeneration;
    this.pendingWal = null;
    let opened: { store: EventStore; quickCheckDeferred: boolean };
    try {
      // Open first: a file that fails its checks leaves the current store open and untouched.
      opened = await this.openHindsightStore(
        path,
        opts.includeWal ? 'read-only' : (mode ?? this.defaultModeFor(path)),
        {
          includeWal: opts.includeWal === true,
        },
      );
    } catch (error) {
      return this.openOtherwise(path, error, generation);
    }
    if (generation !== this.openGeneration) {
      opened.store.close();
      throw new HindsightError('cancelled', `Opening ${basename(path)} was overtaken by another open.`);
    }
    this.attach(opened.store, { quickCheckDeferred: opened.quickCheckDeferred });
    this.recent.record(opened.store.path, opened.store.mode);
    return this.summary() as StoreSummary;
  }

  /**
   * A Hindsight store file. A small one is checked by SQLite's quick_check now, so a damaged one is refused
   * at once; a big one opens without it (the verify job runs it first), its private copy made as a job.
   */
  private async openHindsightStore(
    path: string,
    mode: OpenMode,
    opts: { includeWal: boolean },
  ): Promise<{ store: EventStore; quickCheckDeferred: boolean }> {
    const big = fileSize(path) > StoreSession.inlineQuickCheckBytes;
    // A big shared file's private copy is a job: its progress shows, and it can be cancelled.
    const preparedCopy =
      big && mode === 'read-only' && looksLikeSqlite(path)
        ? await this.copyForReading(path, opts.includeWal)
        : undefined;
    try {
      const store = await EventStore.openAsync(path, {
        mode,
        quickCheck: !big,
        includeWal: opts.includeWal,
        preparedCopy,
      });
      return { store, quickCheckDeferred: big };
    } catch (error) {
      preparedCopy?.dispose();
      throw error;
    }
  }

  /**
   * A file that is no Hindsight store: another event store Hindsight reads (Emmett's, or a table mapped
   * before), else the refusal, which names what the user can do (read the -wal; map a table).
   */
  private async openOtherwise(path: string, error: unknown, generation: number): Promise<StoreSummary> {
    // A store whose history is still all in the -wal beside it: the user may choose to read it (store.includeWal).
    if (error instanceof HindsightError && error.details?.companionWal === true) this.pendingWal = path;
    const tables = notAStoreTables(error);
    if (tables === null || this.pendingWal !== null) throw error;
    const plan = planFor(tables, this.mappings.get(path));
    if (plan !== null) return this.openForeign(path, plan, generation);
    this.pendingMapping = tables.length > 0 ? path : null;
    if (tables.length > 0) this.emit('store.changed', { reason: 'mapping' });
    const { message, details } = error as HindsightError;
    throw new HindsightError(
      'not_a_store',
      tables.length > 0
        ? `${message.replace(/\.$/, '')}. To read one of its tables as events, map its columns.`
        : message,
      { ...details, mappable: tables.length > 0 },
    );
  }

  /**
   * Reopens the shared file with the `-wal` beside it applied to the private copy (never to the file): the
   * open store when it has one that was not read, else the file whose opening failed because its history
   * is all in its -wal.
   */
  async includeWal(): Promise<StoreSummary> {
    const store = this.current;
    const path = store !== null && this.foreign === null && store.companionWal ? store.path : (this.pendingWal ?? null);
    if (path === null) {
      throw new HindsightError('not_found', 'No -wal file waits to be read: the open file has none beside it.');
    }
    return this.open(path, 'read-only', { includeWal: true });
  }

  private copyForReading(path: string, includeWal: boolean): Promise<PrivateCopy> {
    return this.jobs.start('open', `Copying ${basename(path)} for read-only opening`, (context) =>
      makePrivateCopyAsync(path, { includeWal, onProgress: context.onProgress, signal: context.signal }),
    ).done;
  }

  /** The tables of the file waiting for a column mapping (or of the open foreign table, to change its mapping). */
  async mappingCandidates(): Promise<MappingCandidates> {
    const path = this.mappingTarget();
    const tables = await runJob<ForeignTable[]>('foreign.inspect', {
      source: path,
      privateDir: join(this.cacheDir, 'copies'),
    });
    return {
      path,
      fileName: basename(path),
      tables,
      suggested: suggestMapping(tables),
      remembered: this.mappings.get(path) ?? (this.foreign?.path === path ? this.foreign.info.mapping : null),
    };
  }

  /**
   * Opens the file waiting for a mapping with the columns the user chose; remembers them when asked. The
   * columns are checked against the file by the reading job (in its worker, on its own copy), not here.
   */
  async openMapped(mapping: ColumnMapping, remember: boolean): Promise<StoreSummary> {
    const path = this.mappingTarget();
    const checked = normalizeMapping(mapping);
    const summary = await this.openForeign(path, { kind: 'table', mapping: checked }, ++this.openGeneration);
    if (remember) this.mappings.remember(path, checked);
    else this.mappings.forget(path);
    this.pendingMapping = null;
    return summary;
  }

  pendingMappingFile(): { fileName: string } | null {
    return this.pendingMapping === null ? null : { fileName: basename(this.pendingMapping) };
  }

  dismissMapping(): void {
    this.pendingMapping = null;
  }

  private mappingTarget(): string {
    const path = this.pendingMapping ?? (this.foreign?.info.kind === 'table' ? this.foreign.path : null);
    if (path === null) {
      throw new HindsightError('not_found', 'No file is waiting for a column mapping; open a SQLite file first.');
    }
    return path;
  }

  private async openForeign(path: string, plan: ForeignPlan, generation: number): Promise<StoreSummary> {
    const sha256 = await fileSha256(path);
    const params = materializeParams(path, sha256, plan, this.cacheDir);
    let derived: OpenedDerived | null = openExistingDerived(params.target);
    if (derived === null) {
      const started = this.jobs.start(
        'foreign',
        `Reading ${basename(path)}: ${labelOf(plan.kind, plan.mapping)}`,
        (context) => runJob<ForeignSourceInfo>('foreign.materialize', params, context),
      );
      await started.done;
      derived = openDerived(params.target);
    }
    if (generation !== this.openGeneration) {
      derived.store.close();
      throw new HindsightError('cancelled', `Opening ${basename(path)} was overtaken by another open.`);
    }
    this.attach(derived.store, { foreign: { path, info: derived.info, sha256 } });
    this.recent.record(path, 'read-only', Date.now(), plan.kind);
    pruneDerivedStores(this.cacheDir, params.target);
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
    this.foreign = null;
  }

  /** Verifies the chain in a worker thread; the integrity state follows the job. */
  startVerify(digest?: string): { jobId: string } {
    const store = this.require();
    if (this.foreign) {
      throw new HindsightError(
        'unavailable',
        `${basename(this.foreign.path)} is read through an adapter (${this.foreign.info.label}): it has no hash chain, so there is nothing to verify. Its SHA-256 (${this.foreign.sha256}) identifies exactly the file you opened.`,
      );
    }
    const started = this.jobs.start('verify', `Verifying ${basename(store.path)}`, (context) =>
      runJob<VerifyResult>(
        'verify',
        { path: store.verificationPath, digest, quickCheck: this.quickCheckDeferred, fileName: store.path },
        context,
      ),
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
            : { state: 'error', checkedAt: Date.now(), message: payload.message, damaged: payload.code === 'corrupt' };
        this.emit('store.changed', { reason: 'verified' });
      },
    );
    return { jobId: started.jobId };
  }

  private attach(
    store: EventStore,
    { foreign = null, quickCheckDeferred = false }: { foreign?: ForeignOpen | null; quickCheckDeferred?: boolean } = {},
  ): void {
    this.close();
    this.current = store;
    this.foreign = foreign;
    this.quickCheckDeferred = quickCheckDeferred;
    if (foreign === null) this.pendingMapping = null;
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
    if (foreign !== null) {
      this.fingerprint = foreign.sha256;
      this.integrityState = { state: 'unprovable', reason: unprovableReason(foreign.info) };
      return;
    }
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

function unprovableReason(info: ForeignSourceInfo): string {
  return `Read through an adapter (${info.label}). It has no hash chain, so Hindsight cannot tell whether events were changed, removed or reordered before you received it: there is no tamper evidence. The file's SHA-256 identifies exactly what you opened.`;
}
