import type { StateChange } from '../../../shared/types';

function show(value: unknown): string {
  if (value === undefined) return '—';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** A diff as rows: added green, removed red, changed amber with old → new. */
export function ChangeList({ changes, empty = 'Nothing changed.' }: { changes: StateChange[]; empty?: string }) {
  if (changes.length === 0) return <p className="empty">{empty}</p>;
  return (
    <table className="table change-table" aria-label="Changes">
      <tbody>
        {changes.map((change) => (
          <tr key={`${change.kind}:${change.path.join('.')}`} className={`change-${change.kind}`}>
            <td className="change-kind">{change.kind}</td>
            <td className="mono">{change.path.join('.') || '(whole state)'}</td>
            <td className="mono">
              {change.kind === 'added' && <span className="change-new">{show(change.after)}</span>}
              {change.kind === 'removed' && <span className="change-old">{show(change.before)}</span>}
              {change.kind === 'changed' && (
                <>
                  <span className="change-old">{show(change.before)}</span>
                  <span className="faint"> → </span>
                  <span className="change-new">{show(change.after)}</span>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
