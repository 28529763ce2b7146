import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { ColumnMapping, ForeignTable, JobProgress, MappingCandidates } from '../../../../shared/types';
import { Dialog } from '../../components/Dialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ApiError, call } from '../../lib/api';
import { formatCount } from '../../lib/format';

type Role = Exclude<keyof ColumnMapping, 'table'>;
type Choice = Record<Role, string>;

/** The roles a column can play, in the order the dialog lists them (top to bottom, then the second column). */
const ROLES: readonly { role: Role; label: string; required: boolean; hint: string }[] = [
  { role: 'stream', label: 'Stream', required: true, hint: 'The entity each event belongs to.' },
  { role: 'type', label: 'Event type', required: true, hint: 'What happened, e.g. OrderPlaced.' },
  { role: 'data', label: 'Data', required: true, hint: 'The payload, JSON or text.' },
  { role: 'metadata', label: 'Metadata', required: false, hint: 'JSON with actor, correlation id and the like.' },
  { role: 'position', label: 'Position', required: false, hint: "The log's order; else time, then row order." },
  { role: 'version', label: 'Stream version', required: false, hint: "The event's number within its stream." },
  { role: 'time', label: 'Time', required: false, hint: "When it was recorded; else the file's time." },
  { role: 'eventId', label: 'Event id', required: false, hint: 'A unique id per event (UUID).' },
];

const EMPTY: Choice = {
  stream: '',
  type: '',
  data: '',
  position: '',
  version: '',
  metadata: '',
  time: '',
  eventId: '',
};

const candidatesKey = ['foreign', 'mappingCandidates'] as const;

/**
 * Reads a table of someone else's SQLite file as events: the user picks the table and which column is
 * which, sees the first rows as they will be read, and opens it (read-only, as a job with progress).
 */
export function MappingDialog({
  open,
  onClose,
  jobs,
}: {
  open: boolean;
  onClose: () => void;
  /** Running jobs, for the progress of reading the table. */
  jobs: readonly JobProgress[];
}) {
  // Esc goes through the form's own cancel when it has one, so that it also stops a table being read.
  const cancelRef = useRef<(() => void) | null>(null);
  return (
    <Dialog
      open={open}
      onClose={() => (cancelRef.current ?? onClose)()}
      label="Map columns to events"
      className="mapping-dialog"
    >
      <MappingLoader onClose={onClose} jobs={jobs} cancelRef={cancelRef} />
    </Dialog>
  );
}

type CancelRef = { current: (() => void) | null };

