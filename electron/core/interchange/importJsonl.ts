import { HindsightError } from '../errors';
import { runJob } from '../jobs/runner';
import type { EventStore } from '../store/eventStore';
import type { PreparedEvent } from '../store/prepareEvent';
import type { CancelSignal } from '../store/types';
import { atLine, type ParsedLine } from './parseJsonl';

export interface ImportOptions {
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  signal?: AbortSignal | CancelSignal;
}

export interface ImportResult {
  /** Events appended. */
  imported: number;
  /** Lines whose event id was already stored with the same content (a repeated import): nothing written. */
  skipped: number;
  /** Non-blank lines read. */
  lines: number;
  /** Positions written (0 when nothing was). */
  firstPosition: number;
  lastPosition: number;
}

/**
 * Appends every event of a JSONL file (docs/cli.md, "JSONL interchange") in ONE transaction: either the
 * whole file is imported or, at the first bad line, nothing is (the error names the line). Lines without
 * `streamVersion` go to the end of their stream; with one, it must be the stream's next version. Event
 * ids, recorded and occurred times are preserved; recorded times must not decrease.
 *
 * Speed: a worker thread parses and canonicalizes lines (`interchange.parse`) while this thread appends
 * them through one append session (head and streams kept in memory, each stream row written once). The
 * write transaction stays open across the awaits; the store refuses other writes meanwhile.
 */
export async function importJsonl(store: EventStore, file: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const result: ImportResult = { imported: 0, skipped: 0, lines: 0, firstPosition: 0, lastPosition: 0 };
  const window = new SharedArrayBuffer(4);
  const consumed = new Int32Array(window);
  await store.transactionAsync(async () => {
    const session = store.openAppendSession();
    const onData = (value: unknown): void => {
      for (const line of value as ParsedLine[]) {
        const prepared: PreparedEvent = {
          eventId: line[3] ?? undefined,
          eventType: line[4],
          schemaVersion: line[5],
          data: line[6],
          metadata: line[7],
          occurredAt: line[8] ?? undefined,
          recordedAt: line[9] ?? undefined,
        };
        try {
          const appended = session.append(line[1], [prepared], line[2] < 0 ? 'any' : line[2], { collect: false });
          result.lines++;
          if (appended.duplicate) {
            result.skipped++;
          } else {
            result.imported++;
            if (result.firstPosition === 0) result.firstPosition = appended.firstPosition;
            result.lastPosition = appended.lastPosition;
          }
        } catch (error) {
          throw atLine(error, line[0], file);
        }
      }
      Atomics.add(consumed, 0, 1);
      Atomics.notify(consumed, 0);
    };
    await runJob('interchange.parse', { file, window }, { onData, onProgress: opts.onProgress, signal: opts.signal });
    if (opts.signal?.aborted) throw new HindsightError('cancelled', 'The import was cancelled; nothing was imported.');
    session.flush();
  });
  return result;
}
