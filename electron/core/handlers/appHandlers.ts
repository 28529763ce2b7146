import type { appContract } from '../../../shared/ipc/contracts/app';
import { osUserName } from '../app/userName';
import { EventStore } from '../store/eventStore';
import type { HandlersOf, ServiceContext } from './types';

export function appHandlers({ deps }: ServiceContext): HandlersOf<typeof appContract> {
  return {
    'app.info': () => ({
      name: 'Hindsight',
      version: deps.appVersion,
      platform: process.platform,
      arch: process.arch,
      dataDir: deps.dataDir,
      userName: osUserName(),
      versions: {
        node: process.versions.node,
        electron: deps.runtime?.electron ?? null,
        chrome: deps.runtime?.chrome ?? null,
        sqlite: EventStore.sqliteVersion(),
      },
    }),
  };
}
