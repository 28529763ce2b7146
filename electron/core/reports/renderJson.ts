import { type ReportRenderer, renderModel } from './parts';
import type { ReportHead, ReportModel, SectionHead, SectionRow } from './schema';
import { stableJson } from './text';

/**
 * The JSON format: the report model itself (schema.ts, docs/report-format.md), written as it streams. Layout:
 * one top-level member per line, each section's head on one line and each row on its own line, so the file
 * diffs well and `generatedAt` is a line of its own. Free JSON values (event data, metadata, states, payloads,
 * change values) are written with sorted keys, so equal values are equal text.
 */

/** Members whose value is free JSON from the store: written with sorted keys. */
const FREE_JSON = new Set(['data', 'metadata', 'stateAfter', 'state', 'payload', 'before', 'after']);

/** Model data as JSON: model objects keep their (fixed) member order, free JSON values get sorted keys. */
export function modelJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return stableJson(value);
  if (Array.isArray(value)) return `[${value.map(modelJson).join(',')}]`;
  const parts: string[] = [];
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${FREE_JSON.has(key) ? stableJson(member) : modelJson(member)}`);
  }
  return `{${parts.join(',')}}`;
}

export function createJsonRenderer(): ReportRenderer {
  let sections = 0;
  let rows = 0;
  return {
    head(head: ReportHead): string {
      const lines = Object.entries(head).map(([key, value]) => `  ${JSON.stringify(key)}: ${modelJson(value)},\n`);
      return `{\n${lines.join('')}  "sections": [`;
    },
    section(section: SectionHead): string {
      rows = 0;
      const head = modelJson(section);
      return `${sections++ === 0 ? '\n' : ',\n'}    ${head.slice(0, -1)},"rows":[`;
    },
    row(row: SectionRow): string {
      return `${rows++ === 0 ? '\n' : ',\n'}      ${modelJson(row)}`;
    },
    endSection(count: number): string {
      return `${rows > 0 ? '\n    ' : ''}],"count":${count}}`;
    },
    end(): string {
      return `${sections > 0 ? '\n  ' : ''}]\n}\n`;
    },
  };
}

/** A whole model as the JSON format. */
export function renderJson(model: ReportModel): string {
  return renderModel(createJsonRenderer(), model);
}
