import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ReportFormatDto, ReportKindDto, ReportRecord, ReportRequest } from '../../../../shared/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { call } from '../../lib/api';
import { formatCount, formatTime } from '../../lib/format';
import { fromUtcInputValue, toUtcInputValue } from '../../lib/utcInput';
import { ReportPreview } from './ReportPreview';

const KINDS: { kind: ReportKindDto; label: string; help: string }[] = [
  {
    kind: 'entity',
    label: 'Entity history',
    help: 'Every event of one or more streams: who, when, why, state after each.',
  },
  { kind: 'actor', label: 'Actor activity', help: 'Everything an actor did in a range, including refused commands.' },
  { kind: 'window', label: 'Time window', help: 'All events in a window and the entities they touched.' },
  { kind: 'correlation', label: 'Correlation chain', help: 'The commands and events that share a correlation id.' },
  { kind: 'summary', label: 'Store summary', help: 'Counts, categories, actors, activity and integrity.' },
];

export interface ReportPrefill {
  kind?: ReportKindDto;
  streams?: string;
  actor?: string;
  correlationId?: string;
  from?: number;
  to?: number;
}

const VERIFICATION_BADGE: Record<ReportRecord['verification'], string> = {
  intact: 'badge-ok',
  tampered: 'badge-danger',
  unprovable: 'badge-warn',
};

