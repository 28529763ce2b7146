import { HindsightError } from '../errors';
import type { EventStore } from '../store/eventStore';
import { validateNonNegativeInt, validateStreamId } from '../store/limits';
import type { CancelSignal, StoredEvent } from '../store/types';
import { toInterchange } from './jsonl';

export interface ExportOptions {
  /** Only this stream's events. */
  streamId?: string;
  /** Only events at this global position or later (default 1). */
  fromPosition?: number;
  signal?: CancelSignal;
  onProgress?: (done: number, total: number) => void;
}

const PAGE = 2000;

/**
 * The store's events as JSONL text (export shape: with "globalPosition" and "hash"), yielded a page
 * (up to 2000 lines) at a time so that any size can be written with constant memory. Pages are read by
 * keyset (position or version), so the walk is linear.
 */
export function* exportJsonl(store: EventStore, opts: ExportOptions = {}): Generator<string, { exported: number }> {
  const from = opts.fromPosition === undefined ? 1 : validateNonNegativeInt(opts.fromPosition, 'fromPosition');
  const streamId = opts.streamId === undefined ? undefined : validateStreamId(opts.streamId);
  const total = store.head().position;
  let exported = 0;
  const emit = (events: StoredEvent[]): string => {
    exported += events.length;
    opts.onProgress?.(events[events.length - 1]!.globalPosition, total);
    return `${events.map((event) => JSON.stringify(toInterchange(event, true))).join('\n')}\n`;
  };
  const checkCancel = (): void => {
    if (opts.signal?.aborted)
      throw new HindsightError('cancelled', `The export was cancelled after ${exported} events.`);
  };
  if (streamId === undefined) {
    let afterPosition = Math.max(0, from - 1);
    for (;;) {
      checkCancel();
      const page = store.readAll({ afterPosition, limit: PAGE });
      if (page.length > 0) yield emit(page);
      if (page.length < PAGE) break;
      afterPosition = page[page.length - 1]!.globalPosition;
    }
  } else {
    let fromVersion = 1;
    for (;;) {
      checkCancel();
      const page = store.readStream(streamId, { fromVersion, limit: PAGE });
      const wanted = page.filter((event) => event.globalPosition >= from);
      if (wanted.length > 0) yield emit(wanted);
      if (page.length < PAGE) break;
      fromVersion = page[page.length - 1]!.streamVersion + 1;
    }
  }
  return { exported };
}
