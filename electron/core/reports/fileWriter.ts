import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HindsightError } from '../errors';

/**
 * Writes a report to a temporary file beside its target, in chunks (text is buffered up to 1 MiB, then
 * written), and renames it over the target only when `commit` is called: a report that fails or is cancelled
 * leaves nothing behind (`abort` removes the temporary file), and a reader never sees a half-written report.
 */

const FLUSH_AT = 1 << 20;

function fsError(error: unknown, file: string, doing: string): HindsightError {
  const code = (error as NodeJS.ErrnoException).code;
  const message = `${doing} ${file} failed: ${(error as Error).message}`;
  if (code === 'ENOENT') return new HindsightError('not_found', message, { path: file });
  if (code === 'EISDIR') return new HindsightError('is_directory', message, { path: file });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new HindsightError('permission_denied', message, { path: file });
  }
  return new HindsightError('internal', message, { path: file });
}

/** The two paths name the same file (after symlinks; compared as given when either does not exist). */
export function samePath(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}

/** A temporary file name beside `target`, hidden, ending in `suffix`. */
export function tempPathBeside(target: string, suffix = '.tmp'): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}${suffix}`,
  );
}

export class AtomicFileWriter {
  readonly target: string;
  readonly tempPath: string;
  private fd: number | undefined;
  private buffer: string[] = [];
  private buffered = 0;
  private written = 0;
  private done = false;

  constructor(target: string, suffix = '.tmp') {
    this.target = path.resolve(target);
    if (fs.existsSync(this.target) && fs.statSync(this.target).isDirectory()) {
      throw new HindsightError('is_directory', `${this.target} is a folder; give the path of a file to write.`, {
        path: this.target,
      });
    }
    this.tempPath = tempPathBeside(this.target, suffix);
    try {
      this.fd = fs.openSync(this.tempPath, 'wx', 0o644);
    } catch (error) {
      throw fsError(error, path.dirname(this.target), 'Writing into the folder');
    }
  }

  /** Bytes written so far (after `commit`: the file's size). */
  get bytes(): number {
    return this.written;
  }

  write(chunk: string | Uint8Array): void {
    if (typeof chunk !== 'string') {
      this.flush();
      this.writeBytes(chunk);
      return;
    }
    if (chunk === '') return;
    this.buffer.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered >= FLUSH_AT) this.flush();
  }

  private writeBytes(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) {
      offset += fs.writeSync(this.fd!, bytes, offset, bytes.length - offset);
    }
    this.written += bytes.length;
  }

  private flush(): void {
    if (this.buffered === 0) return;
    const bytes = Buffer.from(this.buffer.join(''), 'utf8');
    this.buffer = [];
    this.buffered = 0;
    try {
      this.writeBytes(bytes);
    } catch (error) {
      throw fsError(error, this.tempPath, 'Writing');
    }
  }

  /** Flushes, syncs and renames the temporary file over the target. */
  commit(): void {
    if (this.done) throw new Error('The report file was already finished.');
    try {
      this.flush();
      fs.fsyncSync(this.fd!);
      fs.closeSync(this.fd!);
      this.fd = undefined;
      fs.renameSync(this.tempPath, this.target);
      this.done = true;
    } catch (error) {
      this.abort();
      throw error instanceof HindsightError ? error : fsError(error, this.target, 'Saving');
    }
  }

  /** Removes the temporary file (idempotent; never throws). */
  abort(): void {
    if (this.done) return;
    this.done = true;
    try {
      if (this.fd !== undefined) fs.closeSync(this.fd);
    } catch {
      // Already closed.
    }
    this.fd = undefined;
    fs.rmSync(this.tempPath, { force: true });
  }
}
