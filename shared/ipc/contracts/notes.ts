import { z } from 'zod';
import type { Note } from '../../types';
import { call, none } from './define';

/** Where a note points; core's notes file validates stored notes with the same schema. */
export const noteTargetSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('event'),
      eventId: z.string().min(1).max(128),
      streamId: z.string().min(1).max(256),
      version: z.number().int().min(1),
      position: z.number().int().min(1),
    })
    .strict(),
  z.object({ kind: z.literal('stream'), streamId: z.string().min(1).max(256) }).strict(),
  z.object({ kind: z.literal('moment'), time: z.number().int().min(0) }).strict(),
]);
const text = z.string().max(20_000);

export const notesContract = {
  'notes.list': call<Note[]>()(none, "This store's investigation notes, oldest first."),
  'notes.add': call<Note>()(
    z.object({ target: noteTargetSchema, text }).strict(),
    'Bookmark an event, a stream or a moment, with a note.',
  ),
  'notes.update': call<Note>()(z.object({ id: z.string().min(1).max(64), text }).strict(), 'Edit a note.'),
  'notes.delete': call<{ deleted: boolean }>()(z.object({ id: z.string().min(1).max(64) }).strict(), 'Delete a note.'),
} as const;
