import * as fs from 'node:fs';
import { HindsightError } from '../errors';
import { errorCodeOf, translateError } from './sqliteErrors';

/**
 * What can be learnt about a would-be store file before SQLite opens it: is it there, a regular
 * non-empty file, with the SQLite header, whole pages, and not shorter than its header says. Reading
 * is done with plain `fs` calls, so it changes nothing on disk.
 */

const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');
export const COMPANION_SUFFIXES = ['-wal', '-shm', '-journal'] as const;

export interface FileFacts {
  size: number;
  mtimeMs: number;
  pageSize: number;
  /** The header's file-format bytes say WAL mode (2) rather than rollback journal (1). */
  walModeHeader: boolean;
  /** Names (not paths) of `-wal`, `-shm` and `-journal` companions present beside the file. */
  companions: string[];
  walPresent: boolean;
}

function statOrThrow(path: string): fs.Stats {
  try {
    return fs.statSync(path);
  } catch (error) {
    const code = errorCodeOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new HindsightError('not_found', `${path} does not exist.`, { path });
    }
    throw translateError(error, path);
  }
}

export function companionsOf(path: string): string[] {
  const base = path.split(/[\\/]/).pop() ?? path;
  return COMPANION_SUFFIXES.filter((suffix) => fs.existsSync(path + suffix)).map((suffix) => base + suffix);
}

/** Reads the first 100 bytes (the SQLite header) without changing anything. */
function readHeader(path: string, size: number): Buffer {
  const header = Buffer.alloc(100);
  let fd: number | undefined;
  try {
    fd = fs.openSync(path, 'r');
    fs.readSync(fd, header, 0, Math.min(100, size), 0);
  } catch (error) {
    throw translateError(error, path);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return header;
}

export function inspectFile(path: string): FileFacts {
  const stat = statOrThrow(path);
  if (stat.isDirectory()) {
    throw new HindsightError('is_directory', `${path} is a folder, not a store file.`, { path });
  }
  if (!stat.isFile()) {
    throw new HindsightError('not_sqlite', `${path} is not a regular file.`, { path });
  }
  if (stat.size === 0) {
    throw new HindsightError('empty_file', `${path} is empty (0 bytes), so it holds no store.`, { path });
  }
  const header = readHeader(path, stat.size);
  if (stat.size < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) {
    throw new HindsightError(
      'not_sqlite',
      `${path} is not a SQLite database (its first bytes are not a SQLite header).`,
      {
        path,
      },
    );
  }
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    throw new HindsightError(
      'corrupt',
      `${path} is damaged: its header gives an impossible page size (${rawPageSize}).`,
      {
        path,
      },
    );
  }
  const companions = companionsOf(path);
  const walPresent = fs.existsSync(`${path}-wal`);
  if (stat.size % pageSize !== 0) {
    throw new HindsightError('corrupt', `${path} is damaged: it ends in the middle of a page (truncated or padded).`, {
      path,
      size: stat.size,
      pageSize,
    });
  }
  // The header's page count is valid when "version-valid-for" equals the change counter. With a -wal
  // beside the file, a crash during a checkpoint may legitimately leave the main file short; the WAL
  // completes it, so the check is left to SQLite then.
  const changeCounter = header.readUInt32BE(24);
  const pageCount = header.readUInt32BE(28);
  const validFor = header.readUInt32BE(92);
  if (!walPresent && validFor === changeCounter && pageCount > 0 && pageCount * pageSize > stat.size) {
    throw new HindsightError(
      'corrupt',
      `${path} is damaged: it is truncated (${stat.size} bytes, its header says ${pageCount * pageSize}).`,
      { path, size: stat.size, expectedSize: pageCount * pageSize },
    );
  }
  return {
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    pageSize,
    walModeHeader: header[18] === 2 || header[19] === 2,
    companions,
    walPresent,
  };
}
