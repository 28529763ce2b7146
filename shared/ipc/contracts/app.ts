import type { AppInfo } from '../../types';
import { call, none } from './define';

export const appContract = {
  'app.info': call<AppInfo>()(none, 'Versions, platform and data folder of the running app.'),
} as const;
