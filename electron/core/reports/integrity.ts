import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ForeignSourceInfo } from '../../../shared/types';
import { HindsightError } from '../errors';
import { readForeignInfo } from '../foreign/materialize';
import type { EventStore } from '../store/eventStore';
import type { CancelSignal } from '../store/types';
import { samePath } from './fileWriter';
import type { Integrity } from './schema';
import { shellQuote } from './text';

/**
 * The integrity evidence every report carries: what file it was made from (name, size, SHA-256 of its bytes),
 * which store (id, format version), which history (the digest: head position and hash) and whether that history
 * verified at generation time, with the one sentence that tells a third party how to re-check it.
 *
 * A foreign store (someone else's file read through an adapter into a derived store of ours) has no hash chain:
 * the derived store's chain is Hindsight's own and proves nothing about the file. Its evidence is the SHA-256 of
 * the file the user opened and the statement that there is no tamper evidence; nothing is verified and the
 * status is `unprovable`.
 */

const CHUNK = 1 << 20;

function cancelled(): HindsightError {
  return new HindsightError('cancelled', 'The report was cancelled.');
}

/** SHA-256 and size of a file, read in 1 MiB chunks (constant memory). */
function sha256File(file: string, signal?: CancelSignal): { sha256: string; size: number } {
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

/** The re-check sentence of a foreign store: the only thing a third party can check is the file's SHA-256. */
export function foreignRecheckSentence(fileName: string, sha256: string): string {
  return `To re-check: \`sha256sum ${shellQuote(fileName)}\` must print ${sha256}`;
}

export function noTamperEvidenceStatement(label: string): string {
  return `No tamper evidence: ${label} has no hash chain; this report identifies the file by its SHA-256 only.`;
}

/** What the caller knows of a foreign store it opened (the app session, the CLI). */
export interface ForeignEvidence {
  info: ForeignSourceInfo;
  /**
   * The SHA-256 of the file when it was read into the derived store. When given, a report of a file that has
   * changed since is refused: its SHA-256 would name bytes the report was not made from.
   */
  sha256?: string | null;
}

export interface IntegrityOptions {
  /** The file to fingerprint and name (default: `store.path`, the file the user opened, not a private copy). */
  filePath?: string;
  /** A `-wal` beside the file was not read (default: `store.companionWal`). */
  walNotRead?: boolean;
  /**
   * The store is a derived store of a foreign file; `filePath` must then name the foreign file. `null`: the
   * caller knows it is one of our own stores (the app and the CLI say so, so that a file claiming in its
   * store_meta to be a derived store is still verified). Not given: what the store records (`readForeignInfo`).
   */
  foreign?: ForeignEvidence | null;
  signal?: CancelSignal;
  /** Verification progress: events checked, and the head position. */
  onProgress?: (done: number, total: number) => void;
}

/** The foreign source a report's store was read from, or null for one of our own stores. */
export function foreignSourceOf(store: EventStore, opts: Pick<IntegrityOptions, 'foreign'>): ForeignEvidence | null {
  if (opts.foreign !== undefined) return opts.foreign;
  const info = readForeignInfo(store);
  return info === null ? null : { info };
}

/** The evidence of a foreign store: the file's fingerprint, what it was read as, and no verification. */
function foreignIntegrity(store: EventStore, foreign: ForeignEvidence, opts: IntegrityOptions): Integrity {
  const file = opts.filePath;
  if (file === undefined || samePath(file, store.path)) {
    throw new HindsightError(
      'invalid_input',
      "A report of a foreign store must name the file it was read from (filePath), not Hindsight's derived copy.",
      { field: 'filePath' },
    );
  }
  const info = store.info();
  const { sha256, size } = sha256File(file, opts.signal);
  const fileName = path.basename(file);
  if (foreign.sha256 && foreign.sha256 !== sha256) {
    throw new HindsightError(
      'locked',
      `${fileName} changed after it was read (its SHA-256 was ${foreign.sha256}, it is now ${sha256}): open it again to report on what it holds now.`,
      { path: file },
    );
  }
  const source = foreign.info;
  const mapping = source.mapping === null ? null : { ...source.mapping };
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
    // The adapter reads the main file only (through a private copy): a -wal beside it is never read.
    walNotRead: fs.existsSync(`${file}-wal`),
    verification: { ok: false, status: 'unprovable', eventsVerified: 0, firstBad: null },
    recheck: foreignRecheckSentence(fileName, sha256),
    foreign: {
      kind: source.kind,
      label: source.label,
      mapping,
      rows: source.rows,
      adjusted: source.adjusted,
      timeSource: source.timeSource,
      notes: [...source.notes],
      statement: noTamperEvidenceStatement(source.label),
    },
  };
}

/**
 * Takes the evidence: store facts, a full chain verification, and the file's fingerprint; for a foreign store
 * the file's fingerprint only (see the module comment).
 */
export function collectIntegrity(store: EventStore, opts: IntegrityOptions = {}): Integrity {
  const foreign = foreignSourceOf(store, opts);
  if (foreign !== null) return foreignIntegrity(store, foreign, opts);
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
