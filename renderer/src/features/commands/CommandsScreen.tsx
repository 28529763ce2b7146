import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { CommandCatalogEntry, CommandResult } from '../../../../shared/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ApiError, call } from '../../lib/api';
import { formatCount } from '../../lib/format';
import { useSettings } from '../../lib/settings';
import { currentStoreQuery, storeKeys } from '../../lib/storeQueries';
import { CommandLog } from './CommandLog';
import { CommandResultView } from './CommandResultView';
import { appInfoQuery, catalogQuery } from './queries';
import { SchemaForm } from './SchemaForm';
import { type FieldErrors, type FormValue, initialValue, issuesToFieldErrors, toPayload, validate } from './schemaForm';

/** Issue a domain command through a form generated from its schema; see the result and the log. */
export function CommandsScreen({ onOpenStream }: { onOpenStream: (streamId: string) => void }) {
  const store = useQuery(currentStoreQuery);
  const catalog = useQuery(catalogQuery);
  const [selected, setSelected] = useState<string>('OpenAccount');
  const entry = catalog.data?.find((command) => command.type === selected);
  const readOnly = store.data?.mode === 'read-only';
  const queryClient = useQueryClient();
  // Appends a JSONL file (the interchange format) as one transaction; the main process asks for the file.
  const importer = useMutation({
    mutationFn: () => call('store.importDialog'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: storeKeys.all }),
  });

  const groups = useMemo(() => {
    const byDomain = new Map<string, CommandCatalogEntry[]>();
    for (const command of catalog.data ?? []) {
      byDomain.set(command.domain, [...(byDomain.get(command.domain) ?? []), command]);
    }
    return [...byDomain.entries()];
  }, [catalog.data]);

  return (
    <div className="page">
      <div className="page-header">
        <h1 className="page-title">Commands</h1>
        <span className="page-subtitle">
          Decided against the current state, appended atomically, logged either way.
        </span>
        <button
          type="button"
          className="btn page-header-action"
          disabled={readOnly || importer.isPending}
          onClick={() => importer.mutate()}
          title="Append every event of a JSONL file (all or nothing)"
        >
          {importer.isPending ? 'Importing…' : 'Import events (JSONL)…'}
        </button>
      </div>
      <ErrorBanner error={importer.error} />
      {importer.data && (
        <p className="notice" role="status" data-testid="import-result">
          Imported {formatCount(importer.data.imported)} events
          {importer.data.imported > 0 &&
            ` (positions ${formatCount(importer.data.firstPosition)}–${formatCount(importer.data.lastPosition)})`}
          {importer.data.skipped > 0 && `; ${formatCount(importer.data.skipped)} were already in the store`}.
        </p>
      )}
      {readOnly && (
        <p className="notice" role="note">
          This store is open as read-only evidence, so commands are disabled: nothing can be appended to it. Reopen a
          store you created (or choose read-write when opening) to issue commands.
        </p>
      )}
      <ErrorBanner error={catalog.error} />
      <div className="commands-layout">
        <nav className="panel command-picker" aria-label="Commands by domain">
          {groups.map(([domain, commands]) => (
            <div key={domain}>
              <div className="command-group">{domain}</div>
              {commands.map((command) => (
                <button
                  key={command.type}
                  type="button"
                  className="nav-item"
                  aria-current={command.type === selected ? 'true' : undefined}
                  onClick={() => setSelected(command.type)}
                  title={command.description}
                >
                  {command.type}
                  {command.corrective && <span className="badge badge-warn">corrective</span>}
                </button>
              ))}
            </div>
          ))}
        </nav>
        {entry && <CommandForm key={entry.type} entry={entry} disabled={readOnly} onOpenStream={onOpenStream} />}
      </div>
      <CommandLog />
    </div>
  );
}

