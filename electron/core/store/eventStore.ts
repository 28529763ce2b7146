import type Database from 'better-sqlite3';
import { HindsightError } from '../errors';
import { AppendSession } from './appendSession';
import { inspectFile } from './fileCheck';
import { formatDigest } from './hashChain';
import { validateStreamId } from './limits';
import { closeOpened, createNew, type OpenedStore, openExisting, peekStoreId, sqliteVersion } from './openStore';
import { type PreparedEvent, prepareEvent, validateExpectedVersion } from './prepareEvent';
import { makePrivateCopyAsync } from './privateCopy';
import { StoreReader } from './reads';
import { translateError } from './sqliteErrors';
import { StatementCache } from './statementCache';
import type {
  AppendOptions,
  AppendResult,
  CancelSignal,
  CreateOptions,
  Head,
  ListStreamsOptions,
  NewEvent,
  OpenMode,
  OpenOptions,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StoreInfo,
  StreamInfo,
  VerifyOptions,
  VerifyResult,
} from './types';
import { verifyChain, verifyRange } from './verify';

/**
 * A Hindsight event store file (format v1, docs/file-format.md). One instance = one SQLite connection
 * with its prepared statements. Everything a caller may get wrong is checked before a write and reported
 * as a HindsightError; every append is one transaction (or part of the caller's `transaction`).
 */
export class EventStore {
  readonly path: string;
  readonly mode: OpenMode;
  readonly storeId: string;
  readonly formatVersion: number;
  /** Companion files (`-wal`, `-shm`, `-journal`) that were beside the file when it was opened. */
  readonly companions: readonly string[];
  /**
   * Read-only only: a `-wal` file lay beside the file when it was opened and was NOT read (the original is
   * never touched, and a stranger's WAL never replayed). The UI should tell the user that the file may
   * have changes that are not shown; `includeWal: true` reads them from the private copy.
   */
  readonly companionWal: boolean;
  /** Read-only only: the `-wal` beside the file was read into the private copy (`includeWal: true`). */
  readonly walIncluded: boolean;

  private readonly opened: OpenedStore;
  private readonly stmts: StatementCache;
  private readonly reader: StoreReader;
  private closed = false;
  /** A `transactionAsync` is open: the connection's transaction belongs to it. */
  private asyncWrite = false;
  /** Called inside every `append` transaction after its rows are written (inline projections). */
  private readonly appendListeners = new Set<(events: readonly StoredEvent[]) => void>();

  private constructor(path: string, opened: OpenedStore) {
    this.path = path;
    this.opened = opened;
    this.mode = opened.mode;
    this.storeId = opened.meta.storeId;
    this.formatVersion = opened.meta.formatVersion;
    this.companions = opened.facts.companions;
    this.companionWal =
      opened.mode === 'read-only' && opened.facts.walPresent && (opened.copy === undefined || !opened.copy.withWal);
    this.walIncluded = opened.copy?.withWal ?? false;
    this.stmts = new StatementCache(opened.db);
    this.reader = new StoreReader(this.stmts);
  }

  /** Creates a new store at `path`; refuses to overwrite anything (`already_exists`). */
  static create(path: string, opts: CreateOptions = {}): EventStore {
    return new EventStore(path, createNew(path, opts));
  }

  static open(path: string, opts: OpenOptions): EventStore {
    return new EventStore(path, openExisting(path, opts));
  }

  /**
   * `open`, with the private copy of a read-only opening made without blocking the event loop (the app's
   * main thread stays responsive while a big shared file is copied). The checks that follow are the same.
   */
  static async openAsync(path: string, opts: OpenOptions): Promise<EventStore> {
    if (opts.mode !== 'read-only' || (opts.access ?? 'copy') !== 'copy' || opts.preparedCopy !== undefined) {
      return EventStore.open(path, opts);
    }
    try {
      inspectFile(path);
    } catch {
      return EventStore.open(path, opts); // fails before anything is copied, with the usual message and hints
    }
    const copy = await makePrivateCopyAsync(path, { privateDir: opts.privateDir, includeWal: opts.includeWal });
    try {
      return EventStore.open(path, { ...opts, preparedCopy: copy });
    } catch (error) {
      copy.dispose();
      throw error;
    }
  }

  /** The SQLite library version, e.g. "3.53.2". */
  static sqliteVersion(): string {
    return sqliteVersion();
  }

  /** The `store_id` of a store file, or null when it is not a readable store; changes nothing on disk. */
  static peekStoreId(path: string): string | null {
    return peekStoreId(path);
  }

  /**
   * The file a verification worker should open with `access: 'live'`: this store's file when open
   * read-write, its private copy when read-only (so a worker reads exactly what this connection reads).
   */
  get verificationPath(): string {
    this.assertOpen();
    return this.opened.copy?.path ?? this.path;
  }

  /** The raw better-sqlite3 connection, for the command log and projections written in the same transaction. */
  get db(): Database.Database {
    this.assertOpen();
    return this.opened.db;
  }

