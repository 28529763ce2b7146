import { describe, expect, it } from 'vitest';
import { collectModel, partsOfModel } from '../../../electron/core/reports/parts';
import { REPORT_CSV_COLUMNS, renderCsv } from '../../../electron/core/reports/renderCsv';
import { renderHtml } from '../../../electron/core/reports/renderHtml';
import { renderJson } from '../../../electron/core/reports/renderJson';
import { parseReportModel, type ReportModel, reportJsonSchema } from '../../../electron/core/reports/schema';
import { csvObjects } from './rfc4180';

/** A report model made by hand, with every section type and hostile strings everywhere. */
function sampleModel(ok = true): ReportModel {
  const evil = '<script>alert("x")</script><img src=x onerror=alert(1)>';
  return {
    document: 'hindsight-report',
    schemaVersion: 1,
    kind: 'window',
    title: `Window ${evil}`,
    generator: { name: 'Hindsight', version: '1.2.3' },
    generatedAt: '2024-05-03T10:30:00.000Z',
    parameters: {
      kind: 'window',
      title: `Window ${evil}`,
      streams: null,
      actor: null,
      correlationId: null,
      from: '2024-05-01T09:00:00.000Z',
      to: '2024-05-01T10:00:00.000Z',
      includeState: true,
      includeDiffs: true,
      includeNotes: true,
    },
    integrity: {
      storeId: '5f1d3c2a-8b7e-4d6f-9a1b-2c3d4e5f6a7b',
      fileName: `file ${evil}.hindsight`,
      fileSize: 4096,
      fileSha256: 'a'.repeat(64),
      formatVersion: 1,
      digest: `2:${'b'.repeat(64)}`,
      headPosition: 2,
      headHash: 'b'.repeat(64),
      storeEvents: 2,
      storeStreams: 1,
      walNotRead: true,
      verification: ok
        ? { ok: true, status: 'intact', eventsVerified: 2, firstBad: null }
        : {
            ok: false,
            status: 'tampered',
            eventsVerified: 1,
            firstBad: { position: 2, reason: 'modified', message: `Event 2 was changed ${evil}` },
          },
      recheck: `To re-check: \`hindsight verify 'file x.hindsight' --digest 2:${'b'.repeat(64)}\``,
    },
    overview: {
      events: 2,
      streams: 1,
      actors: 1,
      commands: 1,
      rejectedCommands: 1,
      firstRecordedAt: '2024-05-01T09:00:00.000Z',
      lastRecordedAt: '2024-05-01T09:01:00.000Z',
    },
    notes: [{ target: 'event:e-1', text: `note ${evil}`, createdAt: '2024-05-02T00:00:00.000Z', author: evil }],
    sections: [
      { id: 'facts', type: 'facts', title: evil, rows: [{ label: evil, value: evil }], count: 1 },
      {
        id: 'counts',
        type: 'counts',
        title: 'Types',
        keyLabel: evil,
        distinct: 3,
        others: 1,
        rows: [
          { key: evil, count: 2 },
          { key: null, count: 1 },
        ],
        count: 2,
      },
      {
        id: 'activity',
        type: 'activity',
        title: 'Activity',
        groupBy: 'category',
        bucketMs: 60_000,
        from: '2024-05-01T09:00:00.000Z',
        to: '2024-05-01T09:01:00.000Z',
        series: [evil, null],
        rows: [
          { start: '2024-05-01T09:00:00.000Z', total: 1, counts: [1, 0] },
          { start: '2024-05-01T09:01:00.000Z', total: 1, counts: [0, 1] },
        ],
        count: 2,
      },
      {
        id: 'entities',
        type: 'entities',
        title: 'Entities',
        asOf: '2024-05-01T10:00:00.000Z',
        rows: [
          {
            streamId: evil,
            category: evil,
            eventsInScope: 2,
            firstPosition: 1,
            lastPosition: 2,
            version: 2,
            lastType: evil,
            lastRecordedAt: '2024-05-01T09:01:00.000Z',
            state: { html: evil },
          },
        ],
        count: 1,
      },
      {
        id: 'events',
        type: 'events',
        title: 'Events',
        streamId: null,
        rows: [1, 2].map((position) => ({
          position,
          eventId: `e-${position}`,
          streamId: evil,
          version: position,
          type: evil,
          schemaVersion: 1,
          recordedAt: `2024-05-01T09:0${position - 1}:00.000Z`,
          occurredAt: '2024-05-01T08:00:00.000Z',
          actor: evil,
          reason: `because, "really"\r\nyes ${evil}`,
          commandId: evil,
          correlationId: null,
          causationId: null,
          data: { html: evil, n: position, nested: { b: 1, a: [1, 'two'] } },
          metadata: { actor: evil },
          hash: String(position).repeat(64),
          stateAfter: { html: evil },
          changes: [{ path: ['html', evil], kind: 'added' as const, after: evil }],
        })),
        count: 2,
      },
      {
        id: 'commands',
        type: 'commands',
        title: 'Commands',
        rows: [
          {
            seq: 1,
            commandId: evil,
            commandType: evil,
            streamId: evil,
            actor: evil,
            reason: evil,
            receivedAt: '2024-05-01T09:00:00.000Z',
            outcome: 'rejected',
            errorCode: evil,
            errorMessage: evil,
            firstPosition: null,
            lastPosition: null,
            payload: { html: evil },
          },
        ],
        count: 1,
      },
      {
        id: 'chain',
        type: 'chain',
        title: 'Chain',
        correlationId: evil,
        truncated: true,
        rows: [
          {
            depth: 0,
            node: 'command',
            id: evil,
            position: 1,
            streamId: evil,
            version: null,
            type: evil,
            actor: evil,
            time: '2024-05-01T09:00:00.000Z',
            outcome: 'rejected',
            errorCode: evil,
            errorMessage: evil,
            reason: evil,
            policy: evil,
            change: null,
          },
          {
            depth: 1,
            node: 'event',
            id: 'e-1',
            position: 1,
            streamId: evil,
            version: 1,
            type: evil,
            actor: null,
            time: '2024-05-01T09:00:00.000Z',
            outcome: null,
            errorCode: null,
            errorMessage: null,
            reason: null,
            policy: null,
            change: evil,
          },
        ],
        count: 2,
      },
    ],
  };
}

