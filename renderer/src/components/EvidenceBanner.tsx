import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { ForeignSourceInfo, StoreSummary } from '../../../shared/types';
import { call, errorMessage } from '../lib/api';
import { CopyButton } from './CopyButton';

/** Always visible for a read-only store: what mode it is in and which exact file bytes are shown. */
export function EvidenceBanner({ store, onChangeMapping }: { store: StoreSummary; onChangeMapping: () => void }) {
  if (store.mode !== 'read-only') return null;
  if (store.foreign) return <ForeignBanner store={store} foreign={store.foreign} onChangeMapping={onChangeMapping} />;
  return (
    <div className="evidence-banner" role="note" data-testid="evidence-banner">
      <strong>Read-only evidence — this file is never modified.</strong>
      <Fingerprint sha256={store.fileSha256} />
      {store.companionWal && <WalNotRead />}
      {store.walIncluded && (
        <span data-testid="wal-included">
          Shows the changes held in the -wal beside it (applied to a private copy; not yet in the file itself).
        </span>
      )}
    </div>
  );
}

/** A -wal beside a shared file is never applied unasked: say so, and offer to read it into the private copy. */
function WalNotRead() {
  const queryClient = useQueryClient();
  const include = useMutation({
    mutationFn: () => call('store.includeWal'),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  return (
    <span className="evidence-wal">
      A -wal file lies beside it and was not applied: changes it may hold are not shown.{' '}
      <button type="button" className="btn btn-sm" onClick={() => include.mutate()} disabled={include.isPending}>
        Show its changes
      </button>
      {include.error ? <span role="alert"> {errorMessage(include.error)}</span> : null}
    </span>
  );
}

function Fingerprint({ sha256 }: { sha256: string | null }) {
  return (
    <span className="evidence-sha">
      <span className="mono" title={sha256 ?? undefined}>
        SHA-256 {sha256 ? `${sha256.slice(0, 16)}…` : 'computing…'}
      </span>
      {sha256 && <CopyButton value={sha256} label="Copy the file's SHA-256" />}
    </span>
  );
}

/**
 * A file written by another tool, read through an adapter: say plainly that it is never modified and
 * that nothing in it can prove it was not altered; list what had to be adjusted to show it.
 */
function ForeignBanner({
  store,
  foreign,
  onChangeMapping,
}: {
  store: StoreSummary;
  foreign: ForeignSourceInfo;
  onChangeMapping: () => void;
}) {
  const [showNotes, setShowNotes] = useState(false);
  const notesId = useId();
  const count = foreign.notes.length;
  return (
    <div className="evidence-banner" role="note" data-testid="evidence-banner">
      <span>
        <strong>Read-only</strong>
        <span className="evidence-sep"> · </span>
        {foreign.label}
        <span className="evidence-sep"> · </span>
        <span title="The file has no hash chain: Hindsight cannot tell whether events were changed, removed or reordered before you received it.">
          no hash chain: this file carries no tamper evidence
        </span>
      </span>
      <Fingerprint sha256={store.fileSha256} />
      {count > 0 && (
        <button
          type="button"
          className="evidence-toggle"
          aria-expanded={showNotes}
          aria-controls={notesId}
          onClick={() => setShowNotes(!showNotes)}
        >
          {count} {count === 1 ? 'adjustment' : 'adjustments'} {showNotes ? '▴' : '▾'}
        </button>
      )}
      <span className="topbar-spacer" />
      {foreign.kind === 'table' && (
        <button type="button" className="btn btn-sm evidence-action" onClick={onChangeMapping}>
          Change mapping…
        </button>
      )}
      {count > 0 && (
        <ul className="evidence-notes" id={notesId} aria-label="How the file was read" hidden={!showNotes}>
          {foreign.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