function MappingLoader({
  onClose,
  jobs,
  cancelRef,
}: {
  onClose: () => void;
  jobs: readonly JobProgress[];
  cancelRef: CancelRef;
}) {
  // Asked afresh every time the dialog opens: the file waiting for a mapping may have changed.
  const candidates = useQuery({
    queryKey: candidatesKey,
    queryFn: () => call('store.mappingCandidates'),
    staleTime: 0,
    gcTime: 0,
  });
  if (candidates.data) {
    return (
      <MappingForm
        key={candidates.data.path}
        candidates={candidates.data}
        onClose={onClose}
        jobs={jobs}
        cancelRef={cancelRef}
      />
    );
  }
  return (
    <div className="dialog-body">
      <h2 className="dialog-title">Map columns to events</h2>
      {candidates.error ? (
        <ErrorBanner error={candidates.error} />
      ) : (
        <p className="muted">Reading the file's tables…</p>
      )}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function initialChoice(candidates: MappingCandidates, table: string): Choice {
  const known = [candidates.remembered, candidates.suggested].find((mapping) => mapping?.table === table);
  if (!known) return EMPTY;
  const choice = { ...EMPTY };
  for (const { role } of ROLES) choice[role] = known[role] ?? '';
  return choice;
}

function toMapping(table: string, choice: Choice): ColumnMapping {
  const mapping: ColumnMapping = { table, stream: choice.stream, type: choice.type, data: choice.data };
  for (const { role, required } of ROLES) {
    if (!required && choice[role] !== '') mapping[role] = choice[role];
  }
  return mapping;
}

function MappingForm({
  candidates,
  onClose,
  jobs,
  cancelRef,
}: {
  candidates: MappingCandidates;
  onClose: () => void;
  jobs: readonly JobProgress[];
  cancelRef: CancelRef;
}) {
  const queryClient = useQueryClient();
  const firstTable =
    candidates.remembered?.table ??
    candidates.suggested?.table ??
    candidates.tables.find((table) => table.rows > 0)?.name ??
    candidates.tables[0]?.name ??
    '';
  const [tableName, setTableName] = useState(firstTable);
  const [choice, setChoice] = useState<Choice>(() => initialChoice(candidates, firstTable));
  const [remember, setRemember] = useState(true);
  const tableRef = useRef<HTMLSelectElement>(null);
  const table = candidates.tables.find((candidate) => candidate.name === tableName);

  const openMapped = useMutation({
    mutationFn: () => call('store.openMapped', { mapping: toMapping(tableName, choice), remember }),
    onSuccess: () => {
      void queryClient.invalidateQueries();
      onClose();
    },
  });
  const complete = choice.stream !== '' && choice.type !== '' && choice.data !== '';
  const canOpen = complete && table !== undefined && !openMapped.isPending;
  const job = openMapped.isPending ? jobs.find((running) => running.kind === 'foreign') : undefined;
  const percent = job && job.total > 0 ? Math.floor((job.done / job.total) * 100) : null;
  // A refused mapping names the role it is about (`details.field`): that select is marked.
  const badField = openMapped.error instanceof ApiError ? openMapped.error.details?.field : undefined;

  useEffect(() => {
    tableRef.current?.focus();
  }, []);

  // Cancel while the table is being read stops the reading too. The reading job may not have reported
  // yet (the file is fingerprinted first): then the dialog says "Stopping…" until it can be cancelled.
  const [stopping, setStopping] = useState(false);
  const cancel = () => {
    if (!openMapped.isPending) onClose();
    else setStopping(true);
  };
  const jobId = job?.jobId;
  useEffect(() => {
    if (!stopping) return;
    if (jobId) {
      void call('jobs.cancel', { jobId }).catch(() => undefined);
      onClose();
    } else if (!openMapped.isPending) {
      onClose(); // it finished (or failed) before it could be stopped
    }
  }, [stopping, jobId, openMapped.isPending, onClose]);
  useEffect(() => {
    cancelRef.current = cancel;
    return () => {
      cancelRef.current = null;
    };
  });

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    // Enter opens from any field (a select would otherwise swallow it); buttons keep their own Enter.
    const target = event.target as HTMLElement;
    if (event.key !== 'Enter' || target.tagName === 'BUTTON') return;
    event.preventDefault();
    if (canOpen) event.currentTarget.requestSubmit();
  };

  return (
    <form
      className="dialog-body mapping-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (canOpen) openMapped.mutate();
      }}
      onKeyDown={onKeyDown}
    >
      <h2 className="dialog-title">Map columns to events</h2>
      <p className="mapping-lede">
        <span className="mono">{candidates.fileName}</span> is a SQLite file, not an event store Hindsight knows. Choose
        the table that holds the events and the column for each part. The file is only read, never changed.
      </p>

      <label className="mapping-table">
        <span className="mapping-label">Table</span>
        <select
          ref={tableRef}
          className={`input${badField === 'table' ? ' input-invalid' : ''}`}
          aria-invalid={badField === 'table' || undefined}
          value={tableName}
          disabled={openMapped.isPending}
          onChange={(event) => {
            setTableName(event.target.value);
            setChoice(initialChoice(candidates, event.target.value));
            openMapped.reset();
          }}
        >
          {candidates.tables.map((candidate) => (
            <option key={candidate.name} value={candidate.name}>
              {candidate.name} — {formatCount(candidate.rows)} {candidate.rows === 1 ? 'row' : 'rows'}
            </option>
          ))}
        </select>
      </label>

      <h3 className="subhead" id="mapping-columns-heading">
        Columns <span className="subhead-aside">(* required)</span>
      </h3>
      <fieldset className="mapping-roles" aria-labelledby="mapping-columns-heading">
        {ROLES.map(({ role, label, required, hint }) => (
          <label key={role} className="mapping-role" title={hint}>
            <span className="mapping-label">
              {label}
              {required && (
                <span className="required-mark" aria-hidden="true">
                  {' '}
                  *
                </span>
              )}
            </span>
            <select
              className={`input${badField === role ? ' input-invalid' : ''}`}
              aria-invalid={badField === role || undefined}
              value={choice[role]}
              aria-required={required}
              disabled={openMapped.isPending}
              aria-description={hint}
              onChange={(event) => {
                setChoice({ ...choice, [role]: event.target.value });
                openMapped.reset();
              }}
            >
              <option value="">— none —</option>
              {table?.columns.map((column) => (
                <option key={column.name} value={column.name}>
                  {column.declaredType ? `${column.name} (${column.declaredType})` : column.name}
                </option>
              ))}
            </select>
          </label>
        ))}
      </fieldset>

      {table && <Preview table={table} choice={choice} />}

      <ErrorBanner error={openMapped.error} />

      <div className="dialog-actions">
        <label className="mapping-remember">
          <input
            type="checkbox"
            checked={remember}
            disabled={openMapped.isPending}
            onChange={(event) => setRemember(event.target.checked)}
          />
          Remember this mapping for this file
        </label>
        <span className="topbar-spacer" />
        <button type="button" className="btn" onClick={cancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary mapping-open" disabled={!canOpen}>
          {stopping
            ? 'Stopping…'
            : openMapped.isPending
              ? percent === null
                ? 'Reading…'
                : `Reading… ${percent}%`
              : 'Open'}
        </button>
      </div>
    </form>
  );
}

