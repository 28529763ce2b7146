import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MenuAction, SearchFiltersDto } from '../../shared/types';
import { CommandPalette, type PaletteAction } from './components/CommandPalette';
import { ErrorBanner } from './components/ErrorBanner';
import { EvidenceBanner } from './components/EvidenceBanner';
import { JobsPanel } from './components/JobsPanel';
import { ShortcutsHelp } from './components/ShortcutsHelp';
import { SIDEBAR_ITEMS, Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { TopBar } from './components/TopBar';
import { ChainScreen } from './features/chain/ChainScreen';
import { CommandsScreen } from './features/commands/CommandsScreen';
import { MappingDialog } from './features/foreign/MappingDialog';
import { IntegrityScreen } from './features/integrity/IntegrityScreen';
import { NotesScreen } from './features/notes/NotesScreen';
import { Overview } from './features/overview/Overview';
import { ReadModelsScreen } from './features/readmodels/ReadModelsScreen';
import { type ReplayParams, ReplayScreen } from './features/replay/ReplayScreen';
import { type ReportPrefill, ReportsScreen } from './features/reports/ReportsScreen';
import { filtersFromParams, filtersToParams } from './features/search/filters';
import { SearchScreen } from './features/search/SearchScreen';
import { SettingsScreen } from './features/settings/SettingsScreen';
import { StreamsScreen } from './features/streams/StreamsScreen';
import type { TimelineCursor } from './features/streams/timeline/Timeline';
import { Welcome } from './features/welcome/Welcome';
import { call, useHindsightEvent } from './lib/api';
import { needsMapping } from './lib/openErrors';
import { type Route, type Screen, useRoute } from './lib/router';
import { settingsKey, useSettings } from './lib/settings';
import { currentStoreQuery, integrityQuery, storeKeys } from './lib/storeQueries';
import { useTheme } from './lib/theme';
import { useJobs } from './lib/useJobs';

export function App() {
  const settings = useSettings();
  useTheme(settings?.theme ?? 'system');
  const queryClient = useQueryClient();
  const [route, navigate] = useRoute();
  const store = useQuery(currentStoreQuery);
  const integrity = useQuery({ ...integrityQuery, enabled: Boolean(store.data) });
  const jobs = useJobs();
  const [dialog, setDialog] = useState<'palette' | 'shortcuts' | 'jobs' | null>(null);
  // The column-mapping dialog: a SQLite file that is no event store Hindsight knows waits for it.
  const [mapping, setMapping] = useState(false);

  useHindsightEvent(
    'store.changed',
    useCallback(
      ({ reason }: { reason: string }) => {
        if (reason === 'mapping') setMapping(true);
        void queryClient.invalidateQueries();
      },
      [queryClient],
    ),
  );
  // A window made for a file from the OS may load after that file was found to need a mapping: ask once.
  useEffect(() => {
    void call('store.pendingMapping').then(
      (pending) => pending !== null && setMapping(true),
      () => undefined,
    );
  }, []);
  const closeMapping = useCallback(() => {
    setMapping(false);
    void call('store.dismissMapping');
  }, []);
  // Why a palette action (open, create, close) failed: shown above the screen until dismissed or the next
  // one succeeds. Without it the failure was an unhandled rejection and the user saw nothing happen.
  const [actionError, setActionError] = useState<unknown>(null);
  /** An open that failed because the file needs a column mapping shows the dialog instead of the error. */
  const onOpenError = useCallback((error: unknown) => {
    if (needsMapping(error)) setMapping(true);
    else setActionError(error);
  }, []);

  const open = Boolean(store.data);
  const go = useCallback((screen: Screen) => navigate({ screen, params: {} }), [navigate]);
  const openStream = useCallback((stream: string) => navigate({ screen: 'streams', params: { stream } }), [navigate]);
  const refreshStore = useCallback(() => queryClient.invalidateQueries({ queryKey: storeKeys.all }), [queryClient]);
  /** Runs a palette action on the store; the store is re-read when it succeeds, the error shown when not. */
  const storeAction = useCallback(
    (action: Promise<unknown>) =>
      void action.then(() => {
        setActionError(null);
        return refreshStore();
      }, onOpenError),
    [refreshStore, onOpenError],
  );

  useGlobalShortcuts({ open, go, setDialog });

  // Menu commands from the main process (the app menu lives there; the page carries them out).
  useHindsightEvent(
    'menu.action',
    useCallback(
      (menu: MenuAction) => {
        switch (menu.action) {
          case 'open-demo':
            void call('demo.open', { seed: 1 }).then(refreshStore);
            return;
          case 'save-verified-copy':
            go('integrity');
            return;
          case 'export':
            go('search');
            return;
          case 'show-shortcuts':
            setDialog('shortcuts');
            return;
          case 'open-settings':
            go('settings');
            return;
          case 'set-theme':
            // The main process saved it already; only the page's copy of the settings is stale.
            void queryClient.invalidateQueries({ queryKey: settingsKey });
            return;
          default: {
            const exhaustive: never = menu;
            return exhaustive;
          }
        }
      },
      [go, refreshStore, queryClient],
    ),
  );

  const actions = useMemo<PaletteAction[]>(() => {
    const screens: PaletteAction[] = open
      ? SIDEBAR_ITEMS.map((item) => ({
          id: `screen:${item.screen}`,
          label: item.label,
          group: 'Go to',
          run: () => go(item.screen),
        }))
      : [];
    return [
      ...screens,
      {
        id: 'open',
        label: 'Open a store…',
        group: 'File',
        run: () => storeAction(call('store.openDialog', {})),
      },
      {
        id: 'create',
        label: 'Create a store…',
        group: 'File',
        run: () => storeAction(call('store.createDialog')),
      },
      ...(open
        ? [
            {
              id: 'verify',
              label: 'Verify integrity now',
              group: 'Store',
              run: () => void call('integrity.verify', {}).catch(setActionError),
            },
            {
              id: 'close',
              label: 'Close the store',
              group: 'Store',
              run: () => storeAction(call('store.close')),
            },
          ]
        : []),
      { id: 'settings', label: 'Settings', group: 'App', run: () => go('settings') },
      { id: 'jobs', label: 'Jobs', group: 'App', run: () => setDialog('jobs') },
      {
        id: 'selftest',
        label: 'Test the job runner (diagnostics)',
        group: 'Help',
        run: () => {
          void call('jobs.selftest', { steps: 200, stepMs: 25 });
          setDialog('jobs');
        },
      },
      { id: 'shortcuts', label: 'Keyboard shortcuts', group: 'Help', run: () => setDialog('shortcuts') },
    ];
  }, [open, go, storeAction]);

  const showWelcome = !open && route.screen !== 'settings';
  return (
    <div className="frame">
      <TopBar
        store={store.data}
        integrity={integrity.data}
        onPalette={() => setDialog('palette')}
        onClose={() => {
          void call('store.close').then(refreshStore);
        }}
      />
      <Sidebar current={route.screen} enabled={open} onNavigate={go} />
      <main className="main" aria-label="Content">
        {store.data && <EvidenceBanner store={store.data} onChangeMapping={() => setMapping(true)} />}
        <ErrorBanner error={actionError} onDismiss={() => setActionError(null)} />
        <div className="main-content">
          {store.isPending ? null : showWelcome ? (
            <Welcome onNeedsMapping={() => setMapping(true)} />
          ) : (
            <ScreenView route={route} navigate={navigate} onOpenStream={openStream} />
          )}
        </div>
      </main>
      <StatusBar store={store.data} jobs={jobs.running} onJobs={() => setDialog('jobs')} />
      <CommandPalette
        open={dialog === 'palette'}
        onClose={() => setDialog(null)}
        actions={actions}
        storeOpen={open}
        onOpenStream={openStream}
      />
      <MappingDialog open={mapping} onClose={closeMapping} jobs={jobs.running} />
      <ShortcutsHelp open={dialog === 'shortcuts'} onClose={() => setDialog(null)} />
      <JobsPanel
        open={dialog === 'jobs'}
        onClose={() => setDialog(null)}
        running={jobs.running}
        finished={jobs.finished}
      />
    </div>
  );
}

/** Ctrl/Cmd+K palette, Alt+digit screens, ? shortcuts. Ignored while typing in a field (except Ctrl+K). */
function useGlobalShortcuts({
  open,
  go,
  setDialog,
}: {
  open: boolean;
  go: (screen: Screen) => void;
  setDialog: (dialog: 'palette' | 'shortcuts' | 'jobs' | null) => void;
}) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setDialog('palette');
        return;
      }
      const target = event.target as HTMLElement | null;
      const typing = target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
      if (typing) return;
      if (event.altKey && /^[1-9]$/.test(event.key) && open) {
        const item = SIDEBAR_ITEMS[Number(event.key) - 1];
        if (item) {
          event.preventDefault();
          go(item.screen);
        }
      } else if (event.key === '?' && !event.ctrlKey && !event.metaKey) {
        setDialog('shortcuts');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, go, setDialog]);
}

