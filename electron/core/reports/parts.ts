import type { ReportHead, ReportModel, ReportSection, SectionHead, SectionRow } from './schema';

/**
 * A report as a stream of parts, so that a report of any size is built and written a page at a time: the
 * head (everything but the sections), then for each section its head, its rows and its end (with the row
 * count), then the end. The builder (build.ts) produces parts from the store; each renderer turns parts into
 * text chunks. `partsOfModel` and `collectModel` convert between parts and a whole in-memory model, so the
 * same renderers serve a small model held in memory (the app's live preview) and a streamed report.
 */
export type ReportPart =
  | { part: 'head'; head: ReportHead }
  | { part: 'section'; section: SectionHead }
  | { part: 'row'; row: SectionRow }
  | { part: 'end-section'; count: number }
  | { part: 'end' };

/** Renders parts to text chunks; `end` returns the last chunk. Stateful: one renderer per report. */
export interface ReportRenderer {
  head(head: ReportHead): string;
  section(section: SectionHead): string;
  row(row: SectionRow): string;
  endSection(count: number): string;
  end(): string;
}

export function renderPart(renderer: ReportRenderer, part: ReportPart): string {
  switch (part.part) {
    case 'head':
      return renderer.head(part.head);
    case 'section':
      return renderer.section(part.section);
    case 'row':
      return renderer.row(part.row);
    case 'end-section':
      return renderer.endSection(part.count);
    case 'end':
      return renderer.end();
    default: {
      const never: never = part;
      throw new Error(`Unknown report part ${JSON.stringify(never)}`);
    }
  }
}

/** Renders a whole model held in memory. */
export function renderModel(renderer: ReportRenderer, model: ReportModel): string {
  let out = '';
  for (const part of partsOfModel(model)) out += renderPart(renderer, part);
  return out;
}

export function* partsOfModel(model: ReportModel): Generator<ReportPart> {
  const { sections, ...head } = model;
  yield { part: 'head', head };
  for (const section of sections) {
    const { rows, count: _count, ...sectionHead } = section;
    yield { part: 'section', section: sectionHead as SectionHead };
    for (const row of rows) yield { part: 'row', row };
    yield { part: 'end-section', count: rows.length };
  }
  yield { part: 'end' };
}

/** Collects parts into a whole model (for small reports and tests). */
export function collectModel(parts: Iterable<ReportPart>): ReportModel {
  let head: ReportHead | undefined;
  const sections: ReportSection[] = [];
  let current: { head: SectionHead; rows: SectionRow[] } | undefined;
  for (const part of parts) {
    switch (part.part) {
      case 'head':
        head = part.head;
        break;
      case 'section':
        current = { head: part.section, rows: [] };
        break;
      case 'row':
        current?.rows.push(part.row);
        break;
      case 'end-section':
        if (current !== undefined) {
          sections.push({ ...current.head, rows: current.rows, count: part.count } as ReportSection);
          current = undefined;
        }
        break;
      case 'end':
        break;
    }
  }
  if (head === undefined) throw new Error('A report stream without a head.');
  const { document, schemaVersion, kind, title, generator, generatedAt, parameters, integrity, overview, notes } = head;
  // The same key order as the JSON format writes.
  return {
    document,
    schemaVersion,
    kind,
    title,
    generator,
    generatedAt,
    parameters,
    integrity,
    overview,
    notes,
    sections,
  };
}
