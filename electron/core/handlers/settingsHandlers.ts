import type { settingsContract } from '../../../shared/ipc/contracts/settings';
import { settingsPatchSchema } from '../app/settings';
import { HindsightError } from '../errors';
import type { HandlersOf, ServiceContext } from './types';

export function settingsHandlers({ session }: ServiceContext): HandlersOf<typeof settingsContract> {
  return {
    'settings.get': () => session.settings.get(),
    'settings.update': (patch) => {
      const parsed = settingsPatchSchema.safeParse(patch);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new HindsightError('invalid_input', `Invalid setting ${issue?.path.join('.')}: ${issue?.message}.`);
      }
      return session.settings.update(parsed.data);
    },
  };
}