/** Build an audit report: kind, scope, range, options; preview it here; save it in any format. */
export function ReportsScreen({ prefill }: { prefill: ReportPrefill }) {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<ReportKindDto>(prefill.kind ?? 'entity');
  const [streams, setStreams] = useState(prefill.streams ?? '');
  const [actor, setActor] = useState(prefill.actor ?? '');
  const [correlationId, setCorrelationId] = useState(prefill.correlationId ?? '');
  const [from, setFrom] = useState(prefill.from === undefined ? '' : toUtcInputValue(prefill.from));
  const [to, setTo] = useState(prefill.to === undefined ? '' : toUtcInputValue(prefill.to));
  const [includeState, setIncludeState] = useState(true);
  const [includeDiffs, setIncludeDiffs] = useState(true);
  const [includeNotes, setIncludeNotes] = useState(true);

  const request = (): ReportRequest => {
    const list = streams
      .split(/[\s,]+/)
      .map((item) => item.trim())
      .filter(Boolean);
    const fromMs = fromUtcInputValue(from) ?? undefined;
    const toMs = fromUtcInputValue(to) ?? undefined;
    return {
      kind,
      streams: kind === 'entity' && list.length > 0 ? list : undefined,
      actor: kind === 'actor' && actor.trim() ? actor.trim() : undefined,
      correlationId: kind === 'correlation' && correlationId.trim() ? correlationId.trim() : undefined,
      from: kind === 'summary' || kind === 'correlation' ? undefined : fromMs,
      to: kind === 'summary' || kind === 'correlation' ? undefined : toMs,
      includeState,
      includeDiffs,
      includeNotes,
    };
  };

  const preview = useMutation({ mutationFn: () => call('reports.preview', { request: request() }) });
  const save = useMutation({
    mutationFn: (format: ReportFormatDto) => call('reports.save', { request: request(), format }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['reports', 'recent'] }),
  });
  const recent = useQuery({ queryKey: ['reports', 'recent'], queryFn: () => call('reports.recent') });
  const help = KINDS.find((item) => item.kind === kind)?.help;

  return (
    <div className="page">
      <div className="page-header">
        <h1 className="page-title">Reports</h1>
        <span className="page-subtitle">
          Every report carries the store id, the file's SHA-256, the digest and the verification result.
        </span>
      </div>
      <section className="panel panel-body report-builder" aria-label="Report builder">
        <label className="search-field">
          <span>Kind</span>
          <select className="input" value={kind} onChange={(event) => setKind(event.target.value as ReportKindDto)}>
            {KINDS.map((item) => (
              <option key={item.kind} value={item.kind}>
                {item.label}
              </option>
            ))}
          </select>
        </label>
        {kind === 'entity' && (
          <label className="search-field report-wide">
            <span>Streams (comma-separated)</span>
            <input className="input" value={streams} onChange={(event) => setStreams(event.target.value)} />
          </label>
        )}
        {kind === 'actor' && (
          <label className="search-field report-wide">
            <span>Actor</span>
            <input className="input" value={actor} onChange={(event) => setActor(event.target.value)} />
          </label>
        )}
        {kind === 'correlation' && (
          <label className="search-field report-wide">
            <span>Correlation id</span>
            <input className="input" value={correlationId} onChange={(event) => setCorrelationId(event.target.value)} />
          </label>
        )}
        {kind !== 'summary' && kind !== 'correlation' && (
          <>
            <label className="search-field">
              <span>From (UTC){kind === 'window' ? '' : ', optional'}</span>
              <input
                className="input"
                type="datetime-local"
                step={1}
                value={from}
                onChange={(e) => setFrom(e.target.value)}
              />
            </label>
            <label className="search-field">
              <span>To (UTC){kind === 'window' ? '' : ', optional'}</span>
              <input
                className="input"
                type="datetime-local"
                step={1}
                value={to}
                onChange={(e) => setTo(e.target.value)}
              />
            </label>
          </>
        )}
        <div className="report-options">
          <label>
            <input type="checkbox" checked={includeState} onChange={(e) => setIncludeState(e.target.checked)} /> state
            after each event
          </label>
          <label>
            <input type="checkbox" checked={includeDiffs} onChange={(e) => setIncludeDiffs(e.target.checked)} /> changes
          </label>
          <label>
            <input type="checkbox" checked={includeNotes} onChange={(e) => setIncludeNotes(e.target.checked)} />{' '}
            investigation notes
          </label>
        </div>
        <p className="faint report-help">{help}</p>
        <div className="report-actions">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => preview.mutate()}
            disabled={preview.isPending}
          >
            {preview.isPending ? 'Generating…' : 'Preview'}
          </button>
          {(['html', 'pdf', 'csv', 'json'] as const).map((format) => (
            <button
              key={format}
              type="button"
              className="btn"
              onClick={() => save.mutate(format)}
              disabled={save.isPending}
            >
              Save {format.toUpperCase()}…
            </button>
          ))}
        </div>
      </section>
      <ErrorBanner error={preview.error ?? save.error} />
      {save.data && (
        <p className="notice" role="status">
          Saved {save.data.format.toUpperCase()} report to <span className="mono">{save.data.path}</span> — digest{' '}
          <span className="mono">{save.data.digest.slice(0, 20)}…</span>, {save.data.verification}.
        </p>
      )}
      {preview.data && (
        <section className="panel" aria-label="Report preview">
          <div className="panel-header">
            Preview · {preview.data.title} · {formatCount(preview.data.rows)} rows
          </div>
          <ReportPreview html={preview.data.html} />
        </section>
      )}
      <section className="panel" aria-labelledby="recent-reports">
        <div className="panel-header" id="recent-reports">
          Recent reports
        </div>
        {recent.data && recent.data.length > 0 ? (
          <table className="table" aria-label="Recent reports">
            <thead>
              <tr>
                <th>Saved</th>
                <th>Title</th>
                <th>Format</th>
                <th>Digest</th>
                <th>Verification</th>
                <th>File</th>
              </tr>
            </thead>
            <tbody>
              {recent.data.map((record) => (
                <tr key={record.path}>
                  <td className="faint">{formatTime(record.createdAt)}</td>
                  <td>{record.title}</td>
                  <td>{record.format.toUpperCase()}</td>
                  <td className="mono">{record.digest.slice(0, 18)}…</td>
                  <td>
                    <span className={`badge ${VERIFICATION_BADGE[record.verification]}`}>
                      {record.verification === 'unprovable' ? 'no tamper evidence' : record.verification}
                    </span>
                  </td>
                  <td className="mono faint" title={record.path}>
                    {record.path}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="empty">No report saved yet from this installation.</p>
        )}
      </section>
    </div>
  );
}
