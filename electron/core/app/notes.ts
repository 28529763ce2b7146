// Investigation notes and bookmarks. They belong to the investigator, not to the evidence: stored in the
// app's data folder, one JSON file per store id, never inside the store file (which stays byte-identical).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { noteTargetSchema } from '../../../shared/ipc/contracts/notes';
import type { Note, NoteTarget } from '../../../shared/types';
import { HindsightError } from '../errors';
import { readJsonFile, writeJsonFileAtomic } from './atomicFile';

export const MAX_NOTE_LENGTH = 20_000;

const noteSchema = z.object({
  id: z.string(),
  target: noteTargetSchema,
  text: z.string().max(MAX_NOTE_LENGTH),
  author: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

const isNoteList = (value: unknown): value is Note[] => z.array(noteSchema).safeParse(value).success;

export class NotesFile {
  private readonly file: string;

  constructor(dataDir: string, storeId: string) {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(storeId)) {
      throw new HindsightError('invalid_input', 'This store has an unusual id; notes cannot be kept for it.');
    }
    this.file = join(dataDir, 'notes', `${storeId}.json`);
  }

  list(): Note[] {
    return readJsonFile(this.file, [], isNoteList).sort((a, b) => a.createdAt - b.createdAt);
  }

  add(target: NoteTarget, text: string, author: string, now = Date.now()): Note {
    const note: Note = { id: randomUUID(), target, text: checkText(text), author, createdAt: now, updatedAt: now };
    writeJsonFileAtomic(this.file, [...this.list(), note]);
    return note;
  }

  update(id: string, text: string, now = Date.now()): Note {
    const notes = this.list();
    const note = notes.find((item) => item.id === id);
    if (!note) throw new HindsightError('not_found', 'That note does not exist any more.');
    note.text = checkText(text);
    note.updatedAt = now;
    writeJsonFileAtomic(this.file, notes);
    return note;
  }

  remove(id: string): boolean {
    const notes = this.list();
    const rest = notes.filter((item) => item.id !== id);
    if (rest.length === notes.length) return false;
    writeJsonFileAtomic(this.file, rest);
    return true;
  }
}

function checkText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length > MAX_NOTE_LENGTH) {
    throw new HindsightError('invalid_input', `A note can hold at most ${MAX_NOTE_LENGTH} characters.`);
  }
  return trimmed;
}
