import { describe, expect, it } from 'vitest';
import { formatChanges, MAX_CHANGE_LENGTH } from '../../../electron/core/investigate/stateChange';

describe('formatChanges (the one-line state change of the chain view)', () => {
  it('writes changed, added and removed leaves', () => {
    expect(
      formatChanges([
        { path: ['balance'], kind: 'changed', before: 5000, after: 2200 },
        { path: ['status'], kind: 'changed', before: 'open', after: 'frozen' },
        { path: ['lines', '0'], kind: 'added', after: { sku: 'A', quantity: 1 } },
        { path: ['note'], kind: 'removed', before: 'x' },
      ]),
    ).toBe('balance: 5000 → 2200, status: "open" → "frozen", +lines.0: {"sku":"A","quantity":1}, -note (was "x")');
  });

  it('says when nothing changed or nothing could be computed', () => {
    expect(formatChanges([])).toBe('no change');
    expect(formatChanges(undefined)).toBe('(state change unavailable)');
  });

  it('stays one short line', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({
      path: [`field${i}`],
      kind: 'changed' as const,
      before: i,
      after: i + 1,
    }));
    const line = formatChanges(many);
    expect(line.length).toBeLessThanOrEqual(MAX_CHANGE_LENGTH + 20);
    expect(line).toMatch(/… \(\+\d+ more\)$/);
    const long = formatChanges([{ path: ['x'.repeat(300)], kind: 'changed', before: 1, after: 2 }]);
    expect(long.length).toBe(MAX_CHANGE_LENGTH + 1);
  });
});
