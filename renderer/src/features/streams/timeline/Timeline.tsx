import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TimeAxis } from '../../../../../shared/types';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { NoteDialog } from '../../../components/NoteDialog';
import { formatCount, formatTime } from '../../../lib/format';
import { stateAtQuery, streamQuery, TIMELINE_PAGE, type TimePoint, timelinePageQuery } from '../queries';
import { EventList } from './EventList';
import { StatePanel } from './StatePanel';
import { TimeBar } from './TimeBar';
import { ValueChart } from './ValueChart';

export interface TimelineCursor {
  version?: number;
  time?: number;
  axis: TimeAxis;
}

/**
 * The entity timeline: the time bar, the event list (events after the cursor dimmed), the state at the
 * cursor with its changes, and the value chart. The cursor lives in the route, so Back returns to the
 * previous point.
 */
export function Timeline({
  streamId,
  cursor,
  onCursor,
  onOpenChain,
  onReport,
}: {
  streamId: string;
  cursor: TimelineCursor;
  onCursor: (cursor: TimelineCursor, push: boolean) => void;
  onOpenChain: (eventId: string) => void;
  onReport: (streamId: string) => void;
}) {
  const stream = useQuery(streamQuery(streamId));
  const maxVersion = stream.data?.version ?? 0;
  const [types, setTypes] = useState<string[]>([]);
  const [actors, setActors] = useState<string[]>([]);
  const [showChart, setShowChart] = useState(true);
  const [noting, setNoting] = useState(false);

  const point: TimePoint =
    cursor.time !== undefined
      ? { kind: cursor.axis === 'recorded' ? 'knownAt' : 'occurredAt', time: cursor.time }
      : { kind: 'version', version: cursor.version ?? maxVersion };
  const state = useQuery({ ...stateAtQuery(streamId, point), enabled: stream.isSuccess });
  const version = cursor.time !== undefined ? (state.data?.version ?? 0) : (cursor.version ?? maxVersion);
  const page = version > 0 ? Math.floor((version - 1) / TIMELINE_PAGE) : 0;
  const entryPage = useQuery({ ...timelinePageQuery(streamId, page), enabled: version > 0 });
  const entry = version > 0 ? entryPage.data?.[version - 1 - page * TIMELINE_PAGE] : undefined;

  const setVersion = useCallback(
    (next: number, push = true) => {
      const clamped = Math.max(0, Math.min(maxVersion, next));
      onCursor({ version: clamped, axis: cursor.axis }, push);
    },
    [maxVersion, onCursor, cursor.axis],
  );

  // ←/→ step one event anywhere on the timeline except inside text fields.
  const rootRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) {
        if (!(target as HTMLInputElement).type || (target as HTMLInputElement).type !== 'range') return;
      }
      if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
        event.preventDefault();
        setVersion(version + (event.key === 'ArrowLeft' ? -1 : 1));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setVersion, version]);

  if (stream.error) return <ErrorBanner error={stream.error} />;
  const info = stream.data;

  return (
    <div className="timeline" ref={rootRef}>
      <header className="timeline-header">
        <h1 className="page-title mono" style={{ fontSize: 'var(--text-lg)' }}>
          {streamId}
        </h1>
        <CopyButton value={streamId} label="Copy stream id" />
        <button type="button" className="btn btn-sm" onClick={() => onReport(streamId)}>
          Report…
        </button>
        <button type="button" className="btn btn-sm" onClick={() => setNoting(true)}>
          Note…
        </button>
        <NoteDialog
          target={noting ? { kind: 'stream', streamId } : null}
          title={`Note on ${streamId}`}
          onClose={() => setNoting(false)}
        />
        {info && (
          <span className="faint">
            {info.category} · {formatCount(info.version)} versions · created {formatTime(info.createdAt)} · updated{' '}
            {formatTime(info.updatedAt)}
          </span>
        )}
      </header>
      <TimeBar
        version={version}
        maxVersion={maxVersion}
        axis={cursor.axis}
        time={cursor.time ?? null}
        onVersion={(next, push) => setVersion(next, push)}
        onTime={(time) => onCursor({ time, axis: cursor.axis }, true)}
        onAxis={(axis) => onCursor({ ...cursor, axis }, true)}
      />
      <TimelineFilters types={types} actors={actors} onTypes={setTypes} onActors={setActors} />
      <div className="timeline-body">
        <EventList
          streamId={streamId}
          count={maxVersion}
          selectedVersion={version}
          types={types}
          actors={actors}
          onSelect={(next) => setVersion(next)}
        />
        <StatePanel
          streamId={streamId}
          state={state.data}
          entry={entry}
          maxVersion={maxVersion}
          error={state.error}
          onOpenChain={onOpenChain}
        />
      </div>
      <div className="timeline-chart">
        <button
          type="button"
          className="btn btn-sm btn-ghost"
          aria-expanded={showChart}
          onClick={() => setShowChart(!showChart)}
        >
          {showChart ? '▾' : '▸'} Value chart
        </button>
        {showChart && info && <ValueChart streamId={streamId} cursor={version} onSelect={(next) => setVersion(next)} />}
      </div>
    </div>
  );
}

/** Type and actor filters: comma-separated, applied as you type (hide noisy events). */
function TimelineFilters({
  types,
  actors,
  onTypes,
  onActors,
}: {
  types: string[];
  actors: string[];
  onTypes: (types: string[]) => void;
  onActors: (actors: string[]) => void;
}) {
  const split = (text: string) =>
    text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
  return (
    <div className="timeline-filters">
      <input
        className="input"
        placeholder="Only these types, e.g. MoneyDeposited, MoneyWithdrawn"
        aria-label="Filter events by type"
        defaultValue={types.join(', ')}
        onChange={(event) => onTypes(split(event.target.value))}
      />
      <input
        className="input"
        placeholder="Only these actors"
        aria-label="Filter events by actor"
        defaultValue={actors.join(', ')}
        onChange={(event) => onActors(split(event.target.value))}
      />
    </div>
  );
}