/** A route parameter as a finite number, else undefined (absent or not a number). */
function numberParam(value: string | undefined): number | undefined {
  return value !== undefined && Number.isFinite(Number(value)) ? Number(value) : undefined;
}

/** The timeline cursor lives in the route: `v` (version) or `t` (ms), and `axis`. */
function cursorFromParams(params: Record<string, string>): TimelineCursor {
  const version = params.v !== undefined ? Number(params.v) : undefined;
  const time = params.t !== undefined ? Number(params.t) : undefined;
  return {
    version: Number.isInteger(version) ? version : undefined,
    time: Number.isFinite(time) ? time : undefined,
    axis: params.axis === 'occurred' ? 'occurred' : 'recorded',
  };
}

function cursorToParams(stream: string, cursor: TimelineCursor): Record<string, string> {
  const params: Record<string, string> = { stream, axis: cursor.axis };
  if (cursor.time !== undefined) params.t = String(cursor.time);
  else if (cursor.version !== undefined) params.v = String(cursor.version);
  return params;
}

function replayFromParams(params: Record<string, string>): ReplayParams {
  return {
    from: numberParam(params.from),
    to: numberParam(params.to),
    correlation: params.correlation || undefined,
    cursor: numberParam(params.i) ?? 0,
  };
}

function replayToParams(params: ReplayParams): Record<string, string> {
  const out: Record<string, string> = { i: String(params.cursor) };
  if (params.correlation) out.correlation = params.correlation;
  if (params.from !== undefined) out.from = String(params.from);
  if (params.to !== undefined) out.to = String(params.to);
  return out;
}

