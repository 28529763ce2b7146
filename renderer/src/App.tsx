import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { JobFinished, JobProgress } from '../../shared/types';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { TopBar } from './components/TopBar';
import { CommandsScreen } from './features/commands/CommandsScreen';
import { IntegrityScreen } from './features/integrity/IntegrityScreen';
import { Overview } from './features/overview/Overview';
import { NotYetBuilt } from './features/placeholder/NotYetBuilt';
import { StreamsScreen } from './features/streams/StreamsScreen';
import type { TimelineCursor } from './features/streams/timeline/Timeline';
import { Welcome } from './features/welcome/Welcome';
import { call, useHindsightEvent } from './lib/api';
import { type Route, type Screen, useRoute } from './lib/router';
import { currentStoreQuery, integrityQuery, storeKeys } from './lib/storeQueries';
import { useTheme } from './lib/theme';

export function App() {
  useTheme('system');
  const queryClient = useQueryClient();
  const [route, navigate] = useRoute();
  const store = useQuery(currentStoreQuery);
  const integrity = useQuery({ ...integrityQuery, enabled: Boolean(store.data) });
  const jobs = useRunningJobs();

  useHindsightEvent(
    'store.changed',
    useCallback(() => {
      void queryClient.invalidateQueries();
    }, [queryClient]),
  );

  const open = Boolean(store.data);
  const go = (screen: Screen) => navigate({ screen, params: {} });

  return (
    <div className="frame">
      <TopBar
        store={store.data}
        integrity={integrity.data}
        onClose={() => {
          void call('store.close').then(() => queryClient.invalidateQueries({ queryKey: storeKeys.all }));
        }}
      />
      <Sidebar current={open ? route.screen : null} enabled={open} onNavigate={go} />
      <main className="main" aria-label="Content">
        {store.isPending ? null : open ? <ScreenView route={route} navigate={navigate} /> : <Welcome />}
      </main>
      <StatusBar store={store.data} jobs={jobs} />
    </div>
  );
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

function ScreenView({ route, navigate }: { route: Route; navigate: (route: Route, replace?: boolean) => void }) {
  switch (route.screen) {
    case 'overview':
      return <Overview />;
    case 'streams':
      return (
        <StreamsScreen
          selected={route.params.stream}
          onSelect={(stream) => navigate({ screen: 'streams', params: { stream } })}
          cursor={cursorFromParams(route.params)}
          onCursor={(cursor, push) =>
            navigate({ screen: 'streams', params: cursorToParams(route.params.stream ?? '', cursor) }, !push)
          }
        />
      );
    case 'integrity':
      return <IntegrityScreen />;
    case 'search':
      return <NotYetBuilt title="Search" what="Search across the whole log by type, actor, correlation and text." />;
    case 'readmodels':
      return <NotYetBuilt title="Read models" what="Projections, their status, and read models as of any time." />;
    case 'replay':
      return <NotYetBuilt title="Replay" what="Play back a window of history event by event." />;
    case 'reports':
      return <NotYetBuilt title="Reports" what="Audit reports with integrity evidence." />;
    case 'commands':
      return <CommandsScreen onOpenStream={(stream) => navigate({ screen: 'streams', params: { stream } })} />;
    default: {
      const exhaustive: never = route.screen;
      return exhaustive;
    }
  }
}

/** Jobs in progress, kept from the main process's progress events. */
function useRunningJobs(): JobProgress[] {
  const queryClient = useQueryClient();
  const [jobs, setJobs] = useState<Record<string, JobProgress>>({});
  useHindsightEvent(
    'job.progress',
    useCallback(
      (progress: JobProgress) => {
        setJobs((current) => ({ ...current, [progress.jobId]: progress }));
        if (progress.kind === 'verify') void queryClient.invalidateQueries({ queryKey: storeKeys.integrity });
      },
      [queryClient],
    ),
  );
  useHindsightEvent(
    'job.finished',
    useCallback(
      (finished: JobFinished) => {
        setJobs((current) => {
          const { [finished.jobId]: _done, ...rest } = current;
          return rest;
        });
        void queryClient.invalidateQueries({ queryKey: storeKeys.all });
      },
      [queryClient],
    ),
  );
  return Object.values(jobs);
}
