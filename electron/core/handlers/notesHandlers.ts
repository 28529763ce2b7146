import type { notesContract } from '../../../shared/ipc/contracts/notes';
import { NotesFile } from '../app/notes';
import { osUserName } from '../app/userName';
import type { HandlersOf, ServiceContext } from './types';

export function notesHandlers({ deps, session }: ServiceContext): HandlersOf<typeof notesContract> {
  const notes = () => new NotesFile(deps.dataDir, session.require().storeId);
  const author = () => session.settings.get().actor || osUserName();
  return {
    'notes.list': () => notes().list(),
    'notes.add': ({ target, text }) => notes().add(target, text, author()),
    'notes.update': ({ id, text }) => notes().update(id, text),
    'notes.delete': ({ id }) => ({ deleted: notes().remove(id) }),
  };
}
