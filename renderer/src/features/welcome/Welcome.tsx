import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ErrorBanner } from '../../components/ErrorBanner';
import { call } from '../../lib/api';
import { formatTime } from '../../lib/format';
import { needsMapping, walHoldsHistory } from '../../lib/openErrors';
import { recentFilesQuery, storeKeys } from '../../lib/storeQueries';

/**
 * The screen with no store open: what Hindsight is for, and the ways in. A SQLite file that needs a
 * column mapping goes to the mapping dialog (`onNeedsMapping`) instead of showing an error.
 */
export function Welcome({ onNeedsMapping }: { onNeedsMapping: () => void }) {
  const queryClient = useQueryClient();
  const recent = useQuery(recentFilesQuery);
  const onOpened = () => queryClient.invalidateQueries({ queryKey: storeKeys.all });
  const onOpenError = (error: unknown) => {
    if (needsMapping(error)) onNeedsMapping();
  };

  const open = useMutation({
    mutationFn: () => call('store.openDialog', {}),
    onSuccess: onOpened,
    onError: onOpenError,
  });
  const create = useMutation({ mutationFn: () => call('store.createDialog'), onSuccess: onOpened });
  const demo = useMutation({ mutationFn: () => call('demo.open', { seed: 1 }), onSuccess: onOpened });
  const openRecent = useMutation({
    mutationFn: (id: string) => call('store.openRecent', { id }),
    onSuccess: onOpened,
    onError: onOpenError,
    onSettled: () => queryClient.invalidateQueries({ queryKey: storeKeys.recent }),
  });
  const forget = useMutation({
    mutationFn: (id: string) => call('store.forgetRecent', { id }),
    onSuccess: (files) => queryClient.setQueryData(storeKeys.recent, files),
  });
  const error = [open.error, create.error, demo.error, openRecent.error, forget.error].find(
    (candidate) => candidate && !needsMapping(candidate),
  );
  // Reads the -wal into the private copy only; offered when a file's history is all in its -wal.
  const withWal = useMutation({ mutationFn: () => call('store.includeWal'), onSuccess: onOpened });

  return (
    <div className="welcome">
      <div className="welcome-card">
        <div>
          <h1 className="welcome-title">Open an event store</h1>
          <p className="welcome-lede">
            Hindsight replays the history of an event-sourced system: what happened, in what order, who did it, and what
            every entity looked like at any moment. Files you did not create open read-only, and are never modified.
          </p>
        </div>
        <div className="welcome-actions">
          <button type="button" className="btn btn-primary" onClick={() => open.mutate()} disabled={open.isPending}>
            Open a store…
          </button>
          <button type="button" className="btn" onClick={() => create.mutate()} disabled={create.isPending}>
            Create a store…
          </button>
          <button type="button" className="btn" onClick={() => demo.mutate()} disabled={demo.isPending}>
            {demo.isPending ? 'Writing the demo…' : 'Open the demo'}
          </button>
        </div>
        <ErrorBanner error={withWal.error ?? error} />
        {walHoldsHistory(error) && !withWal.error && (
          <p className="notice" role="note">
            Reading the -wal applies its changes to Hindsight's private copy only; the file and the -wal stay as they
            are.{' '}
            <button type="button" className="btn btn-sm" onClick={() => withWal.mutate()} disabled={withWal.isPending}>
              Open with the -wal's changes
            </button>
          </p>
        )}
        <section className="panel" aria-labelledby="recent-heading">
          <div className="panel-header" id="recent-heading">
            Recent files
          </div>
          {recent.data && recent.data.length > 0 ? (
            <ul className="recent-list">
              {recent.data.map((file) => (
                <li key={file.id} className="recent-item">
                  <button
                    type="button"
                    className="recent-open"
                    disabled={!file.exists || openRecent.isPending}
                    title={file.exists ? `Open ${file.path}` : 'This file is no longer there'}
                    onClick={() => openRecent.mutate(file.id)}
                  >
                    <span>
                      {file.fileName} {!file.exists && <span className="badge badge-neutral">missing</span>}
                      {file.foreign && (
                        <span className="badge badge-neutral" title="Read through an adapter; no tamper evidence">
                          {file.foreign === 'emmett' ? 'Emmett' : 'mapped table'}
                        </span>
                      )}
                    </span>
                    <span className="recent-path">{file.path}</span>
                  </button>
                  <span className="faint" style={{ fontSize: 'var(--text-xs)' }}>
                    {formatTime(file.lastOpenedAt)}
                  </span>
                  <button
                    type="button"
                    className="btn btn-sm btn-ghost"
                    aria-label={`Remove ${file.fileName} from recent files`}
                    onClick={() => forget.mutate(file.id)}
                  >
                    ✕
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">No recent files yet. Open or create a store and it will be listed here.</p>
          )}
        </section>
      </div>
    </div>
  );
}
