import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useMemo, useState } from 'react';
import { call } from '../lib/api';
import { Dialog } from './Dialog';

export interface PaletteAction {
  id: string;
  label: string;
  group: string;
  hint?: string;
  run: () => void;
}

/**
 * Ctrl/Cmd+K: jump to any screen or stream, or run an action, by typing. ↑/↓ choose, Enter runs,
 * Esc closes. Streams are looked up by id prefix as you type.
 */
export function CommandPalette({
  open,
  onClose,
  actions,
  storeOpen,
  onOpenStream,
}: {
  open: boolean;
  onClose: () => void;
  actions: PaletteAction[];
  storeOpen: boolean;
  onOpenStream: (streamId: string) => void;
}) {
  return (
    <Dialog open={open} onClose={onClose} label="Command palette" className="palette">
      <PaletteBody onClose={onClose} actions={actions} storeOpen={storeOpen} onOpenStream={onOpenStream} />
    </Dialog>
  );
}

function PaletteBody({
  onClose,
  actions,
  storeOpen,
  onOpenStream,
}: {
  onClose: () => void;
  actions: PaletteAction[];
  storeOpen: boolean;
  onOpenStream: (streamId: string) => void;
}) {
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const query = useDeferredValue(text.trim());
  const streams = useQuery({
    queryKey: ['store', 'palette-streams', query],
    queryFn: () => call('streams.list', { prefix: query, limit: 8 }),
    enabled: storeOpen && query.length > 0,
  });

  const items = useMemo(() => {
    // Actions filter on the text as typed (Enter must run what is shown); only the stream lookup is deferred.
    const needle = text.trim().toLowerCase();
    const matching = actions.filter(
      (action) => !needle || action.label.toLowerCase().includes(needle) || action.group.toLowerCase().includes(needle),
    );
    const streamItems: PaletteAction[] = (streams.data?.items ?? []).map((stream) => ({
      id: `stream:${stream.streamId}`,
      label: stream.streamId,
      group: 'Streams',
      hint: `${stream.version} events`,
      run: () => onOpenStream(stream.streamId),
    }));
    return [...matching, ...streamItems];
  }, [actions, text, streams.data, onOpenStream]);

  const choose = (item: PaletteAction | undefined) => {
    if (!item) return;
    onClose();
    item.run();
  };
  const current = Math.min(active, Math.max(0, items.length - 1));

  return (
    <div className="palette-body">
      <input
        className="input palette-input"
        placeholder="Go to a screen, a stream id, or an action…"
        aria-label="Search screens, streams and actions"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={items[current] ? `palette-${current}` : undefined}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setActive(0);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            setActive((current + 1) % Math.max(1, items.length));
          } else if (event.key === 'ArrowUp') {
            event.preventDefault();
            setActive((current - 1 + items.length) % Math.max(1, items.length));
          } else if (event.key === 'Enter') {
            event.preventDefault();
            choose(items[current]);
          }
        }}
      />
      <div id="palette-list" role="listbox" aria-label="Results" className="palette-list">
        {items.map((item, index) => (
          <div
            key={item.id}
            id={`palette-${index}`}
            role="option"
            tabIndex={-1}
            aria-selected={index === current}
            className="palette-item"
            onMouseEnter={() => setActive(index)}
            onClick={() => choose(item)}
            onKeyDown={() => undefined}
          >
            <span className="palette-group">{item.group}</span>
            <span className={item.group === 'Streams' ? 'mono' : ''}>{item.label}</span>
            {item.hint && <span className="palette-hint">{item.hint}</span>}
          </div>
        ))}
        {items.length === 0 && <p className="empty">Nothing matches “{query}”.</p>}
      </div>
    </div>
  );
}
