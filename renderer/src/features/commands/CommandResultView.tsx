import type { CommandResult } from '../../../../shared/types';
import { CopyButton } from '../../components/CopyButton';
import { formatCount } from '../../lib/format';

/** What a command did: the events written (each links to its stream), or the rejection in plain words. */
export function CommandResultView({
  result,
  onOpenStream,
  depth = 0,
}: {
  result: CommandResult;
  onOpenStream: (streamId: string) => void;
  depth?: number;
}) {
  const accepted = result.outcome === 'accepted';
  return (
    <div
      className={`command-result ${accepted ? 'command-result-ok' : 'command-result-rejected'}`}
      style={{ marginLeft: depth * 16 }}
      data-testid={depth === 0 ? 'command-result' : undefined}
    >
      <div className="command-result-head">
        <span className={`badge ${accepted ? 'badge-ok' : 'badge-danger'}`}>{result.outcome}</span>
        <strong>{result.commandType}</strong>
        {result.policy && <span className="faint">by policy {result.policy}</span>}
        <span className="mono faint">{result.streamId}</span>
        {result.duplicate && <span className="badge badge-neutral">already executed — nothing written</span>}
        <span className="topbar-spacer" />
        <span className="mono faint" title={result.commandId}>
          {result.commandId.slice(0, 8)}…
        </span>
        <CopyButton value={result.commandId} label="Copy command id" />
      </div>
      {accepted ? (
        <ul className="command-events">
          {result.events.map((event) => (
            <li key={event.eventId}>
              <button type="button" className="link" onClick={() => onOpenStream(event.streamId)}>
                {event.eventType}
              </button>{' '}
              <span className="faint">
                {event.streamId} v{event.streamVersion} · position {formatCount(event.globalPosition)}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="command-rejection" role="status">
          {result.error?.message}
          {result.error?.domainCode && <span className="mono faint"> ({result.error.domainCode})</span>}
        </p>
      )}
      {result.triggered.map((child) => (
        <CommandResultView key={child.commandId} result={child} onOpenStream={onOpenStream} depth={depth + 1} />
      ))}
    </div>
  );
}
