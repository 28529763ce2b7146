import type { StoreSummary } from '../../../shared/types';
import { CopyButton } from './CopyButton';

/** Always visible for a read-only store: what mode it is in and which exact file bytes are shown. */
export function EvidenceBanner({ store }: { store: StoreSummary }) {
  if (store.mode !== 'read-only') return null;
  return (
    <div className="evidence-banner" role="note" data-testid="evidence-banner">
      <strong>Read-only evidence — this file is never modified.</strong>
      <span className="mono">SHA-256 {store.fileSha256 ? `${store.fileSha256.slice(0, 16)}…` : 'computing…'}</span>
      {store.fileSha256 && <CopyButton value={store.fileSha256} label="Copy the file's SHA-256" />}
      {store.companionWal && (
        <span>A -wal file lies beside it and was not applied: changes it may hold are not shown.</span>
      )}
    </div>
  );
}