/** "Create report from this" on a search: its correlation, else its actor, else its time window. */
function reportParamsFromSearch(filters: SearchFiltersDto): Record<string, string> {
  const range: Record<string, string> = {};
  if (filters.recordedFrom !== undefined) range.from = String(filters.recordedFrom);
  if (filters.recordedTo !== undefined) range.to = String(filters.recordedTo);
  if (filters.correlationId) return { kind: 'correlation', correlation: filters.correlationId };
  if (filters.actors?.length === 1) return { kind: 'actor', actor: filters.actors[0] as string, ...range };
  return { kind: 'window', ...range };
}

function reportPrefill(params: Record<string, string>): ReportPrefill {
  const kinds = ['entity', 'actor', 'window', 'correlation', 'summary'] as const;
  const kind = kinds.find((item) => item === params.kind);
  return {
    kind,
    streams: params.streams,
    actor: params.actor,
    correlationId: params.correlation,
    from: numberParam(params.from),
    to: numberParam(params.to),
  };
}

function ScreenView({
  route,
  navigate,
  onOpenStream,
}: {
  route: Route;
  navigate: (route: Route, replace?: boolean) => void;
  onOpenStream: (streamId: string) => void;
}) {
  switch (route.screen) {
    case 'overview':
      return (
        <Overview
          onSearch={(from, to) =>
            navigate({ screen: 'search', params: filtersToParams({ recordedFrom: from, recordedTo: to }) })
          }
          onReplay={(from, to) => navigate({ screen: 'replay', params: replayToParams({ from, to, cursor: 0 }) })}
        />
      );
    case 'streams':
      return (
        <StreamsScreen
          selected={route.params.stream}
          onSelect={onOpenStream}
          onOpenChain={(eventId) => navigate({ screen: 'chain', params: { event: eventId } })}
          onReport={(stream) => navigate({ screen: 'reports', params: { kind: 'entity', streams: stream } })}
          cursor={cursorFromParams(route.params)}
          onCursor={(cursor, push) =>
            navigate({ screen: 'streams', params: cursorToParams(route.params.stream ?? '', cursor) }, !push)
          }
        />
      );
    case 'integrity':
      return (
        <IntegrityScreen
          onOpenEvent={(stream, version) => navigate({ screen: 'streams', params: { stream, v: String(version) } })}
        />
      );
    case 'commands':
      return <CommandsScreen onOpenStream={onOpenStream} />;
    case 'settings':
      return <SettingsScreen />;
    case 'notes':
      return (
        <NotesScreen
          onOpenEvent={(stream, version) => navigate({ screen: 'streams', params: { stream, v: String(version) } })}
          onOpenStream={onOpenStream}
        />
      );
    case 'search':
      return (
        <SearchScreen
          filters={filtersFromParams(route.params)}
          onFilters={(filters) => navigate({ screen: 'search', params: filtersToParams(filters) })}
          onOpenEvent={(event) =>
            navigate({ screen: 'streams', params: { stream: event.streamId, v: String(event.streamVersion) } })
          }
          onOpenChain={(eventId) => navigate({ screen: 'chain', params: { event: eventId } })}
          onReport={(filters) => navigate({ screen: 'reports', params: reportParamsFromSearch(filters) })}
        />
      );
    case 'chain':
      return (
        <ChainScreen
          eventId={route.params.event}
          correlationId={route.params.correlation}
          onOpenEvent={(stream, version) => navigate({ screen: 'streams', params: { stream, v: String(version) } })}
          onReport={(correlation) => navigate({ screen: 'reports', params: { kind: 'correlation', correlation } })}
        />
      );
    case 'readmodels':
      return (
        <ReadModelsScreen
          selected={route.params.name}
          asOf={numberParam(route.params.at)}
          onSelect={(name) => navigate({ screen: 'readmodels', params: { name } })}
          onAsOf={(time) =>
            navigate({
              screen: 'readmodels',
              params: {
                ...(route.params.name ? { name: route.params.name } : {}),
                ...(time === undefined ? {} : { at: String(time) }),
              },
            })
          }
        />
      );
    case 'replay':
      return (
        <ReplayScreen
          params={replayFromParams(route.params)}
          onParams={(params, push) => navigate({ screen: 'replay', params: replayToParams(params) }, !push)}
          onReadModelsAt={(time) => navigate({ screen: 'readmodels', params: { name: 'accounts', at: String(time) } })}
          onOpenEvent={(stream, version) => navigate({ screen: 'streams', params: { stream, v: String(version) } })}
        />
      );
    case 'reports':
      return <ReportsScreen key={JSON.stringify(route.params)} prefill={reportPrefill(route.params)} />;
    default: {
      const exhaustive: never = route.screen;
      return exhaustive;
    }
  }
}
