import { useQuery } from '@tanstack/react-query';
import type { ChainNodeDto } from '../../../../shared/types';
import { CopyButton } from '../../components/CopyButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { call } from '../../lib/api';
import { eventTypeHue } from '../../lib/eventColors';
import { formatCount, formatTime } from '../../lib/format';

/**
 * The correlation / causation chain: the originating command at the top, each event and each command a
 * policy triggered below what caused it, across streams; rejected commands in red with their reason;
 * every event with the state change it made. Click an event to open its timeline at that version.
 */
export function ChainScreen({
  eventId,
  correlationId,
  onOpenEvent,
  onReport,
}: {
  eventId?: string;
  correlationId?: string;
  onOpenEvent: (streamId: string, version: number) => void;
  onReport: (correlationId: string) => void;
}) {
  const query = eventId ? { eventId } : correlationId ? { correlationId } : null;
  const chain = useQuery({
    queryKey: ['store', 'chain', query],
    queryFn: () => call('chain.get', query as { eventId: string }),
    enabled: query !== null,
  });
  if (!query)
    return (
      <p className="empty">Open a chain from an event: the Chain button in Search, or an event's correlation id.</p>
    );
  return (
    <div className="page">
      <div className="page-header">
        <h1 className="page-title">Chain</h1>
        {chain.data && (
          <span className="page-subtitle">
            correlation <span className="mono">{chain.data.correlationId}</span>{' '}
            <CopyButton value={chain.data.correlationId} label="Copy correlation id" /> ·{' '}
            {formatCount(chain.data.commands)} commands ({chain.data.rejected} rejected) ·{' '}
            {formatCount(chain.data.events)} events · {chain.data.streams.length} streams
          </span>
        )}
        {chain.data && (
          <button type="button" className="btn btn-sm" onClick={() => onReport(chain.data.correlationId)}>
            Report…
          </button>
        )}
      </div>
      <ErrorBanner error={chain.error} />
      {chain.data?.truncated && <p className="notice">This chain is very long; only its first part is shown.</p>}
      {chain.data && (
        <ol className="chain-tree" aria-label="Causation tree">
          {chain.data.roots.map((node) => (
            <ChainItem
              key={`${node.kind}:${node.id}`}
              node={node}
              focus={chain.data.focusEventId}
              onOpenEvent={onOpenEvent}
            />
          ))}
        </ol>
      )}
    </div>
  );
}

function ChainItem({
  node,
  focus,
  onOpenEvent,
}: {
  node: ChainNodeDto;
  focus: string | null;
  onOpenEvent: (streamId: string, version: number) => void;
}) {
  const rejected = node.kind === 'command' && node.outcome === 'rejected';
  return (
    <li
      className={`chain-node chain-${node.kind}${rejected ? ' chain-rejected' : ''}${node.id === focus ? ' chain-focus' : ''}`}
    >
      <div className="chain-line">
        {node.kind === 'command' ? (
          <>
            <span className={`badge ${rejected ? 'badge-danger' : 'badge-neutral'}`}>
              {rejected ? 'rejected command' : 'command'}
            </span>
            <strong>{node.type}</strong>
            {node.streamId && <span className="mono faint">{node.streamId}</span>}
            <span className="faint">
              by {node.actor ?? '—'}
              {node.policy ? ` (policy ${node.policy})` : ''} · {formatTime(node.time)}
            </span>
          </>
        ) : (
          <>
            <span className="type-chip" style={{ ['--hue' as string]: eventTypeHue(node.type) }}>
              {node.type}
            </span>
            <button
              type="button"
              className="link mono"
              onClick={() => node.streamId && node.version !== null && onOpenEvent(node.streamId, node.version)}
            >
              {node.streamId} v{node.version}
            </button>
            <span className="faint">
              #{formatCount(node.position)} · {formatTime(node.time)}
            </span>
            {node.change && <span className="chain-change mono">{node.change}</span>}
          </>
        )}
      </div>
      {rejected && node.errorMessage && <div className="chain-reason">{node.errorMessage}</div>}
      {node.reason && <div className="chain-note faint">reason: {node.reason}</div>}
      {node.children.length > 0 && (
        <ol>
          {node.children.map((child) => (
            <ChainItem key={`${child.kind}:${child.id}`} node={child} focus={focus} onOpenEvent={onOpenEvent} />
          ))}
        </ol>
      )}
    </li>
  );
}
