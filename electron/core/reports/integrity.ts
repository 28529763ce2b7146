import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HindsightError } from '../errors';
import type { EventStore } from '../store/eventStore';
import type { CancelSignal } from '../store/types';
import type { Integrity } from './schema';
import { shellQuote } from './text';

/**
 * The integrity evidence every report carries: what file it was made from (name, size, SHA-256 of its bytes),
 * which store (id, format version), which history (the digest: head position and hash) and whether that history
 * verified at generation time, with the one sentence that tells a third party how to re-check it.
 */

const CHUNK = 1 << 20;

function cancelled(): HindsightError {
  return new HindsightError('cancelled', 'The report was cancelled.');
}

/** SHA-256 and size of a file, read in 1 MiB chunks (constant memory). */
export function sha256File(file: string, signal?: CancelSignal): { sha256: string; size: number } {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(CHUNK);
  let size = 0;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new HindsightError(
      code === 'ENOENT' ? 'not_found' : code === 'EACCES' || code === 'EPERM' ? 'permission_denied' : 'internal',
      `The store file ${file} could not be read to fingerprint it: ${(error as Error).message}`,
      { path: file },
    );
  }
  try {
    for (;;) {
      if (signal?.aborted) throw cancelled();
      const read = fs.readSync(fd, buffer, 0, CHUNK, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
      size += read;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { sha256: hash.digest('hex'), size };
}

/** The sentence printed in every report. */
export function recheckSentence(fileName: string, digest: string): string {
  return `To re-check: \`hindsight verify ${shellQuote(fileName)} --digest ${digest}\``;
}

export interface IntegrityOptions {
  /** The file to fingerprint and name (default: `store.path`, the file the user opened, not a private copy). */
  filePath?: string;
  /** A `-wal` beside the file was not read (default: `store.companionWal`). */
  walNotRead?: boolean;
  signal?: CancelSignal;
  /** Verification progress: events checked, and the head position. */
  onProgress?: (done: number, total: number) => void;
}

/** Takes the evidence: store facts, a full chain verification, and the file's fingerprint. */
export function collectIntegrity(store: EventStore, opts: IntegrityOptions = {}): Integrity {
  const info = store.info();
  const result = store.verify({ onProgress: opts.onProgress, signal: opts.signal });
  if (opts.signal?.aborted) throw cancelled();
  const file = opts.filePath ?? store.path;
  const { sha256, size } = sha256File(file, opts.signal);
  const fileName = path.basename(file);
  return {
    storeId: info.storeId,
    fileName,
    fileSize: size,
    fileSha256: sha256,
    formatVersion: info.formatVersion,
    digest: info.digest,
    headPosition: info.head.position,
    headHash: info.head.hash,
    storeEvents: info.events,
    storeStreams: info.streams,
    walNotRead: opts.walNotRead ?? store.companionWal,
    verification: {
      ok: result.ok,
      status: result.ok ? 'intact' : 'tampered',
      eventsVerified: result.events,
      firstBad: result.firstBad === null ? null : { ...result.firstBad },
    },
    recheck: recheckSentence(fileName, info.digest),
  };
}
