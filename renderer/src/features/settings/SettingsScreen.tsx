import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import type { Settings } from '../../../../shared/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { call } from '../../lib/api';
import { settingsKey, settingsQuery } from '../../lib/settings';

/** Settings apply at once and persist in the app's data folder. */
export function SettingsScreen() {
  const queryClient = useQueryClient();
  const settings = useQuery(settingsQuery);
  const info = useQuery({ queryKey: ['app', 'info'], queryFn: () => call('app.info') });
  const update = useMutation({
    mutationFn: (patch: Partial<Settings>) => call('settings.update', patch),
    onSuccess: (next) => {
      queryClient.setQueryData(settingsKey, next);
      // Times and derived views depend on settings: redraw everything.
      void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'settings' });
    },
  });
  // Text fields save shortly after typing stops, so nothing typed is lost by closing the window.
  const timer = useRef<number | undefined>(undefined);
  const saveActor = (actor: string) => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => update.mutate({ actor }), 300);
  };
  const value = settings.data;
  if (!value) return <ErrorBanner error={settings.error} />;
  return (
    <div className="page">
      <div className="page-header">
        <h1 className="page-title">Settings</h1>
        <span className="page-subtitle">Saved as you change them.</span>
      </div>
      <ErrorBanner error={update.error} />
      <section className="panel panel-body settings-grid">
        <label htmlFor="setting-actor">Your name on commands</label>
        <div className="form-field">
          <input
            id="setting-actor"
            className="input"
            defaultValue={value.actor}
            placeholder={info.data?.userName ?? ''}
            onChange={(event) => saveActor(event.target.value)}
          />
          <span className="field-help">Recorded as the actor of commands you issue. Empty: your OS user name.</span>
        </div>

        <label htmlFor="setting-zone">Show times in</label>
        <div className="form-field">
          <select
            id="setting-zone"
            className="input"
            value={value.timeZone}
            onChange={(event) => update.mutate({ timeZone: event.target.value as Settings['timeZone'] })}
          >
            <option value="utc">UTC</option>
            <option value="local">Local time (with its UTC offset)</option>
          </select>
          <span className="field-help">Every time is labelled with its zone either way.</span>
        </div>

        <label htmlFor="setting-theme">Theme</label>
        <div className="form-field">
          <select
            id="setting-theme"
            className="input"
            value={value.theme}
            onChange={(event) => update.mutate({ theme: event.target.value as Settings['theme'] })}
          >
            <option value="system">Follow the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </div>

        <label htmlFor="setting-snapshots">Snapshot every</label>
        <div className="form-field">
          <input
            id="setting-snapshots"
            className="input"
            type="number"
            min={10}
            max={100000}
            defaultValue={value.snapshotInterval}
            onBlur={(event) => {
              const next = Number(event.target.value);
              if (Number.isInteger(next) && next !== value.snapshotInterval) update.mutate({ snapshotInterval: next });
            }}
          />
          <span className="field-help">
            events of a stream. Smaller: faster time travel on long streams, more cache. Snapshots are a cache, never
            evidence.
          </span>
        </div>

        <label htmlFor="setting-open-mode">Open files I did not create</label>
        <div className="form-field">
          <select
            id="setting-open-mode"
            className="input"
            value={value.foreignOpenMode}
            onChange={(event) => update.mutate({ foreignOpenMode: event.target.value as Settings['foreignOpenMode'] })}
          >
            <option value="read-only">Read-only evidence (recommended)</option>
            <option value="read-write">Read-write</option>
          </select>
          <span className="field-help">Read-only files are never modified; derived data goes to a private cache.</span>
        </div>
      </section>
    </div>
  );
}