describe('renderers of an in-memory model', () => {
  it('the hand-made model fits the schema, and parts round-trip to the same model', () => {
    const model = sampleModel();
    expect(parseReportModel(model)).toEqual(model);
    expect(collectModel(partsOfModel(model))).toEqual(model);
    expect(reportJsonSchema()).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
    });
  });

  it('JSON is the model itself, one row per line, generatedAt on its own line', () => {
    const model = sampleModel();
    const text = renderJson(model);
    expect(JSON.parse(text)).toEqual(model);
    expect(text.split('\n').filter((line) => line.includes('2024-05-03T10:30:00.000Z'))).toEqual([
      '  "generatedAt": "2024-05-03T10:30:00.000Z",',
    ]);
    expect(text.split('\n').filter((line) => line.startsWith('      {"position"'))).toHaveLength(2);
    const empty = { ...model, sections: [] };
    expect(JSON.parse(renderJson(empty))).toEqual(empty);
  });

  it('HTML escapes every string: no element or attribute comes from the data', () => {
    for (const model of [sampleModel(true), sampleModel(false)]) {
      const html = renderHtml(model);
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/<img/i);
      const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
      expect(tags.filter((tag) => /\son[a-z]+\s*=/i.test(tag))).toEqual([]);
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      // One <style>, whose text cannot be ended early by the title in the page-margin boxes.
      expect(html.match(/<\/style>/g)).toHaveLength(1);
      expect(html.match(/<svg/g)).toHaveLength(1);
      expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
    }
    expect(renderHtml(sampleModel(false))).toContain('TAMPERED');
    expect(renderHtml(sampleModel(true))).not.toContain('TAMPERED');
  });

  it('CSV: a header, one record per event and per command, strict RFC 4180, provenance on every record', () => {
    const text = renderCsv(sampleModel());
    const rows = csvObjects(text);
    expect(text.split('\r\n')[0]).toBe(REPORT_CSV_COLUMNS.join(','));
    expect(rows.map((r) => r.record)).toEqual(['event', 'event', 'command']);
    expect(rows[0]!.reason).toBe('because, "really"\r\nyes <script>alert("x")</script><img src=x onerror=alert(1)>');
    expect(JSON.parse(rows[0]!.data!)).toEqual((sampleModel().sections[4]!.rows[0] as { data: unknown }).data);
    expect(rows[0]!.data).toBe(
      '{"html":"<script>alert(\\"x\\")</script><img src=x onerror=alert(1)>","n":1,"nested":{"a":[1,"two"],"b":1}}',
    );
    expect(rows[2]).toMatchObject({ record: 'command', outcome: 'rejected', position: '', eventId: '' });
    for (const row of rows) {
      expect(row).toMatchObject({ storeId: '5f1d3c2a-8b7e-4d6f-9a1b-2c3d4e5f6a7b', storeVerified: 'true' });
    }
  });
});
