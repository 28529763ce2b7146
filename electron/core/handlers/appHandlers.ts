import { userInfo } from 'node:os';
import type { appContract } from '../../../shared/ipc/contracts/app';
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
      userName: currentUserName(),
      versions: {
        node: process.versions.node,
        electron: deps.runtime?.electron ?? null,
        chrome: deps.runtime?.chrome ?? null,
        sqlite: EventStore.sqliteVersion(),
      },
    }),
  };
}

function currentUserName(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    // userInfo throws when the OS has no entry for the uid (containers): fall back to the environment.
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
