import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount, formatTime } from '../../lib/format';
import { commandLogQuery, type OutcomeFilter } from './queries';

/** The command log: who tried what, when, and whether it was accepted. Rejections are evidence too. */
export function CommandLog() {
  const [outcome, setOutcome] = useState<OutcomeFilter>('all');
  const log = useInfiniteQuery(commandLogQuery(outcome));
  const rows = log.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="panel" aria-labelledby="command-log-heading">
      <div className="panel-header">
        <span id="command-log-heading">Command log</span>
        <span className="topbar-spacer" />
        <fieldset className="segmented" aria-label="Filter by outcome">
          {(['all', 'accepted', 'rejected'] as const).map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={outcome === option}
              className={outcome === option ? 'segmented-on' : ''}
              onClick={() => setOutcome(option)}
            >
              {option}
            </button>
          ))}
        </fieldset>
      </div>
      <ErrorBanner error={log.error} />
      <div style={{ overflow: 'auto', maxHeight: 360 }}>
        <table className="table" aria-label="Command log">
          <thead>
            <tr>
              <th>Received</th>
              <th>Command</th>
              <th>Stream</th>
              <th>Actor</th>
              <th>Outcome</th>
              <th>Positions / reason refused</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.commandId}>
                <td className="faint">{formatTime(row.receivedAt)}</td>
                <td>{row.commandType}</td>
                <td className="mono">{row.streamId ?? '—'}</td>
                <td>{row.actor}</td>
                <td>
                  <span className={`badge ${row.outcome === 'accepted' ? 'badge-ok' : 'badge-danger'}`}>
                    {row.outcome}
                  </span>
                </td>
                <td title={row.errorMessage ?? row.reason ?? ''}>
                  {row.outcome === 'accepted'
                    ? row.firstPosition === null
                      ? '—'
                      : row.firstPosition === row.lastPosition
                        ? formatCount(row.firstPosition)
                        : `${formatCount(row.firstPosition)}–${formatCount(row.lastPosition ?? row.firstPosition)}`
                    : row.errorMessage}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && !log.isPending && (
          <p className="empty">
            {outcome === 'all' ? 'No commands have been issued against this store yet.' : `No ${outcome} commands.`}
          </p>
        )}
        {log.hasNextPage && (
          <div style={{ padding: 'var(--space-4)' }}>
            <button type="button" className="btn btn-sm" onClick={() => void log.fetchNextPage()}>
              Load older commands
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
