import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnMapping, ForeignSourceInfo } from '../../../../shared/types';
import { CopyButton, FileSha256 } from '../../components/CopyButton';
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
  const foreign = details.data?.foreign ?? null;
  const unprovable = state?.state === 'unprovable' || foreign !== null;

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
          {unprovable ? (
            // Nothing to verify and no chain to copy: say so where the buttons would be.
            <span className="panel-header-note" data-testid="no-verify">
              No hash chain: nothing to verify, no verified copy to save
            </span>
          ) : (
            <>
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
            </>
          )}
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
              <FileSha256 sha256={details.data?.fileSha256} />
            </dd>
            {foreign ? (
              <ForeignFacts foreign={foreign} />
            ) : (
              <>
                <dt>Store id</dt>
                <dd className="mono">{details.data?.storeId ?? '—'}</dd>
                <dt>Format</dt>
                <dd>{details.data ? `hindsight-event-store v${details.data.formatVersion}` : '—'}</dd>
              </>
            )}
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
            {state?.state === 'unprovable' && (
              <>
                <dt>Result</dt>
                <dd data-testid="verify-result">{state.reason}</dd>
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
      {unprovable ? <UnprovableExplanation /> : <ChainExplanation />}
    </div>
  );
}

/** Where a foreign file's events came from, and how they were read. */
function ForeignFacts({ foreign }: { foreign: ForeignSourceInfo }) {
  const mapping = foreign.mapping;
  return (
    <>
      <dt>Format</dt>
      <dd>
        {foreign.kind === 'emmett' ? 'Emmett SQLite event store (@event-driven-io/emmett-sqlite)' : foreign.label}
      </dd>
      {mapping && (
        <>
          <dt>Columns</dt>
          <dd className="mapping-summary">
            {MAPPING_PARTS.filter(([role]) => mapping[role] !== undefined).map(([role, name]) => (
              <span key={role}>
                <span className="faint">{name}</span> <span className="mono">{mapping[role]}</span>
              </span>
            ))}
          </dd>
        </>
      )}
      <dt>Rows read</dt>
      <dd className="num">
        {formatCount(foreign.rows)}
        {foreign.adjusted > 0 && ` (${formatCount(foreign.adjusted)} adjusted to be shown)`}
      </dd>
      <dt>Event times</dt>
      <dd>
        {foreign.timeSource === 'column'
          ? mapping?.time
            ? `the ${mapping.time} column`
            : 'as the file records them'
          : "the file's modification time (it has no time column)"}
      </dd>
      {foreign.notes.length > 0 && (
        <>
          <dt>Adjustments</dt>
          <dd>
            <ul className="plain-list">
              {foreign.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          </dd>
        </>
      )}
    </>
  );
}

const MAPPING_PARTS: readonly [Exclude<keyof ColumnMapping, 'table'>, string][] = [
  ['stream', 'stream'],
  ['type', 'type'],
  ['data', 'data'],
  ['metadata', 'metadata'],
  ['position', 'position'],
  ['version', 'version'],
  ['time', 'time'],
  ['eventId', 'event id'],
];

function UnprovableExplanation() {
  return (
    <section className="panel" aria-labelledby="explain-heading">
      <div className="panel-header" id="explain-heading">
        What can be proved about this file
      </div>
      <div className="panel-body muted" style={{ maxWidth: '80ch' }}>
        <p style={{ marginTop: 0 }}>
          A hash chain, as Hindsight's own stores keep, would show any change, removal or reordering of events. This
          file has none: its events are shown as the file holds them, without proof that they are as first written. So
          there is nothing to verify here, and no verified copy to save.
        </p>
        <p style={{ marginBottom: 0 }}>
          What holds: the SHA-256 above identifies exactly the bytes you opened, and Hindsight never modifies the file.
          Keep that fingerprint with your findings; a file with the same SHA-256 is the same evidence. To keep a copy,
          copy the file itself.
        </p>
      </div>
    </section>
  );
}

function ChainExplanation() {
  return (
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
  );
}
