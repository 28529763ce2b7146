import { Dialog } from './Dialog';

export const SHORTCUTS: { keys: string[]; what: string }[] = [
  { keys: ['Ctrl/⌘', 'K'], what: 'Command palette: screens, streams, actions' },
  { keys: ['Alt', '1…9'], what: 'Go to a screen (in sidebar order)' },
  { keys: ['←', '→'], what: 'Timeline: previous / next version' },
  { keys: ['?'], what: 'This list' },
  { keys: ['Esc'], what: 'Close a dialog' },
  { keys: ['Ctrl/⌘', 'O'], what: 'Open a store (app menu)' },
  { keys: ['Ctrl/⌘', 'N'], what: 'Create a store (app menu)' },
];

export function ShortcutsHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} label="Keyboard shortcuts">
      <div className="dialog-body">
        <h2 className="dialog-title">Keyboard shortcuts</h2>
        <table className="table" aria-label="Keyboard shortcuts">
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.what}>
                <td style={{ width: 160 }}>
                  {shortcut.keys.map((key) => (
                    <kbd key={key} className="kbd" style={{ marginRight: 4 }}>
                      {key}
                    </kbd>
                  ))}
                </td>
                <td>{shortcut.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div style={{ textAlign: 'right', marginTop: 'var(--space-5)' }}>
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </Dialog>
  );
}
