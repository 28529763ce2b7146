import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { HindsightError } from '../errors';
import { errorCodeOf, translateError } from './sqliteErrors';

/**
 * Read-only ("evidence") opening reads a private copy of the store's main file, made in a folder of our
 * own. SQLite never sees the original path, so it cannot create `-wal`/`-shm` files beside it, replay a
 * stranger's `-wal` into it, roll back a `-journal`, or take locks on it. The copy is deleted on close;
 * copies left by a crashed process are swept the next time one is made.
 */

export interface PrivateCopy {
  /** The copy SQLite opens. */
  path: string;
  /** A `-wal` was copied with it. */
  withWal: boolean;
  dispose(): void;
}

export function defaultPrivateDir(): string {
  return path.join(os.tmpdir(), 'hindsight-readonly');
}

/** Is a process with this id running (EPERM: yes, but not ours)? */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCodeOf(error) === 'EPERM';
  }
}

/** Removes copies whose owning process is gone (their folder names start with the owner's pid). */
function sweepStale(base: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(base);
  } catch {
    return;
  }
  for (const name of entries) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    fs.rmSync(path.join(base, name), { recursive: true, force: true });
  }
}

function sameFile(a: fs.Stats, b: fs.Stats): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

function keptChanging(sourceName: string): HindsightError {
  return new HindsightError(
    'locked',
    `${sourceName} kept changing while it was being copied for read-only opening; another program is writing to it.`,
    { path: sourceName },
  );
}

/** Copies `from` to `to`, retrying while another program is changing `from` during the copy. */
function stableCopy(from: string, to: string, sourceName: string): void {
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = fs.statSync(from);
    // FICLONE makes an instant copy-on-write clone where the file system can (APFS, Btrfs, XFS, ReFS).
    fs.copyFileSync(from, to, fs.constants.COPYFILE_FICLONE);
    const after = fs.statSync(from);
    if (sameFile(before, after)) return;
  }
  throw keptChanging(sourceName);
}

export interface CopyProgress {
  onProgress?: (done: number, total: number) => void;
  signal?: { readonly aborted: boolean };
}

/**
 * Copies a file: an instant copy-on-write clone where the file system has them; otherwise, when progress is
 * wanted, in 1 MiB chunks that report it (and stop when cancelled), else with the OS's own copy.
 */
async function copyOnce(from: string, to: string, progress: CopyProgress): Promise<void> {
  if (progress.onProgress === undefined) {
    await fs.promises.copyFile(from, to, fs.constants.COPYFILE_FICLONE);
    return;
  }
  try {
    await fs.promises.copyFile(from, to, fs.constants.COPYFILE_FICLONE_FORCE);
    return;
  } catch {
    // No clones on this file system: copy it ourselves, with progress.
  }
  const total = (await fs.promises.stat(from)).size;
  let done = 0;
  const reader = fs.createReadStream(from, { highWaterMark: 1 << 20 });
  reader.on('data', (chunk) => {
    done += chunk.length;
    progress.onProgress?.(done, total);
    if (progress.signal?.aborted) {
      reader.destroy(new HindsightError('cancelled', `Opening ${from} was cancelled.`));
    }
  });
  await pipeline(reader, fs.createWriteStream(to));
}

/** Like `stableCopy`, without blocking the event loop (the app copies a big shared file while its window stays live). */
async function stableCopyAsync(
  from: string,
  to: string,
  sourceName: string,
  progress: CopyProgress = {},
): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = await fs.promises.stat(from);
    await copyOnce(from, to, progress);
    const after = await fs.promises.stat(from);
    if (sameFile(before, after)) return;
  }
  throw keptChanging(sourceName);
}

function privateFolder(base: string): { copyPath: string; dispose: () => void } {
  let dir: string;
  try {
    fs.mkdirSync(base, { recursive: true, mode: 0o700 });
    sweepStale(base);
    dir = fs.mkdtempSync(path.join(base, `${process.pid}-`));
  } catch (error) {
    throw new HindsightError('unavailable', `No private copy of the store can be made in ${base}: ${String(error)}.`, {
      path: base,
    });
  }
  const dispose = (): void => {
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // Still in use (Windows keeps open files): swept by a later run once this process has ended.
    }
  };
  return { copyPath: path.join(dir, 'store.hindsight'), dispose };
}

/** `makePrivateCopy` for the app: the copying itself does not block the main thread. */
export async function makePrivateCopyAsync(
  source: string,
  opts: { privateDir?: string; includeWal?: boolean } & CopyProgress = {},
): Promise<PrivateCopy> {
  const { copyPath, dispose } = privateFolder(opts.privateDir ?? defaultPrivateDir());
  try {
    await stableCopyAsync(source, copyPath, source, opts);
    const withWal = opts.includeWal === true && fs.existsSync(`${source}-wal`);
    if (withWal) await stableCopyAsync(`${source}-wal`, `${copyPath}-wal`, `${source}-wal`);
    return { path: copyPath, withWal, dispose };
  } catch (error) {
    dispose();
    throw translateError(error, source);
  }
}

export function makePrivateCopy(source: string, opts: { privateDir?: string; includeWal?: boolean } = {}): PrivateCopy {
  const { copyPath, dispose } = privateFolder(opts.privateDir ?? defaultPrivateDir());
  try {
    stableCopy(source, copyPath, source);
    const withWal = opts.includeWal === true && fs.existsSync(`${source}-wal`);
    if (withWal) stableCopy(`${source}-wal`, `${copyPath}-wal`, `${source}-wal`);
    return { path: copyPath, withWal, dispose };
  } catch (error) {
    dispose();
    throw translateError(error, source);
  }
}
