import type { IntegrityState, StoreSummary } from '../../../shared/types';
import { formatCount, shortHash } from '../lib/format';

export function TopBar({
  store,
  integrity,
  onClose,
  onPalette,
}: {
  store: StoreSummary | null | undefined;
  integrity: IntegrityState | undefined;
  onClose: () => void;
  onPalette: () => void;
}) {
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Hindsight
      </div>
      {store ? (
        <>
          <span className="store-name" title={store.path}>
            {store.fileName}
          </span>
          <ModeBadge mode={store.mode} />
          <IntegrityBadge integrity={integrity} />
          <span className="topbar-spacer" />
          <button type="button" className="btn btn-sm" onClick={onClose}>
            Close store
          </button>
        </>
      ) : (
        <>
          <span className="muted">No store open</span>
          <span className="topbar-spacer" />
        </>
      )}
      <button type="button" className="btn btn-sm palette-button" onClick={onPalette} title="Command palette">
        Go to… <kbd className="kbd">Ctrl K</kbd>
      </button>
    </header>
  );
}

function ModeBadge({ mode }: { mode: StoreSummary['mode'] }) {
  return mode === 'read-only' ? (
    <span className="badge badge-warn" title="This file is never modified while it is open.">
      read-only evidence
    </span>
  ) : (
    <span className="badge badge-neutral" title="Commands can append to this store.">
      read-write
    </span>
  );
}

export function IntegrityBadge({ integrity }: { integrity: IntegrityState | undefined }) {
  if (!integrity || integrity.state === 'unknown') {
    return <span className="badge badge-neutral">integrity not checked</span>;
  }
  switch (integrity.state) {
    case 'verifying': {
      const percent = integrity.total > 0 ? Math.floor((integrity.done / integrity.total) * 100) : 0;
      return (
        <span className="badge badge-accent" data-testid="integrity-badge">
          verifying… {percent}%
        </span>
      );
    }
    case 'intact':
      return (
        <span
          className="badge badge-ok"
          data-testid="integrity-badge"
          title={`Hash chain intact up to position ${integrity.result.head.position}`}
        >
          intact · {formatCount(integrity.result.head.position)}:{shortHash(integrity.result.head.hash, 4)}…
        </span>
      );
    case 'tampered':
      return (
        <span className="badge badge-danger" data-testid="integrity-badge">
          TAMPERED at {formatCount(integrity.result.firstBad?.position ?? 0)}
        </span>
      );
    case 'error':
      return (
        <span className="badge badge-danger" data-testid="integrity-badge" title={integrity.message}>
          {/* The background quick_check of a big file found damage, or the walk itself failed. */}
          {integrity.damaged ? 'DAMAGED' : 'verification failed'}
        </span>
      );
    case 'unprovable':
      return (
        <span className="badge badge-warn" data-testid="integrity-badge" title={integrity.reason}>
          no tamper evidence
        </span>
      );
    default: {
      const exhaustive: never = integrity;
      return exhaustive;
    }
  }
}