function CommandForm({
  entry,
  disabled,
  onOpenStream,
}: {
  entry: CommandCatalogEntry;
  disabled: boolean;
  onOpenStream: (streamId: string) => void;
}) {
  const queryClient = useQueryClient();
  const info = useQuery(appInfoQuery);
  const [value, setValue] = useState<FormValue>(() => initialValue(entry.jsonSchema, entry.example));
  const [actor, setActor] = useState('');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [result, setResult] = useState<CommandResult | null>(null);

  const settings = useSettings();
  const defaultActor = settings?.actor || info.data?.userName;
  useEffect(() => {
    if (!actor && defaultActor) setActor(defaultActor);
  }, [actor, defaultActor]);

  const clientErrors = touched ? validate(entry.jsonSchema, value) : {};
  const errors = { ...serverErrors, ...clientErrors };
  const reasonMissing = entry.corrective && touched && reason.trim() === '';
  const actorMissing = touched && actor.trim() === '';

  const execute = useMutation({
    mutationFn: () =>
      call('commands.execute', {
        commandType: entry.type,
        payload: toPayload(entry.jsonSchema, value) as Record<string, unknown>,
        actor: actor.trim(),
        reason: reason.trim() || undefined,
      }),
    onSuccess: (outcome) => {
      setResult(outcome);
      setServerErrors(outcome.error?.code === 'invalid_input' ? issuesToFieldErrors(outcome.error.details) : {});
      void queryClient.invalidateQueries({ queryKey: storeKeys.all });
    },
    onError: (error) => {
      setResult(null);
      if (error instanceof ApiError && error.code === 'invalid_input')
        setServerErrors(issuesToFieldErrors(error.details));
    },
  });

  const submit = () => {
    setTouched(true);
    setServerErrors({});
    const problems = validate(entry.jsonSchema, value);
    if (Object.keys(problems).length > 0 || actor.trim() === '' || (entry.corrective && reason.trim() === '')) return;
    execute.mutate();
  };

  return (
    <section className="panel command-form" aria-labelledby="command-form-heading">
      <div className="panel-header">
        <span id="command-form-heading">{entry.type}</span>
      </div>
      <form
        className="panel-body"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <p className="muted" style={{ marginTop: 0 }}>
          {entry.description}
        </p>
        <fieldset disabled={disabled} className="plain-fieldset">
          <SchemaForm schema={entry.jsonSchema} value={value} errors={errors} onChange={setValue} />
          <div className="form-grid" style={{ marginTop: 'var(--space-5)' }}>
            <div className="form-field">
              <label htmlFor="command-actor">actor</label>
              <input
                id="command-actor"
                className={`input${actorMissing ? ' input-invalid' : ''}`}
                value={actor}
                onChange={(event) => setActor(event.target.value)}
                aria-invalid={actorMissing || undefined}
              />
              <span className={actorMissing ? 'field-error' : 'field-help'}>
                {actorMissing ? 'Who is issuing this command? Required.' : 'Recorded on every event and in the log.'}
              </span>
            </div>
            <div className="form-field">
              <label htmlFor="command-reason">
                reason{!entry.corrective && <span className="faint"> (optional)</span>}
              </label>
              <input
                id="command-reason"
                className={`input${reasonMissing ? ' input-invalid' : ''}`}
                value={reason}
                onChange={(event) => setReason(event.target.value)}
                aria-invalid={reasonMissing || undefined}
              />
              <span className={reasonMissing ? 'field-error' : 'field-help'}>
                {reasonMissing
                  ? 'Corrective commands need a reason an auditor can read.'
                  : 'Why this is being done: kept with the events.'}
              </span>
            </div>
          </div>
          <div style={{ marginTop: 'var(--space-5)', display: 'flex', gap: 'var(--space-4)' }}>
            <button type="submit" className="btn btn-primary" disabled={execute.isPending}>
              Execute {entry.type}
            </button>
          </div>
        </fieldset>
        <div style={{ marginTop: 'var(--space-5)' }}>
          {execute.error && !(execute.error instanceof ApiError && execute.error.code === 'invalid_input') && (
            <ErrorBanner error={execute.error} />
          )}
          {execute.error instanceof ApiError && execute.error.code === 'invalid_input' && (
            <p className="field-error" role="alert">
              {execute.error.message}
            </p>
          )}
          {result && <CommandResultView result={result} onOpenStream={onOpenStream} />}
        </div>
      </form>
    </section>
  );
}