/** The first rows of the table as they will be read: plain text, exactly as the file holds them. */
function Preview({ table, choice }: { table: ForeignTable; choice: Choice }) {
  const cell = (row: Record<string, string>, role: Role) => (choice[role] === '' ? undefined : row[choice[role]]);
  const order = choice.position
    ? `Ordered by ${choice.position}.`
    : choice.time
      ? `Ordered by ${choice.time}, then by the table's row order.`
      : "In the table's row order.";
  const time = choice.time ? '' : " No time column: every event is shown at the file's modification time.";
  return (
    <section className="mapping-preview" aria-labelledby="mapping-preview-heading">
      <h3 className="subhead" id="mapping-preview-heading">
        Preview{' '}
        <span className="subhead-aside">
          {table.sample.length === 0
            ? '— the table is empty'
            : `— the first ${table.sample.length} of ${formatCount(table.rows)} rows, as they will be read`}
        </span>
      </h3>
      {table.sample.length > 0 && (
        <table className="table mapping-preview-table">
          <thead>
            <tr>
              <th scope="col">Stream</th>
              <th scope="col">Type</th>
              <th scope="col">Time</th>
              <th scope="col">Data</th>
            </tr>
          </thead>
          <tbody>
            {table.sample.map((row, index) => (
              // Sample rows have no identity of their own; their order is fixed.
              // biome-ignore lint/suspicious/noArrayIndexKey: the sample is a fixed list of the first rows.
              <tr key={index}>
                <PreviewCell value={cell(row, 'stream')} />
                <PreviewCell value={cell(row, 'type')} />
                <PreviewCell value={cell(row, 'time')} missing="file time" />
                <PreviewCell value={cell(row, 'data')} wide />
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="mapping-note">
        {order}
        {time}
      </p>
    </section>
  );
}

function PreviewCell({
  value,
  missing = '—',
  wide = false,
}: {
  value: string | undefined;
  missing?: string;
  wide?: boolean;
}) {
  return value === undefined ? (
    <td className="faint">{missing}</td>
  ) : (
    <td className={`mono${wide ? ' mapping-preview-data' : ''}`} title={value}>
      {value}
    </td>
  );
}
