// A collapsible JSON tree for states and payloads. Every value is rendered as text (never as HTML), keys
// are shown as they are (including "__proto__"), and a filter narrows the tree to matching paths. A payload
// the app did not read from the file (the `$unreadable` placeholder) is shown as a muted note.
import { useMemo, useState } from 'react';

type Json = unknown;

function matches(value: Json, key: string, needle: string): boolean {
  if (!needle) return true;
  if (key.toLowerCase().includes(needle)) return true;
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, Json>).some(([k, v]) => matches(v, k, needle));
  }
  return String(value).toLowerCase().includes(needle);
}

/**
 * The sentence of a payload the app would not read from the file (too large, nested too deep, not JSON),
 * or null. Such a payload arrives as `{ "$unreadable": "…" }` (docs/file-format.md, "Reading untrusted rows").
 */
function unreadableNote(value: Json): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  const note = (value as Record<string, unknown>).$unreadable;
  return keys.length === 1 && keys[0] === '$unreadable' && typeof note === 'string' ? note : null;
}

/** A payload that was not read, shown as a muted note rather than as data. */
function UnreadableNote({ note }: { note: string }) {
  return (
    <p
      className="json-unreadable muted"
      style={{
        margin: 0,
        padding: 'var(--space-3) var(--space-4)',
        borderLeft: '3px solid var(--border-strong)',
        background: 'var(--bg-sunken)',
        borderRadius: 'var(--radius-sm)',
        fontStyle: 'italic',
        whiteSpace: 'normal',
      }}
    >
      {note}
    </p>
  );
}

function Leaf({ value }: { value: Json }) {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === 'string') return <span className="json-string">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span className="json-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="json-bool">{String(value)}</span>;
  return <span>{String(value)}</span>;
}

function Node({
  name,
  value,
  depth,
  needle,
  highlight,
  path,
}: {
  name: string | null;
  value: Json;
  depth: number;
  needle: string;
  highlight: Set<string>;
  path: string[];
}) {
  const [open, setOpen] = useState(depth < 2);
  const isContainer = value !== null && typeof value === 'object';
  const key = path.join('\u0000');
  const mark = highlight.has(key) ? ' json-changed' : '';
  const label = name === null ? null : <span className="json-key">{name}</span>;
  if (!isContainer) {
    return (
      <div className={`json-row${mark}`} style={{ paddingLeft: depth * 14 }}>
        {label}
        {label && <span className="json-colon">: </span>}
        <Leaf value={value} />
      </div>
    );
  }
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value as Record<string, Json>);
  const visible = entries.filter(([k, v]) => matches(v, k, needle));
  const expanded = open || needle.length > 0;
  const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  return (
    <div>
      <button
        type="button"
        className={`json-row json-toggle${mark}`}
        style={{ paddingLeft: depth * 14 }}
        aria-expanded={expanded}
        onClick={() => setOpen(!open)}
      >
        <span className="json-caret" aria-hidden="true">
          {expanded ? '▾' : '▸'}
        </span>
        {label ?? <span className="json-key">state</span>}
        <span className="faint"> {summary}</span>
      </button>
      {expanded &&
        visible.map(([childKey, child]) => (
          <Node
            key={childKey}
            name={childKey}
            value={child}
            depth={depth + 1}
            needle={needle}
            highlight={highlight}
            path={[...path, childKey]}
          />
        ))}
    </div>
  );
}

export function JsonTree({
  value,
  changedPaths = [],
  filterable = true,
  label = 'Filter the state tree',
}: {
  value: Json;
  changedPaths?: string[][];
  filterable?: boolean;
  label?: string;
}) {
  const [filter, setFilter] = useState('');
  const note = unreadableNote(value);
  const highlight = useMemo(() => {
    const keys = new Set<string>();
    for (const path of changedPaths) {
      for (let i = 1; i <= path.length; i++) keys.add(path.slice(0, i).join('\u0000'));
    }
    return keys;
  }, [changedPaths]);
  return (
    <div className="json-tree">
      {filterable && note === null && (
        <input
          className="input json-filter"
          placeholder="Filter keys and values…"
          aria-label={label}
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
        />
      )}
      {note !== null ? (
        <UnreadableNote note={note} />
      ) : (
        <div className="mono">
          <Node
            name={null}
            value={value}
            depth={0}
            needle={filter.trim().toLowerCase()}
            highlight={highlight}
            path={[]}
          />
        </div>
      )}
    </div>
  );
}
