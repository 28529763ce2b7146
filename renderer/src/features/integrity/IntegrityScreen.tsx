import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CopyButton } from '../../components/CopyButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { IntegrityBadge } from '../../components/TopBar';
import { call } from '../../lib/api';
import { formatCount, formatTime } from '../../lib/format';
import { integrityQuery, storeDetailsQuery, storeKeys } from '../../lib/storeQueries';

/** The file's integrity evidence and what the hash chain does and does not prove. */
export function IntegrityScreen({ onOpenEvent }: { onOpenEvent: (streamId: string, version: number) => void }) {
  const queryClient = useQueryClient();
  const integrity = useQuery(integrityQuery);
  const details = useQuery(storeDetailsQuery);
  const verify = useMutation({
    mutationFn: () => call('integrity.verify', {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: storeKeys.integrity }),
  });
  const copy = useMutation({ mutationFn: () => call('store.saveVerifiedCopy') });
  // The first broken position, as an event to open (the row is read as stored: it is the suspect).
  const openBroken = useMutation({
    mutationFn: (position: number) => call('log.page', { afterPosition: position - 1, limit: 1 }),
    onSuccess: (page) => {
      const event = page.items[0];
      if (event) onOpenEvent(event.streamId, event.streamVersion);
    },
  });
  const state = integrity.data;
  const result = state && (state.state === 'intact' || state.state === 'tampered') ? state.result : null;

  return (
    <div className="page">
      <div className="page-header">
        <h1 className="page-title">Integrity</h1>
        <IntegrityBadge integrity={state} />
      </div>
      <ErrorBanner error={verify.error ?? integrity.error ?? copy.error} />
      {copy.data && (
        <p className="notice" role="status">
          Saved a verified copy to <span className="mono">{copy.data.path}</span> (digest{' '}
          <span className="mono">{copy.data.digest.slice(0, 24)}…</span>).
        </p>
      )}
      <section className="panel" aria-labelledby="evidence-heading">
        <div className="panel-header" id="evidence-heading">
          Evidence
          <span className="topbar-spacer" />
          <button type="button" className="btn btn-sm" onClick={() => copy.mutate()} disabled={copy.isPending}>
            Save a verified copy…
          </button>
          <button
            type="button"
            className="btn btn-sm btn-primary"
            onClick={() => verify.mutate()}
            disabled={verify.isPending || state?.state === 'verifying'}
          >
            Verify now
          </button>
        </div>
        <div className="panel-body">
          {state?.state === 'verifying' && (
            <div
              className="progress"
              role="progressbar"
              aria-label="Verification progress"
              aria-valuenow={state.done}
              aria-valuemax={state.total}
            >
              <span style={{ width: `${state.total ? (state.done / state.total) * 100 : 0}%` }} />
            </div>
          )}
          <dl className="kv">
            <dt>File</dt>
            <dd className="mono">{details.data?.path ?? '—'}</dd>
            <dt>File SHA-256</dt>
            <dd className="mono">
              {details.data?.fileSha256 ?? 'computing…'}{' '}
              {details.data?.fileSha256 && (
                <CopyButton value={details.data.fileSha256} label="Copy the file's SHA-256" />
              )}
            </dd>
            <dt>Store id</dt>
            <dd className="mono">{details.data?.storeId ?? '—'}</dd>
            <dt>Format</dt>
            <dd>{details.data ? `hindsight-event-store v${details.data.formatVersion}` : '—'}</dd>
            {result && (
              <>
                <dt>Digest</dt>
                <dd className="mono">
                  {result.head.position}:{result.head.hash}{' '}
                  <CopyButton value={`${result.head.position}:${result.head.hash}`} label="Copy digest" />
                </dd>
                <dt>Events checked</dt>
                <dd className="num">{formatCount(result.events)}</dd>
                <dt>Result</dt>
                <dd data-testid="verify-result">
                  {result.ok
                    ? 'Every event links to the one before it: the chain is intact.'
                    : `The chain breaks at position ${formatCount(result.firstBad?.position ?? 0)} (${result.firstBad?.reason ?? 'unknown'}).`}
                  {result.firstBad && (
                    <>
                      {' '}
                      <button
                        type="button"
                        className="link"
                        onClick={() => result.firstBad && openBroken.mutate(result.firstBad.position)}
                      >
                        Open that event
                      </button>
                    </>
                  )}
                </dd>
              </>
            )}
            {state && 'checkedAt' in state && (
              <>
                <dt>Checked</dt>
                <dd>{formatTime(state.checkedAt)}</dd>
              </>
            )}
            {state?.state === 'error' && (
              <>
                <dt>Error</dt>
                <dd>{state.message}</dd>
              </>
            )}
          </dl>
        </div>
      </section>
      <section className="panel" aria-labelledby="explain-heading">
        <div className="panel-header" id="explain-heading">
          What the hash chain proves
        </div>
        <div className="panel-body muted" style={{ maxWidth: '80ch' }}>
          <p style={{ marginTop: 0 }}>
            Every event carries a SHA-256 hash of its own content and of the hash before it. Changing, removing,
            reordering or inserting an event anywhere breaks every hash after it, and verification names the first
            position where the chain no longer holds.
          </p>
          <p style={{ marginBottom: 0 }}>
            It does not prove who wrote the file, nor that events were not cut off at the end: to prove that, keep the
            digest (head position and hash) somewhere safe, and later check the file against it with{' '}
            <span className="mono">hindsight verify FILE --digest POS:HASH</span>.
          </p>
        </div>
      </section>
    </div>
  );
}
