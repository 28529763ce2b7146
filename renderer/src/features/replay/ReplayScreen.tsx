import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Bar, BarChart, ReferenceLine, ResponsiveContainer, XAxis } from 'recharts';
import type { EventRow, SearchFiltersDto } from '../../../../shared/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { JsonTree } from '../../components/JsonTree';
import { call } from '../../lib/api';
import { eventTypeHue } from '../../lib/eventColors';
import { formatCount, formatTime } from '../../lib/format';
import { fromUtcInputValue, toUtcInputValue } from '../../lib/utcInput';
import { REPLAY_MAX_EVENTS, useReplayEvents } from './useReplayEvents';

const SPEEDS = [1, 2, 5, 10, 100] as const;
const BUCKETS = 60;

export interface ReplayParams {
  from?: number;
  to?: number;
  correlation?: string;
  cursor: number;
}

/**
 * Replay a window of history (or one correlation) event by event: play at 1×–100× the recorded pace
 * (long pauses shortened), step, jump; the entities touched so far with their state at the cursor.
 */
export function ReplayScreen({
  params,
  onParams,
  onOpenEvent,
  onReadModelsAt,
}: {
  params: ReplayParams;
  onParams: (params: ReplayParams, push: boolean) => void;
  onOpenEvent: (streamId: string, version: number) => void;
  onReadModelsAt: (time: number) => void;
}) {
  const filters: SearchFiltersDto | null = params.correlation
    ? { correlationId: params.correlation }
    : params.from !== undefined && params.to !== undefined
      ? { recordedFrom: params.from, recordedTo: params.to }
      : null;
  const loaded = useReplayEvents(filters);
  const events = loaded.data?.events ?? [];
  const cursor = Math.min(params.cursor, Math.max(0, events.length - 1));
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<(typeof SPEEDS)[number]>(10);
  const setCursor = (next: number, push = false) =>
    onParams({ ...params, cursor: Math.max(0, Math.min(events.length - 1, next)) }, push);

  // The player: waits the recorded gap to the next event divided by the speed (at most 1.5 s, at least 40 ms).
  const cursorRef = useRef(cursor);
  cursorRef.current = cursor;
  useEffect(() => {
    if (!playing) return;
    const current = events[cursorRef.current];
    const next = events[cursorRef.current + 1];
    if (!current || !next) {
      setPlaying(false);
      return;
    }
    const delay = Math.min(1500, Math.max(40, (next.recordedAt - current.recordedAt) / speed));
    const timer = window.setTimeout(() => setCursor(cursorRef.current + 1), delay);
    return () => window.clearTimeout(timer);
  });

  return (
    <div className="replay">
      <WindowForm params={params} onParams={onParams} />
      <ErrorBanner error={loaded.error} />
      {filters === null ? (
        <p className="empty">
          Choose a window of time (UTC) or a correlation id, then Load. Tip: from a spike on the Overview, or a chain.
        </p>
      ) : events.length === 0 ? (
        <p className="empty">{loaded.isPending ? 'Loading…' : 'No events in this window.'}</p>
      ) : (
        <>
          <div className="replay-transport">
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => setCursor(0, true)}
              aria-label="Jump to the start"
            >
              |◀
            </button>
            <button type="button" className="btn btn-sm" onClick={() => setCursor(cursor - 1)} aria-label="Step back">
              ◀
            </button>
            <button type="button" className="btn btn-sm btn-primary replay-play" onClick={() => setPlaying(!playing)}>
              {playing ? 'Pause' : 'Play'}
            </button>
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => setCursor(cursor + 1)}
              aria-label="Step forward"
            >
              ▶
            </button>
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => setCursor(events.length - 1, true)}
              aria-label="Jump to the end"
            >
              ▶|
            </button>
            <label className="replay-speed">
              Speed
              <select
                className="input"
                value={speed}
                onChange={(event) => setSpeed(Number(event.target.value) as (typeof SPEEDS)[number])}
              >
                {SPEEDS.map((value) => (
                  <option key={value} value={value}>
                    {value}×
                  </option>
                ))}
              </select>
            </label>
            <input
              type="range"
              className="timebar-slider"
              min={0}
              max={events.length - 1}
              value={cursor}
              aria-label="Replay position"
              onChange={(event) => setCursor(Number(event.target.value))}
            />
            <span className="num replay-counter" data-testid="replay-counter">
              {formatCount(cursor + 1)} / {formatCount(events.length)}
            </span>
            <span className="faint">{formatTime(events[cursor]?.recordedAt)}</span>
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => {
                const time = events[cursor]?.recordedAt;
                if (time !== undefined) onReadModelsAt(time);
              }}
            >
              Read models as of here
            </button>
          </div>
          {loaded.data && loaded.data.total > REPLAY_MAX_EVENTS && (
            <p className="notice">
              This window holds {formatCount(loaded.data.total)} events; the replay covers its first{' '}
              {formatCount(REPLAY_MAX_EVENTS)}. Narrow the window to see the rest.
            </p>
          )}
          <ReplayActivity events={events} cursor={cursor} onCursor={(index) => setCursor(index, true)} />
          <div className="replay-body">
            <EventFeed events={events} cursor={cursor} onOpenEvent={onOpenEvent} />
            <TouchedEntities events={events} cursor={cursor} />
          </div>
        </>
      )}
    </div>
  );
}

