import { describe, expect, it } from 'vitest';
import { HindsightError } from '../../../electron/core/errors';
import { normaliseParams, type ReportParams } from '../../../electron/core/reports/params';
import { ReportParametersSchema } from '../../../electron/core/reports/schema';

function fails(params: unknown): HindsightError {
  try {
    normaliseParams(params as ReportParams);
  } catch (error) {
    if (error instanceof HindsightError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('report parameters', () => {
  it('normalise: every key present, streams sorted and deduplicated, times in UTC ISO', () => {
    const n = normaliseParams({
      kind: 'entity',
      streams: ['b-2', 'a-1', 'b-2'],
      from: '2024-05-01T11:00:00+02:00',
      to: Date.UTC(2024, 4, 2),
      includeState: true,
    });
    expect(n.parameters).toEqual({
      kind: 'entity',
      title: null,
      streams: ['a-1', 'b-2'],
      actor: null,
      correlationId: null,
      from: '2024-05-01T09:00:00.000Z',
      to: '2024-05-02T00:00:00.000Z',
      includeState: true,
      includeDiffs: false,
      includeNotes: false,
    });
    expect(ReportParametersSchema.parse(n.parameters)).toEqual(n.parameters);
    expect(n.fromMs).toBe(Date.UTC(2024, 4, 1, 9));
  });

  it('notes are sorted by time and included by default when given', () => {
    const n = normaliseParams({
      kind: 'summary',
      notes: [
        { target: 'store', text: 'second', createdAt: '2024-05-02T10:00:00Z', author: 'b' },
        { target: 'store', text: 'first', createdAt: Date.UTC(2024, 4, 1), author: 'a' },
      ],
    });
    expect(n.parameters.includeNotes).toBe(true);
    expect(n.notes.map((note) => note.text)).toEqual(['first', 'second']);
    expect(n.notes[0]!.createdAt).toBe('2024-05-01T00:00:00.000Z');
    expect(normaliseParams({ kind: 'summary', notes: n.notes, includeNotes: false }).notes).toEqual([]);
  });

  it('refuses what does not make sense, naming the field', () => {
    const cases: [unknown, string][] = [
      [{ kind: 'everything' }, 'kind'],
      [{ kind: 'entity' }, 'streams'],
      [{ kind: 'entity', streams: [] }, 'streams'],
      [{ kind: 'entity', streams: ['ok'], actor: 'x' }, 'actor'],
      [{ kind: 'actor', actor: '  ' }, 'actor'],
      [{ kind: 'window', from: '2024-05-01T00:00:00Z' }, 'to'],
      [{ kind: 'window', from: '2024-05-02T00:00:00Z', to: '2024-05-01T00:00:00Z' }, 'to'],
      [{ kind: 'window', from: '2024-05-01', to: '2024-05-02T00:00:00Z' }, 'from'],
      [{ kind: 'correlation', correlationId: 'c', from: '2024-05-01T00:00:00Z' }, 'from'],
      [{ kind: 'summary', includeState: 'yes' }, 'includeState'],
      [{ kind: 'summary', title: 'a\nb' }, 'title'],
      [{ kind: 'summary', colour: 'red' }, 'colour'],
      [{ kind: 'summary', notes: [{ target: 'x', text: 'y', createdAt: 'yesterday', author: 'z' }] }, 'createdAt'],
    ];
    for (const [params, field] of cases) {
      const error = fails(params);
      expect(error.code, JSON.stringify(params)).toBe('invalid_input');
      expect(error.details?.field, JSON.stringify(params)).toBe(field);
    }
  });
});
