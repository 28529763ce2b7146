import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { NoteTarget } from '../../../shared/types';
import { call } from '../lib/api';
import { Dialog } from './Dialog';
import { ErrorBanner } from './ErrorBanner';

/** Write a note on an event, a stream or a moment. */
export function NoteDialog({
  target,
  title,
  onClose,
}: {
  target: NoteTarget | null;
  title: string;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const add = useMutation({
    mutationFn: () => call('notes.add', { target: target as NoteTarget, text }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['store', 'notes'] });
      setText('');
      onClose();
    },
  });
  return (
    <Dialog open={target !== null} onClose={onClose} label="Add a note">
      <form
        className="dialog-body"
        onSubmit={(event) => {
          event.preventDefault();
          add.mutate();
        }}
      >
        <h2 className="dialog-title">{title}</h2>
        <ErrorBanner error={add.error} />
        <textarea
          className="input note-text"
          aria-label="Note text"
          placeholder="What did you find? (optional: a bookmark needs no text)"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <div
          style={{ display: 'flex', gap: 'var(--space-4)', justifyContent: 'flex-end', marginTop: 'var(--space-5)' }}
        >
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={add.isPending}>
            Save note
          </button>
        </div>
      </form>
    </Dialog>
  );
}