function WindowForm({
  params,
  onParams,
}: {
  params: ReplayParams;
  onParams: (p: ReplayParams, push: boolean) => void;
}) {
  const [from, setFrom] = useState(params.from === undefined ? '' : toUtcInputValue(params.from));
  const [to, setTo] = useState(params.to === undefined ? '' : toUtcInputValue(params.to));
  const [correlation, setCorrelation] = useState(params.correlation ?? '');
  return (
    <form
      className="replay-form"
      aria-label="Replay window"
      onSubmit={(event) => {
        event.preventDefault();
        const fromMs = fromUtcInputValue(from);
        const toMs = fromUtcInputValue(to);
        if (correlation.trim()) onParams({ correlation: correlation.trim(), cursor: 0 }, true);
        else if (fromMs !== null && toMs !== null) onParams({ from: fromMs, to: toMs, cursor: 0 }, true);
      }}
    >
      <label className="search-field">
        <span>From (UTC)</span>
        <input
          className="input"
          type="datetime-local"
          step={1}
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
      </label>
      <label className="search-field">
        <span>To (UTC)</span>
        <input className="input" type="datetime-local" step={1} value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <span className="faint">or</span>
      <label className="search-field">
        <span>Correlation id</span>
        <input className="input" value={correlation} onChange={(e) => setCorrelation(e.target.value)} />
      </label>
      <button type="submit" className="btn btn-primary">
        Load
      </button>
    </form>
  );
}

function ReplayActivity({
  events,
  cursor,
  onCursor,
}: {
  events: EventRow[];
  cursor: number;
  onCursor: (index: number) => void;
}) {
  const data = useMemo(() => {
    const first = events[0]?.recordedAt ?? 0;
    const last = events.at(-1)?.recordedAt ?? first;
    const width = Math.max(1, Math.ceil((last - first + 1) / BUCKETS));
    const buckets = Array.from({ length: BUCKETS }, (_, index) => ({
      start: first + index * width,
      count: 0,
      index: 0,
    }));
    events.forEach((event, index) => {
      const bucket = buckets[Math.min(BUCKETS - 1, Math.floor((event.recordedAt - first) / width))];
      if (bucket) {
        if (bucket.count === 0) bucket.index = index;
        bucket.count++;
      }
    });
    return buckets;
  }, [events]);
  const cursorTime = events[cursor]?.recordedAt ?? 0;
  return (
    <figure className="replay-activity" aria-label="Activity in the window">
      <ResponsiveContainer width="100%" height={56}>
        <BarChart
          data={data}
          margin={{ top: 4, right: 8, bottom: 0, left: 8 }}
          barCategoryGap={1}
          onClick={(state) => {
            const bucket = data[Number(state?.activeTooltipIndex)];
            if (bucket && bucket.count > 0) onCursor(bucket.index);
          }}
        >
          <XAxis dataKey="start" type="number" domain={['dataMin', 'dataMax']} hide />
          <Bar dataKey="count" fill="var(--fg-faint)" isAnimationActive={false} />
          <ReferenceLine x={cursorTime} stroke="var(--accent)" strokeWidth={2} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

function EventFeed({
  events,
  cursor,
  onOpenEvent,
}: {
  events: EventRow[];
  cursor: number;
  onOpenEvent: (streamId: string, version: number) => void;
}) {
  const shown = events.slice(Math.max(0, cursor - 60), cursor + 1);
  const endRef = useRef<HTMLLIElement>(null);
  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'nearest' });
  });
  return (
    <section className="panel replay-feed" aria-label="Events so far">
      <div className="panel-header">Events so far</div>
      <ol className="replay-list">
        {shown.map((event, index) => {
          const last = index === shown.length - 1;
          return (
            <li key={event.globalPosition} ref={last ? endRef : undefined} className={last ? 'replay-current' : ''}>
              <span className="faint num">{formatTime(event.recordedAt).slice(11, 19)}</span>
              <span className="type-chip" style={{ ['--hue' as string]: eventTypeHue(event.eventType) }}>
                {event.eventType}
              </span>
              <button
                type="button"
                className="link mono"
                onClick={() => onOpenEvent(event.streamId, event.streamVersion)}
              >
                {event.streamId} v{event.streamVersion}
              </button>
              <span className="faint">{typeof event.metadata.actor === 'string' ? event.metadata.actor : ''}</span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** The entities the replay has touched so far (most recent first), each with its state at the cursor. */
function TouchedEntities({ events, cursor }: { events: EventRow[]; cursor: number }) {
  const touched = useMemo(() => {
    const latest = new Map<string, number>();
    for (let i = 0; i <= cursor && i < events.length; i++) {
      const event = events[i];
      if (event) latest.set(event.streamId, event.streamVersion);
    }
    return [...latest.entries()].reverse().slice(0, 6);
  }, [events, cursor]);
  return (
    <section className="panel replay-entities" aria-label="Entities touched">
      <div className="panel-header">Entities touched ({touched.length === 6 ? 'latest 6' : touched.length})</div>
      <div className="replay-entity-grid">
        {touched.map(([streamId, version]) => (
          <EntityState key={streamId} streamId={streamId} version={version} />
        ))}
      </div>
    </section>
  );
}

function EntityState({ streamId, version }: { streamId: string; version: number }) {
  const state = useQuery({
    queryKey: ['store', 'stateAt', streamId, { kind: 'version', version }],
    queryFn: () => call('history.stateAt', { streamId, version }),
    placeholderData: (previous) => previous,
  });
  return (
    <div className="replay-entity">
      <div className="mono replay-entity-id">
        {streamId} <span className="faint">v{version}</span>
      </div>
      {state.data && <JsonTree value={state.data.state} filterable={false} />}
    </div>
  );
}
