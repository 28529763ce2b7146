import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Note } from '../../../../shared/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { call } from '../../lib/api';
import { formatCount, formatTime } from '../../lib/format';

export const notesKey = ['store', 'notes'] as const;

/** Bookmarks and notes of this investigation; they live in the app's data, never in the store file. */
export function NotesScreen({
  onOpenEvent,
  onOpenStream,
}: {
  onOpenEvent: (streamId: string, version: number) => void;
  onOpenStream: (streamId: string) => void;
}) {
  const notes = useQuery({ queryKey: notesKey, queryFn: () => call('notes.list') });
  return (
    <div className="page">
      <div className="page-header">
        <h1 className="page-title">Notes</h1>
        <span className="page-subtitle">
          Kept in this app's data, keyed by the store id — the evidence file is never touched.
        </span>
      </div>
      <ErrorBanner error={notes.error} />
      {notes.data?.length === 0 && (
        <p className="empty">
          No notes yet. On a stream's timeline, open the Raw event tab and choose “Bookmark this event”, or use “Note…”
          in the timeline header.
        </p>
      )}
      <ul className="note-list" aria-label="Notes">
        {notes.data?.map((note) => (
          <NoteItem key={note.id} note={note} onOpenEvent={onOpenEvent} onOpenStream={onOpenStream} />
        ))}
      </ul>
    </div>
  );
}

function NoteItem({
  note,
  onOpenEvent,
  onOpenStream,
}: {
  note: Note;
  onOpenEvent: (streamId: string, version: number) => void;
  onOpenStream: (streamId: string) => void;
}) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(note.text);
  const refresh = () => queryClient.invalidateQueries({ queryKey: notesKey });
  const update = useMutation({ mutationFn: () => call('notes.update', { id: note.id, text }), onSuccess: refresh });
  const remove = useMutation({ mutationFn: () => call('notes.delete', { id: note.id }), onSuccess: refresh });
  const target = note.target;
  return (
    <li className="panel note-item">
      <div className="note-head">
        {target.kind === 'event' && (
          <button type="button" className="link mono" onClick={() => onOpenEvent(target.streamId, target.version)}>
            {target.streamId} v{target.version} · #{formatCount(target.position)}
          </button>
        )}
        {target.kind === 'stream' && (
          <button type="button" className="link mono" onClick={() => onOpenStream(target.streamId)}>
            {target.streamId}
          </button>
        )}
        {target.kind === 'moment' && <span className="mono">{formatTime(target.time)}</span>}
        <span className="faint">
          {note.author} · {formatTime(note.updatedAt)}
        </span>
        <span className="topbar-spacer" />
        <button type="button" className="btn btn-sm btn-ghost" onClick={() => setEditing(!editing)}>
          {editing ? 'Cancel' : 'Edit'}
        </button>
        <button type="button" className="btn btn-sm btn-ghost" onClick={() => remove.mutate()}>
          Delete
        </button>
      </div>
      <ErrorBanner error={update.error ?? remove.error} />
      {editing ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            update.mutate(undefined, { onSuccess: () => setEditing(false) });
          }}
        >
          <textarea
            className="input note-text"
            aria-label="Note text"
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
          <button type="submit" className="btn btn-sm btn-primary">
            Save
          </button>
        </form>
      ) : (
        <p className="note-body">{note.text || <span className="faint">(bookmark, no text)</span>}</p>
      )}
    </li>
  );
}
