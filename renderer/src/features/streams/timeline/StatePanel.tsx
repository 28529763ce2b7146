import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { StateAtResult, TimelineEntry } from '../../../../../shared/types';
import { ChangeList } from '../../../components/ChangeList';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { JsonTree } from '../../../components/JsonTree';
import { NoteDialog } from '../../../components/NoteDialog';
import { formatCount, formatTime } from '../../../lib/format';
import { diffQuery } from '../queries';

type Tab = 'state' | 'changes' | 'raw' | 'compare';

const TABS: { id: Tab; label: string }[] = [
  { id: 'state', label: 'State' },
  { id: 'changes', label: 'Changes' },
  { id: 'raw', label: 'Raw event' },
  { id: 'compare', label: 'Compare' },
];

/** The state at the cursor, what the event at the cursor changed, the raw event, and a two-point compare. */
export function StatePanel({
  streamId,
  state,
  entry,
  maxVersion,
  error,
  onOpenChain,
}: {
  streamId: string;
  state: StateAtResult | undefined;
  entry: TimelineEntry | undefined;
  maxVersion: number;
  error: unknown;
  onOpenChain: (eventId: string) => void;
}) {
  const [tab, setTab] = useState<Tab>('state');
  const version = state?.version ?? 0;
  return (
    <section className="state-panel" aria-label="State at the cursor">
      <div className="tabs" role="tablist" aria-label="State views">
        {TABS.map((item) => (
          <button
            key={item.id}
            type="button"
            role="tab"
            id={`tab-${item.id}`}
            aria-selected={tab === item.id}
            aria-controls={`panel-${item.id}`}
            className="tab"
            onClick={() => setTab(item.id)}
          >
            {item.label}
          </button>
        ))}
        <span className="topbar-spacer" />
        {state && (
          <span
            className="faint state-caption"
            title={`State after version ${state.version}, rebuilt with ${state.reducer}${state.fromSnapshot ? ' from a snapshot' : ''}`}
          >
            v{state.version}
          </span>
        )}
      </div>
      <div className="tab-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        <ErrorBanner error={error} />
        {tab === 'state' &&
          (state ? (
            state.version === 0 ? (
              <p className="empty">Before the first event: the entity does not exist yet.</p>
            ) : (
              <JsonTree value={state.state} changedPaths={entry?.changes.map((change) => change.path) ?? []} />
            )
          ) : (
            <p className="empty">Loading…</p>
          ))}
        {tab === 'changes' &&
          (entry ? (
            <>
              <p className="muted tab-lede">
                What <strong>{entry.eventType}</strong> (v{entry.streamVersion}) changed, from v
                {entry.streamVersion - 1}.
              </p>
              <ChangeList changes={entry.changes} />
            </>
          ) : (
            <p className="empty">Select an event to see what it changed.</p>
          ))}
        {tab === 'raw' &&
          (entry ? <RawEvent entry={entry} onOpenChain={onOpenChain} /> : <p className="empty">Select an event.</p>)}
        {tab === 'compare' && <Compare streamId={streamId} version={version} maxVersion={maxVersion} />}
      </div>
    </section>
  );
}

function RawEvent({ entry, onOpenChain }: { entry: TimelineEntry; onOpenChain: (eventId: string) => void }) {
  const meta = entry.metadata;
  const [noting, setNoting] = useState(false);
  const idRow = (label: string, value: unknown) =>
    typeof value === 'string' ? (
      <>
        <dt>{label}</dt>
        <dd className="mono">
          {value} <CopyButton value={value} label={`Copy ${label}`} />
        </dd>
      </>
    ) : null;
  return (
    <div className="raw-event">
      <div style={{ marginBottom: 'var(--space-4)' }}>
        <button type="button" className="btn btn-sm" onClick={() => setNoting(true)}>
          Bookmark this event…
        </button>
      </div>
      <NoteDialog
        target={
          noting
            ? {
                kind: 'event',
                eventId: entry.eventId,
                streamId: entry.streamId,
                version: entry.streamVersion,
                position: entry.globalPosition,
              }
            : null
        }
        title={`Note on ${entry.streamId} v${entry.streamVersion} (${entry.eventType})`}
        onClose={() => setNoting(false)}
      />
      <dl className="kv">
        <dt>Type</dt>
        <dd>{entry.eventType}</dd>
        <dt>Position</dt>
        <dd className="num">{formatCount(entry.globalPosition)}</dd>
        <dt>Recorded</dt>
        <dd>{formatTime(entry.recordedAt, true)}</dd>
        <dt>Occurred</dt>
        <dd>
          {formatTime(entry.occurredAt, true)}
          {entry.occurredAt !== entry.recordedAt && <span className="badge badge-warn">differs from recorded</span>}
        </dd>
        {idRow('event id', entry.eventId)}
        {idRow('actor', meta.actor)}
        {idRow('command id', meta.command_id)}
        {idRow('correlation id', meta.correlation_id)}
        {typeof meta.correlation_id === 'string' && (
          <>
            <dt />
            <dd>
              <button type="button" className="link" onClick={() => onOpenChain(entry.eventId)}>
                Show the whole chain of this correlation
              </button>
            </dd>
          </>
        )}
        {idRow('causation id', meta.causation_id)}
        {typeof meta.reason === 'string' && (
          <>
            <dt>Reason</dt>
            <dd>{meta.reason}</dd>
          </>
        )}
        <dt>Hash</dt>
        <dd className="mono">
          {entry.hash.slice(0, 24)}… <CopyButton value={entry.hash} label="Copy hash" />
        </dd>
      </dl>
      <h3 className="subhead">data</h3>
      <JsonTree value={entry.data} filterable={false} />
      <h3 className="subhead">metadata</h3>
      <JsonTree value={entry.metadata} filterable={false} />
    </div>
  );
}

function Compare({ streamId, version, maxVersion }: { streamId: string; version: number; maxVersion: number }) {
  const [other, setOther] = useState(Math.max(0, version - 1));
  const from = Math.min(other, version);
  const to = Math.max(other, version);
  const diff = useQuery({ ...diffQuery(streamId, from, to), enabled: from !== to });
  return (
    <div>
      <div className="compare-bar">
        <label htmlFor="compare-version">Compare the cursor (v{version}) with version</label>
        <input
          id="compare-version"
          className="input"
          type="number"
          min={0}
          max={maxVersion}
          value={other}
          onChange={(event) => setOther(Math.max(0, Math.min(maxVersion, Number(event.target.value) || 0)))}
          style={{ width: 100 }}
        />
      </div>
      <ErrorBanner error={diff.error} />
      {from === to ? (
        <p className="empty">Pick a different version to compare.</p>
      ) : (
        <>
          <p className="muted tab-lede">
            From v{from} to v{to}:
          </p>
          {diff.data && <ChangeList changes={diff.data.changes} empty="The two states are identical." />}
        </>
      )}
    </div>
  );
}