  private assertOpen(): void {
    if (this.closed)
      throw new HindsightError('no_store_open', `The store ${this.path} has been closed.`, { path: this.path });
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.mode !== 'read-write') {
      throw new HindsightError('read_only', `The store ${this.path} is open read-only; it cannot be changed.`, {
        path: this.path,
      });
    }
  }

  private assertNoAsyncWrite(): void {
    if (this.asyncWrite) {
      throw new HindsightError(
        'locked',
        `The store ${this.path} is busy with a long write (an import); try again when it has finished.`,
        {
          path: this.path,
        },
      );
    }
  }

  private run<T>(fn: () => T): T {
    this.assertOpen();
    try {
      return fn();
    } catch (error) {
      throw translateError(error, this.path);
    }
  }

  /**
   * Runs `fn` in one write transaction (BEGIN IMMEDIATE, so it never deadlocks on upgrade). Appends and
   * other writes inside commit or roll back together; nested calls become savepoints.
   */
  transaction<T>(fn: () => T): T {
    this.assertWritable();
    this.assertNoAsyncWrite();
    const db = this.opened.db;
    return this.run(() => db.transaction(fn).immediate());
  }

  /**
   * One write transaction held open across `await`s, for long bulk writes that wait on a worker (an
   * import). Commits when `fn` resolves, rolls back when it rejects. While it is open, `append` and
   * `transaction` on this store fail with `locked` (they would otherwise join it); work inside `fn` goes
   * through `openAppendSession()`.
   */
  async transactionAsync<T>(fn: () => Promise<T>): Promise<T> {
    this.assertWritable();
    this.assertNoAsyncWrite();
    const db = this.opened.db;
    if (db.inTransaction) {
      throw new HindsightError('internal', 'transactionAsync cannot run inside another transaction.');
    }
    this.run(() => db.exec('BEGIN IMMEDIATE'));
    this.asyncWrite = true;
    try {
      const value = await fn();
      this.run(() => db.exec('COMMIT'));
      return value;
    } catch (error) {
      if (db.open && db.inTransaction) db.exec('ROLLBACK');
      throw translateError(error, this.path);
    } finally {
      this.asyncWrite = false;
    }
  }

  append(streamId: string, events: NewEvent[], opts: AppendOptions = {}): AppendResult {
    this.assertWritable();
    this.assertNoAsyncWrite();
    validateStreamId(streamId);
    if (!Array.isArray(events) || events.length === 0) {
      throw new HindsightError('invalid_input', 'An append needs at least one event.', { field: 'events' });
    }
    const expected = validateExpectedVersion(opts.expectedVersion);
    const prepared: PreparedEvent[] = events.map((event, i) =>
      prepareEvent(event, events.length > 1 ? `event ${i + 1}` : 'event'),
    );
    return this.transaction(() => {
      const session = new AppendSession(this.stmts);
      const result = session.append(streamId, prepared, expected, { collect: true });
      session.flush();
      if (!result.duplicate) for (const listener of this.appendListeners) listener(result.events);
      return { streamId, ...result };
    });
  }

  /**
   * Calls `listener` inside every `append`'s transaction, after its events and stream rows are written and
   * before it commits (inline projections: electron/core/projections/runtime.ts). If the listener throws, the
   * append fails and rolls back. Not called for a repeated (duplicate) append, nor for bulk appends through
   * `openAppendSession()` (imports), whose readers catch up afterwards. Returns the function that removes it.
   */
  addAppendListener(listener: (events: readonly StoredEvent[]) => void): () => void {
    this.appendListeners.add(listener);
    return () => {
      this.appendListeners.delete(listener);
    };
  }

  /**
   * A session for bulk appends (imports): the caller must be inside `transaction()` or
   * `transactionAsync()` and call `flush()` at the end. Events are validated with `prepareEvent`.
   */
  openAppendSession(): AppendSession {
    this.assertWritable();
    if (!this.opened.db.inTransaction) {
      throw new HindsightError('internal', 'An append session must run inside store.transaction().');
    }
    return new AppendSession(this.stmts);
  }

  readStream(streamId: string, opts: ReadStreamOptions = {}): StoredEvent[] {
    return this.run(() => this.reader.readStream(streamId, opts));
  }

  readAll(opts: ReadAllOptions = {}): StoredEvent[] {
    return this.run(() => this.reader.readAll(opts));
  }

  listStreams(opts: ListStreamsOptions = {}): StreamInfo[] {
    return this.run(() => this.reader.listStreams(opts));
  }

  getStream(streamId: string): StreamInfo | undefined {
    return this.run(() => this.reader.getStream(streamId));
  }

  head(): Head {
    return this.run(() => this.reader.head());
  }

  /** The last position recorded at or before `t` (ms): the whole store "as of T" is positions 1 … this. */
  positionAt(t: number): number {
    return this.run(() => this.reader.positionAt(t));
  }

  info(): StoreInfo {
    return this.run(() => {
      const head = this.reader.head();
      const summary = this.reader.summary();
      return {
        path: this.path,
        mode: this.mode,
        format: this.opened.meta.format,
        formatVersion: this.formatVersion,
        storeId: this.storeId,
        createdAt: this.opened.meta.createdAt,
        createdBy: this.opened.meta.createdBy,
        ...summary,
        head,
        digest: formatDigest(head),
        fileSize: this.opened.facts.size,
        companions: [...this.companions],
        companionWal: this.companionWal,
      };
    });
  }

  /** Walks the whole hash chain; see docs/file-format.md, "Verification". */
  verify(opts: VerifyOptions = {}): VerifyResult {
    return this.run(() => verifyChain(this.stmts, this.reader.head(), opts));
  }

  /**
   * Checks positions `from` … `to` only (for a parallel verification split into ranges; see
   * `verifyRange` in verify.ts). `ok: false` means "something is wrong in here": run `verify()` for where
   * and why.
   */
  verifyRange(
    from: number,
    to: number,
    opts: { signal?: CancelSignal; onProgress?: (done: number, total: number) => void } = {},
  ): { ok: boolean } {
    return this.run(() => verifyRange(this.stmts, from, to, opts));
  }

  /** Closes the connection (a writer leaves the file self-contained; a private copy is deleted). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeOpened(this.opened);
  }
}
