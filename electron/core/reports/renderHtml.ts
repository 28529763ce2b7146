import { activitySvg, seriesColour } from './chart';
import { type ReportRenderer, renderModel } from './parts';
import type {
  ActivityRow,
  ChainRow,
  CommandRow,
  CountRow,
  EntityRow,
  EventRow,
  FactRow,
  ReportHead,
  ReportModel,
  ReportNote,
  SectionHead,
  SectionRow,
} from './schema';
import { cssString, displayTime, escapeHtml, formatDuration, formatInt, plural, prettyJson, stableJson } from './text';

/**
 * The HTML format: one self-contained document — inline CSS, charts as inline SVG, no script at all, no
 * external resource (a CSP meta tag forbids them as well) — laid out as an audit document that prints well:
 * A4 pages with margins, the title, store id, digest and page number in the page margins of every printed page
 * (CSS page-margin boxes), table headers repeated on each page, events kept whole across page breaks where they
 * fit. Every string that comes from the store or the caller is HTML-escaped (and CSS-escaped in the margin
 * boxes). The generation time is written on exactly one line, so two runs differ in that line only.
 */

/** Longest JSON text shown for one value; the JSON format always has it whole. */
export const MAX_HTML_JSON = 20_000;

const KIND_LABELS: Record<ReportHead['kind'], string> = {
  entity: 'Entity history',
  actor: 'Actor activity',
  window: 'Time window',
  correlation: 'Correlation chain',
  summary: 'Store summary',
};

const e = escapeHtml;

function shortId(id: string, length = 12): string {
  return id.length > length + 1 ? `${id.slice(0, length)}…` : id;
}

/** A stable colour for an event type (FNV-1a of its code units → a palette slot). */
function typeColour(type: string): string {
  const palette = ['#1f6feb', '#b35900', '#1a7f37', '#8250df', '#bf3989', '#0a7d8c', '#9a6700', '#cf222e', '#57606a'];
  let h = 0x811c9dc5;
  for (let i = 0; i < type.length; i++) {
    h ^= type.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return palette[h % palette.length]!;
}

function jsonBlock(value: unknown, width = 76): string {
  let text = prettyJson(value, width);
  let cut = '';
  if (text.length > MAX_HTML_JSON) {
    cut = `\n… ${formatInt(text.length - MAX_HTML_JSON)} more characters (the JSON report has the whole value)`;
    text = text.slice(0, MAX_HTML_JSON);
  }
  return `<pre class="json">${e(text)}${cut === '' ? '' : `<span class="cut">${e(cut)}</span>`}</pre>`;
}

function short(value: unknown): string {
  const text = value === undefined ? '∅' : stableJson(value);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function changesList(changes: NonNullable<EventRow['changes']>): string {
  if (changes.length === 0) return '<p class="muted small">No change to the state.</p>';
  const items = changes.map((c) => {
    const path = c.path.length === 0 ? '(state)' : c.path.join('.');
    const body =
      c.kind === 'added'
        ? `<span class="path">+ ${e(path)}</span> ${e(short(c.after))}`
        : c.kind === 'removed'
          ? `<span class="path">− ${e(path)}</span> <s>${e(short(c.before))}</s>`
          : `<span class="path">~ ${e(path)}</span> ${e(short(c.before))} → ${e(short(c.after))}`;
    return `<li class="chg ${c.kind}">${body}</li>`;
  });
  return `<ul class="changes">${items.join('')}</ul>`;
}

/** Date and time, each unbroken: a narrow (printed) column wraps between them. */
function timeCell(iso: string): string {
  const [date, time] = displayTime(iso).split(' ');
  return `<span class="nowrap">${e(date ?? '')}</span> <span class="nowrap">${e(time ?? '')}</span>`;
}

function typePill(type: string): string {
  return `<span class="type" style="border-color:${typeColour(type)}">${e(type)}</span>`;
}

function noteTargetsOf(notes: readonly ReportNote[]): Map<string, number[]> {
  const byTarget = new Map<string, number[]>();
  for (const [i, note] of notes.entries()) {
    const list = byTarget.get(note.target) ?? [];
    list.push(i);
    byTarget.set(note.target, list);
  }
  return byTarget;
}

const CSS = `
:root { --ink:#1b2430; --muted:#5b6573; --line:#d9dee5; --soft:#f4f6f9; --accent:#1d4e89; --ok:#176b3a; --okbg:#e7f4ec;
  --bad:#b42318; --badbg:#fdecea; --warn:#8a5a00; --warnbg:#fff4d6; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #e9edf2; color: var(--ink); font: 10pt/1.45 "Inter", "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
.page { max-width: 1060px; margin: 24px auto; background: #fff; padding: 36px 44px 28px; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
code, pre, .mono { font-family: "JetBrains Mono", "SFMono-Regular", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 8.4pt; }
h1 { font-size: 20pt; line-height: 1.2; margin: 2px 0 6px; color: #0f1d2e; letter-spacing: -0.01em; overflow-wrap: anywhere; }
h2 { font-size: 12.5pt; margin: 26px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--accent); color: #0f1d2e; break-after: avoid; overflow-wrap: anywhere; }
h3 { font-size: 10.5pt; margin: 14px 0 6px; break-after: avoid; }
.eyebrow { text-transform: uppercase; letter-spacing: .12em; font-size: 7.6pt; font-weight: 700; color: var(--accent); }
.subtitle { color: var(--muted); margin: 0 0 14px; }
.doc-head { border-bottom: 1px solid var(--line); padding-bottom: 12px; margin-bottom: 16px; display: flex; gap: 24px; justify-content: space-between; align-items: flex-end; }
.doc-head .brand { text-align: right; color: var(--muted); font-size: 8pt; white-space: nowrap; }
.doc-head .brand b { display: block; color: var(--ink); font-size: 11pt; letter-spacing: .02em; }
.status { border-radius: 6px; padding: 12px 16px; margin: 0 0 16px; display: flex; gap: 14px; align-items: center; break-inside: avoid; }
.status .mark { font-size: 20pt; line-height: 1; font-weight: 700; }
.status .what { font-size: 12pt; font-weight: 700; letter-spacing: .02em; }
.status p { margin: 2px 0 0; }
.status.intact { background: var(--okbg); border: 1px solid #b7dcc5; color: var(--ok); }
.status.tampered { background: var(--badbg); border: 2px solid var(--bad); color: var(--bad); }
.status.tampered .what { font-size: 15pt; }
.warning { background: var(--warnbg); border: 1px solid #eed48a; color: var(--warn); border-radius: 6px; padding: 8px 12px; margin: 0 0 12px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 0 28px; align-items: start; }
table.fixed { table-layout: fixed; }
table { width: 100%; border-collapse: collapse; margin: 4px 0 6px; }
thead { display: table-header-group; }
th { text-align: left; font-size: 7.8pt; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); font-weight: 700; border-bottom: 1.5px solid #aab3bf; padding: 5px 6px; background: #fff; }
td { padding: 5px 6px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
table.kv td { border-bottom: 1px solid #edf0f4; }
table.kv td:first-child { width: 28%; color: var(--muted); white-space: nowrap; padding-left: 0; }
table.kv td.mono { font-size: 8.4pt; }
.recheck { background: var(--soft); border-left: 3px solid var(--accent); padding: 8px 12px; margin: 10px 0 0; break-inside: avoid; }
.recheck code { font-size: 8.8pt; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 10px; margin: 8px 0 4px; break-inside: avoid; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; background: var(--soft); }
.card .v { font-size: 14pt; font-weight: 700; font-variant-numeric: tabular-nums; }
.card .k { font-size: 7.6pt; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.card .s { font-size: 7.8pt; color: var(--muted); }
.card.bad .s { color: var(--bad); font-weight: 700; }
tbody.ev { break-inside: avoid; }
tbody.ev tr.main td { border-bottom: none; padding-bottom: 2px; }
tbody.ev tr.detail td { padding-top: 0; }
tbody.ev:nth-of-type(even) td { background: #fafbfc; }
.type { display: inline-block; border-left: 3px solid; padding: 0 5px; background: var(--soft); border-radius: 2px; font-weight: 600; overflow-wrap: anywhere; }
.ids { color: var(--muted); font-size: 7.4pt; margin: 0 0 3px; overflow-wrap: anywhere; }
pre { margin: 2px 0 4px; white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; border: 1px solid #e6eaef; border-radius: 4px; padding: 5px 7px; font-size: 7.8pt; line-height: 1.35; }
pre .cut { color: var(--warn); font-style: italic; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
.lbl { font-size: 7pt; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); font-weight: 700; margin-top: 2px; }
ul.changes { list-style: none; margin: 2px 0 4px; padding: 0; font-family: "JetBrains Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 7.8pt; }
li.chg { padding: 1px 6px; border-radius: 3px; margin: 1px 0; overflow-wrap: anywhere; }
li.chg.added { background: #e6f4ea; color: #135c2b; }
li.chg.removed { background: #fdecea; color: #8c1d13; }
li.chg.changed { background: #fff4d6; color: #6b4500; }
li.chg .path { font-weight: 700; }
.muted { color: var(--muted); }
.small { font-size: 8pt; }
.nowrap { white-space: nowrap; }
.badge { display: inline-block; white-space: nowrap; padding: 0 6px; border-radius: 9px; font-size: 7.6pt; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; }
.badge.accepted { background: var(--okbg); color: var(--ok); }
.badge.rejected { background: var(--badbg); color: var(--bad); }
tr.rejected td { background: #fff7f6; }
.err { color: var(--bad); }
.bar { display: inline-block; height: 8px; background: var(--accent); border-radius: 2px; vertical-align: middle; opacity: .8; }
td.barcell { width: 32%; }
.sec-foot { color: var(--muted); font-size: 8pt; margin: 2px 0 0; }
.empty { color: var(--muted); font-style: italic; }
ol.chain { list-style: none; padding: 0; margin: 6px 0; }
ol.chain li { border-left: 2px solid var(--line); margin: 0 0 3px; padding: 4px 8px; break-inside: avoid; }
ol.chain li.command { border-left-color: var(--accent); background: #f3f6fb; }
ol.chain li.command.rejected { border-left-color: var(--bad); background: var(--badbg); }
ol.chain li.event { border-left-color: #8c959f; }
ol.chain .chg1 { font-family: "JetBrains Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 7.8pt; color: #6b4500; overflow-wrap: anywhere; }
.chart { display: block; margin: 4px 0 2px; }
.chart text { font: 8px "Inter", "Segoe UI", Arial, "DejaVu Sans", sans-serif; fill: #5b6573; }
.chart .ytick { text-anchor: end; }
.chart .xtick, .chart .xlabel, .chart .empty { text-anchor: middle; }
.chart .grid { stroke: #e4e8ee; stroke-width: 1; }
.chart .axis { stroke: #8c959f; stroke-width: 1; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 8pt; color: var(--muted); margin: 0 0 4px; }
.legend i { display: inline-block; width: 9px; height: 9px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.note { border: 1px solid #eed48a; background: #fffaf0; border-radius: 4px; padding: 4px 8px; margin: 3px 0; }
.note .who { font-size: 7.6pt; color: var(--warn); font-weight: 700; }
.note p { margin: 2px 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.doc-foot { margin-top: 28px; padding-top: 8px; border-top: 1px solid var(--line); color: var(--muted); font-size: 8pt; }
a { color: var(--accent); text-decoration: none; }
@media print {
  body { background: #fff; font-size: 8.6pt; }
  th { font-size: 7pt; padding: 4px 4px; }
  td { padding: 4px 4px; }
  pre { font-size: 7.2pt; }
  .page { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  h2 { margin-top: 18px; }
  a { color: inherit; }
}
`;

/** Only in reports of a foreign store (so a report of our own store is byte for byte what it always was). */
const FOREIGN_CSS = `.status.unprovable { background: var(--warnbg); border: 2px solid #d4a72c; color: var(--warn); }
.warning ul { margin: 4px 0 0; padding-left: 18px; }`;

/** What identifies the report's source in the margins and the footer: the digest, or a foreign file's SHA-256. */
function sourceId(head: ReportHead): string {
  const i = head.integrity;
  return i.foreign === undefined ? `digest ${i.digest}` : `file SHA-256 ${i.fileSha256}`;
}

function pageCss(head: ReportHead): string {
  const i = head.integrity;
  const status =
    i.foreign !== undefined
      ? `No tamper evidence · file ${i.fileName}`
      : i.verification.ok
        ? `Chain intact · store ${i.storeId}`
        : `TAMPERED at position ${i.verification.firstBad?.position ?? '?'} · store ${i.storeId}`;
  const margin = 'font-family: "Inter", "Segoe UI", Arial, "DejaVu Sans", sans-serif; font-size: 7pt; color: #5b6573;';
  const bottomLeft = i.foreign === undefined ? `Digest ${i.digest}` : `File SHA-256 ${i.fileSha256}`;
  return `@page { size: A4; margin: 17mm 13mm 16mm 13mm;
  @top-left { content: ${cssString(`Hindsight audit report · ${head.title}`)}; ${margin} vertical-align: bottom; padding-bottom: 3mm; }
  @top-right { content: ${cssString(status)}; ${margin} vertical-align: bottom; padding-bottom: 3mm;${
    i.foreign !== undefined
      ? ' color: #8a5a00; font-weight: 700;'
      : i.verification.ok
        ? ''
        : ' color: #b42318; font-weight: 700;'
  } }
  @bottom-left { content: ${cssString(bottomLeft)}; ${margin} font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 6.2pt; vertical-align: top; padding-top: 3mm; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); ${margin} vertical-align: top; padding-top: 3mm; }
}`;
}

function statusBlock(head: ReportHead): string {
  const v = head.integrity.verification;
  const foreign = head.integrity.foreign;
  if (foreign !== undefined) {
    return `<div class="status unprovable" role="alert"><div class="mark">!</div><div><div class="what">No tamper evidence — nothing could be verified</div><p>${e(
      foreign.statement,
    )} Hindsight read it through an adapter and cannot tell whether events were changed, removed or reordered before the file reached you. Its SHA-256 <code>${e(
      head.integrity.fileSha256,
    )}</code> identifies exactly the file this report was made from.</p></div></div>`;
  }
  if (v.ok) {
    return `<div class="status intact" role="status"><div class="mark">✓</div><div><div class="what">Hash chain intact</div><p>All ${e(
      plural(v.eventsVerified, 'event'),
    )} of the store were verified when this report was generated; digest <code>${e(head.integrity.digest)}</code>.</p></div></div>`;
  }
  const bad = v.firstBad;
  return `<div class="status tampered" role="alert"><div class="mark">✗</div><div><div class="what">TAMPERED — this store failed verification</div><p>${
    bad === null
      ? 'The hash chain is broken.'
      : `At position ${e(formatInt(bad.position))} (${e(bad.reason)}): ${e(bad.message)}`
  } Only the ${e(plural(v.eventsVerified, 'event'))} before it are proven intact; treat everything after it as unverified.</p></div></div>`;
}

function parametersRows(head: ReportHead): string[] {
  const p = head.parameters;
  const rows: [string, string][] = [['Kind', KIND_LABELS[p.kind]]];
  if (p.streams !== null) rows.push([p.streams.length === 1 ? 'Stream' : 'Streams', p.streams.join(', ')]);
  if (p.actor !== null) rows.push(['Actor', p.actor]);
  if (p.correlationId !== null) rows.push(['Correlation id', p.correlationId]);
  rows.push([
    'Range (recorded time, UTC)',
    p.from === null && p.to === null
      ? 'the whole history'
      : `${p.from === null ? 'the beginning' : displayTime(p.from)} → ${p.to === null ? 'the head' : displayTime(p.to)}`,
  ]);
  const options = [
    p.includeState ? (p.kind === 'window' ? 'state of each entity at the end' : 'state after each event') : null,
    p.includeDiffs ? 'changes of each event' : null,
    p.includeNotes ? `notes (${head.notes.length})` : null,
  ].filter((o) => o !== null);
  rows.push(['Included', options.length === 0 ? 'events only' : options.join(', ')]);
  return rows.map(([k, v]) => `<tr><td>${e(k)}</td><td>${e(v)}</td></tr>`);
}

function mappingText(mapping: NonNullable<NonNullable<ReportHead['integrity']['foreign']>['mapping']>): string {
  const { table, ...roles } = mapping;
  return `table ${table}: ${Object.entries(roles)
    .filter(([, column]) => column !== undefined)
    .map(([role, column]) => `${role}=${column}`)
    .join(', ')}`;
}

/** The evidence of a foreign store: the file and what it was read as; no digest, no verification. */
function foreignEvidenceBlock(head: ReportHead): string {
  const i = head.integrity;
  const f = i.foreign!;
  const rows: [string, string, boolean][] = [
    ['File', i.fileName, false],
    ['File size', `${formatInt(i.fileSize)} bytes`, false],
    ['File SHA-256', i.fileSha256, true],
    ['Read as', f.label, false],
  ];
  if (f.mapping !== null) rows.push(['Column mapping', mappingText(f.mapping), true]);
  rows.push(
    ['Rows read', formatInt(f.rows), false],
    ['Rows adjusted', formatInt(f.adjusted), false],
    ['Event times from', f.timeSource === 'column' ? 'a column' : "the file's modification time", false],
    ['Events / streams', `${formatInt(i.storeEvents)} / ${formatInt(i.storeStreams)}`, false],
    ['Verification', 'unprovable — the file has no hash chain: nothing could be verified', false],
  );
  const table = rows
    .map(([k, val, mono]) => `<tr><td>${e(k)}</td><td${mono ? ' class="mono"' : ''}>${e(val)}</td></tr>`)
    .join('\n');
  const generator = `<tr><td>Generator</td><td>${e(`${head.generator.name} ${head.generator.version}`)}</td></tr>`;
  // The one line that differs between two runs of the same report:
  const generated = `<tr><td>Generated (UTC)</td><td>${e(displayTime(head.generatedAt))}</td></tr>`;
  const wal = i.walNotRead
    ? `<div class="warning">A <code>-wal</code> file lay beside the file and was <b>not read</b>: changes in it that were not yet written into the file are not part of this report, and the SHA-256 covers the main file only.</div>`
    : '';
  const notes =
    f.notes.length === 0
      ? ''
      : `<div class="warning">While reading the file: <ul>${f.notes.map((note) => `<li>${e(note)}</li>`).join('')}</ul></div>`;
  const code = i.recheck.match(/`([^`]*)`/)?.[1] ?? '';
  return `<section class="evidence" id="sec-evidence">
<h2>Integrity evidence</h2>
${wal}${notes}<div class="grid2">
<table class="kv"><tbody>
${table}
</tbody></table>
<table class="kv"><tbody>
${parametersRows(head).join('\n')}
${generator}
${generated}
</tbody></table>
</div>
<p class="recheck">${e(f.statement)} To re-check that a file is the one this report was made from: <code>${e(code)}</code> must print <code>${e(
    i.fileSha256,
  )}</code>.</p>
<p class="small muted">To make this report, Hindsight read the file into a store of its own; that copy's hash chain is Hindsight's and proves nothing about the file, so it is not shown as evidence.</p>
</section>`;
}

function evidenceBlock(head: ReportHead): string {
  const i = head.integrity;
  if (i.foreign !== undefined) return foreignEvidenceBlock(head);
  const v = i.verification;
  const verification = v.ok
    ? `intact — ${plural(v.eventsVerified, 'event')} verified`
    : `TAMPERED — first break at position ${formatInt(v.firstBad?.position ?? 0)} (${v.firstBad?.reason ?? 'unknown'}); ${plural(
        v.eventsVerified,
        'event',
      )} intact before it`;
  const rows: [string, string, boolean][] = [
    ['Store id', i.storeId, true],
    ['File', i.fileName, false],
    ['File size', `${formatInt(i.fileSize)} bytes`, false],
    ['File SHA-256', i.fileSha256, true],
    ['Format version', String(i.formatVersion), false],
    ['Digest (head)', i.digest, true],
    ['Events / streams', `${formatInt(i.storeEvents)} / ${formatInt(i.storeStreams)}`, false],
    ['Verification', verification, false],
  ];
  const table = rows
    .map(([k, val, mono]) => `<tr><td>${e(k)}</td><td${mono ? ' class="mono"' : ''}>${e(val)}</td></tr>`)
    .join('\n');
  const generator = `<tr><td>Generator</td><td>${e(`${head.generator.name} ${head.generator.version}`)}</td></tr>`;
  // The one line that differs between two runs of the same report:
  const generated = `<tr><td>Generated (UTC)</td><td>${e(displayTime(head.generatedAt))}</td></tr>`;
  const wal = i.walNotRead
    ? `<div class="warning">A <code>-wal</code> file lay beside the store and was <b>not read</b>: changes in it that were not yet written into the file are not part of this report.</div>`
    : '';
  return `<section class="evidence" id="sec-evidence">
<h2>Integrity evidence</h2>
${wal}<div class="grid2">
<table class="kv"><tbody>
${table}
</tbody></table>
<table class="kv"><tbody>
${parametersRows(head).join('\n')}
${generator}
${generated}
</tbody></table>
</div>
<p class="recheck">${e(i.recheck.replace(/`[^`]*`/, '').trim())} <code>${e(i.recheck.match(/`([^`]*)`/)?.[1] ?? '')}</code></p>
<p class="small muted">The digest pins the store's whole history up to position ${e(formatInt(i.headPosition))}: any later change to an event before it breaks the check. The SHA-256 identifies the exact file bytes this report was made from.</p>
</section>`;
}

function overviewBlock(head: ReportHead): string {
  const o = head.overview;
  const cards: string[] = [
    `<div class="card"><div class="k">Events</div><div class="v">${e(formatInt(o.events))}</div></div>`,
    `<div class="card"><div class="k">Streams</div><div class="v">${e(formatInt(o.streams))}</div></div>`,
    `<div class="card"><div class="k">Actors</div><div class="v">${e(formatInt(o.actors))}</div></div>`,
  ];
  if (o.commands !== null) {
    cards.push(
      `<div class="card${(o.rejectedCommands ?? 0) > 0 ? ' bad' : ''}"><div class="k">Commands</div><div class="v">${e(
        formatInt(o.commands),
      )}</div><div class="s">${e(formatInt(o.rejectedCommands ?? 0))} rejected</div></div>`,
    );
  } else {
    cards.push(
      `<div class="card"><div class="k">Commands</div><div class="v">—</div><div class="s">not in scope</div></div>`,
    );
  }
  const period =
    o.firstRecordedAt === null
      ? '<div class="v">—</div>'
      : `<div class="s">${e(displayTime(o.firstRecordedAt))}</div><div class="s">→ ${e(displayTime(o.lastRecordedAt ?? o.firstRecordedAt))}</div>`;
  cards.push(`<div class="card"><div class="k">Period (UTC)</div>${period}</div>`);
  return `<section class="overview" id="sec-overview">
<h2>What this report covers</h2>
<div class="cards">${cards.join('')}</div>
</section>`;
}

function notesBlock(notes: readonly ReportNote[]): string {
  if (notes.length === 0) return '';
  const rows = notes.map(
    (n, i) =>
      `<tr id="note-${i + 1}"><td class="num">${i + 1}</td><td>${timeCell(n.createdAt)}</td><td>${e(n.author)}</td><td class="mono">${e(
        n.target,
      )}</td><td><div class="note"><p>${e(n.text)}</p></div></td></tr>`,
  );
  return `<section class="sec" id="sec-notes">
<h2>Investigation notes</h2>
<table class="fixed"><colgroup><col style="width:5%"><col style="width:15%"><col style="width:17%"><col style="width:23%"><col style="width:40%"></colgroup><thead><tr><th class="num">#</th><th>Written (UTC)</th><th>Author</th><th>About</th><th>Note</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
</section>`;
}

/** A streaming HTML renderer (see ReportRenderer). */
export function createHtmlRenderer(): ReportRenderer {
  let head: ReportHead;
  let section: SectionHead | undefined;
  let activity: ActivityRow[] = [];
  let noteIndex = new Map<string, number[]>();
  let countMax = 0;

  function notesFor(targets: string[]): string {
    const out: string[] = [];
    for (const target of targets) {
      for (const i of noteIndex.get(target) ?? []) {
        const note = head.notes[i]!;
        out.push(
          `<div class="note"><span class="who">Note ${i + 1} · ${e(note.author)} · ${e(displayTime(note.createdAt))} UTC</span><p>${e(note.text)}</p></div>`,
        );
      }
    }
    return out.join('');
  }

  function eventRowHtml(row: EventRow, inStream: boolean): string {
    const occurred =
      row.occurredAt !== row.recordedAt
        ? `<div class="muted small">occurred ${e(displayTime(row.occurredAt))}</div>`
        : '';
    const who = row.actor === null ? '<span class="muted">—</span>' : e(row.actor);
    const why = [
      row.reason === null ? '' : `<div>${e(row.reason)}</div>`,
      row.commandId === null ? '' : `<div class="muted small mono">cmd ${e(shortId(row.commandId, 18))}</div>`,
    ].join('');
    const cells = inStream
      ? `<td class="num">${e(formatInt(row.position))}</td><td class="num">v${e(String(row.version))}</td><td>${timeCell(row.recordedAt)}${occurred}</td><td>${typePill(row.type)}</td><td>${who}</td><td>${why}</td>`
      : `<td class="num">${e(formatInt(row.position))}</td><td>${timeCell(row.recordedAt)}${occurred}</td><td>${e(row.streamId)} <span class="muted">v${e(
          String(row.version),
        )}</span></td><td>${typePill(row.type)}</td><td>${who}</td><td>${why}</td>`;
    // A foreign store's event hashes are those of Hindsight's derived copy: not shown as evidence.
    const hash = head.integrity.foreign === undefined ? ` · hash ${e(row.hash)}` : '';
    const ids = `<div class="ids mono">event ${e(row.eventId)}${hash}${
      row.correlationId === null ? '' : ` · correlation ${e(row.correlationId)}`
    }${row.causationId === null ? '' : ` · causation ${e(row.causationId)}`}</div>`;
    const data = `<div class="lbl">Data</div>${jsonBlock(row.data, row.stateAfter === undefined ? 120 : 76)}`;
    let detail: string;
    if (row.stateError !== undefined) {
      detail = `${data}<p class="err small">${e(row.stateError)}</p>`;
    } else if (row.stateAfter !== undefined) {
      const state = `<div class="lbl">State after</div>${jsonBlock(row.stateAfter)}`;
      detail = `<div class="cols"><div>${data}</div><div>${state}</div></div>`;
    } else {
      detail = data;
    }
    if (row.changes !== undefined && row.stateError === undefined) {
      detail += `<div class="lbl">Changes</div>${changesList(row.changes)}`;
    }
    detail += notesFor([`event:${row.eventId}`, `position:${row.position}`]);
    return `<tbody class="ev"><tr class="main">${cells}</tr><tr class="detail"><td></td><td colspan="5">${ids}${detail}</td></tr></tbody>`;
  }

  function commandRowHtml(row: CommandRow): string {
    const outcome = `<span class="badge ${row.outcome}">${row.outcome}</span>`;
    const why = [
      row.reason === null ? '' : `<div>${e(row.reason)}</div>`,
      row.errorCode === null
        ? ''
        : `<div class="err"><b>${e(row.errorCode)}</b>${row.errorMessage === null ? '' : `: ${e(row.errorMessage)}`}</div>`,
    ].join('');
    const events =
      row.firstPosition === null
        ? '<span class="muted">none</span>'
        : row.firstPosition === row.lastPosition
          ? e(formatInt(row.firstPosition))
          : `${e(formatInt(row.firstPosition))}–${e(formatInt(row.lastPosition ?? row.firstPosition))}`;
    return `<tbody class="ev"><tr class="main${row.outcome === 'rejected' ? ' rejected' : ''}"><td class="num">${e(
      formatInt(row.seq),
    )}</td><td>${timeCell(row.receivedAt)}</td><td>${typePill(row.commandType)}<div class="muted small">${
      row.streamId === null ? '' : e(row.streamId)
    }</div></td><td>${row.actor === null ? '<span class="muted">—</span>' : e(row.actor)}</td><td>${outcome}</td><td class="num">${events}</td><td>${why}</td></tr><tr class="detail${
      row.outcome === 'rejected' ? ' rejected' : ''
    }"><td></td><td colspan="6"><div class="ids mono">command ${e(row.commandId)}</div>${jsonBlock(row.payload, 120)}</td></tr></tbody>`;
  }

  function entityRowHtml(row: EntityRow): string {
    const main = `<tr class="main"><td>${e(row.streamId)}</td><td>${e(row.category)}</td><td class="num">${e(
      formatInt(row.eventsInScope),
    )}</td><td class="num">${row.version === null ? '—' : `v${e(String(row.version))}`}</td><td>${
      row.lastType === null ? '<span class="muted">—</span>' : typePill(row.lastType)
    }</td><td>${row.lastRecordedAt === null ? '<span class="muted">—</span>' : timeCell(row.lastRecordedAt)}</td></tr>`;
    let detail = '';
    if (row.stateError !== undefined) detail = `<p class="err small">${e(row.stateError)}</p>`;
    else if (row.state !== undefined) detail = `<div class="lbl">State</div>${jsonBlock(row.state)}`;
    detail += notesFor([`stream:${row.streamId}`]);
    return `<tbody class="ev">${main}${detail === '' ? '' : `<tr class="detail"><td colspan="6">${detail}</td></tr>`}</tbody>`;
  }

  function chainRowHtml(row: ChainRow): string {
    const indent = Math.min(row.depth, 12) * 18;
    if (row.node === 'command') {
      const outcome = `<span class="badge ${row.outcome ?? 'accepted'}">${e(row.outcome ?? '')}</span>`;
      const err =
        row.errorCode === null
          ? ''
          : `<div class="err small"><b>${e(row.errorCode)}</b>${row.errorMessage === null ? '' : `: ${e(row.errorMessage)}`}</div>`;
      return `<li class="command ${row.outcome ?? ''}" style="margin-left:${indent}px"><b>▸ ${e(row.type)}</b> ${outcome} <span class="muted small">command ${e(
        row.id,
      )}${row.streamId === null ? '' : ` · ${e(row.streamId)}`} · ${e(row.actor ?? '—')} · ${e(displayTime(row.time))}${
        row.policy === null ? '' : ` · policy ${e(row.policy)}`
      }</span>${row.reason === null ? '' : `<div class="small">${e(row.reason)}</div>`}${err}</li>`;
    }
    return `<li class="event" style="margin-left:${indent}px">${typePill(row.type)} <span class="small">${e(row.streamId ?? '')} v${e(
      String(row.version ?? ''),
    )} · #${e(formatInt(row.position))} · ${e(row.actor ?? '—')} · ${e(displayTime(row.time))}</span>${
      row.change === null ? '' : `<div class="chg1">${e(row.change)}</div>`
    }${notesFor([`event:${row.id}`])}</li>`;
  }

  function countRowHtml(row: CountRow): string {
    if (countMax === 0) countMax = Math.max(1, row.count); // rows come largest first
    const width = ((100 * row.count) / countMax).toFixed(1);
    return `<tr><td>${row.key === null ? '<span class="muted">(none)</span>' : e(row.key)}</td><td class="num">${e(
      formatInt(row.count),
    )}</td><td class="barcell"><span class="bar" style="width:${width}%"></span></td></tr>`;
  }

  return {
    head(h: ReportHead): string {
      head = h;
      noteIndex = noteTargetsOf(h.notes);
      const title = e(h.title);
      return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${e(`${h.generator.name} ${h.generator.version}`)}">
<meta name="hindsight-report" content="${e(`schema ${h.schemaVersion}; kind ${h.kind}; store ${h.integrity.storeId}; ${h.integrity.foreign === undefined ? `digest ${h.integrity.digest}` : `sha256 ${h.integrity.fileSha256}; integrity unprovable`}`)}">
<title>${title}</title>
<style>${CSS}
${pageCss(h)}${h.integrity.foreign === undefined ? '' : `\n${FOREIGN_CSS}`}
</style>
</head>
<body>
<main class="page">
<header class="doc-head">
<div><div class="eyebrow">Audit report · ${e(KIND_LABELS[h.kind])}</div>
<h1>${title}</h1></div>
<div class="brand"><b>Hindsight</b>event history evidence</div>
</header>
${statusBlock(h)}
${evidenceBlock(h)}
${overviewBlock(h)}
`;
    },

    section(s: SectionHead): string {
      section = s;
      activity = [];
      countMax = 0;
      const h2 = `<section class="sec" id="sec-${e(s.id)}">\n<h2>${e(s.title)}</h2>\n`;
      switch (s.type) {
        case 'facts':
          return `${h2}<table class="kv"><tbody>\n`;
        case 'counts':
          return `${h2}<table><thead><tr><th>${e(s.keyLabel)}</th><th class="num">Count</th><th></th></tr></thead><tbody>\n`;
        case 'activity':
          return h2;
        case 'events':
          return s.streamId === null
            ? `${h2}<table class="fixed"><colgroup><col style="width:6%"><col style="width:18%"><col style="width:18%"><col style="width:20%"><col style="width:16%"><col style="width:22%"></colgroup><thead><tr><th class="num">#</th><th>Recorded (UTC)</th><th>Stream</th><th>Type</th><th>Actor</th><th>Reason · command</th></tr></thead>\n`
            : `${h2}<table class="fixed"><colgroup><col style="width:6%"><col style="width:6%"><col style="width:19%"><col style="width:22%"><col style="width:19%"><col style="width:28%"></colgroup><thead><tr><th class="num">#</th><th class="num">Ver.</th><th>Recorded (UTC)</th><th>Type</th><th>Actor</th><th>Reason · command</th></tr></thead>\n`;
        case 'commands':
          return `${h2}<table class="fixed"><colgroup><col style="width:5%"><col style="width:17%"><col style="width:22%"><col style="width:16%"><col style="width:11%"><col style="width:7%"><col style="width:22%"></colgroup><thead><tr><th class="num">Seq</th><th>Received (UTC)</th><th>Command · stream</th><th>Actor</th><th>Outcome</th><th class="num">Events</th><th>Reason · error</th></tr></thead>\n`;
        case 'entities':
          return `${h2}${
            s.asOf === null
              ? ''
              : `<p class="small muted">States as of ${e(displayTime(s.asOf))} UTC (the end of the window).</p>\n`
          }<table class="fixed"><colgroup><col style="width:24%"><col style="width:12%"><col style="width:12%"><col style="width:9%"><col style="width:21%"><col style="width:22%"></colgroup><thead><tr><th>Stream</th><th>Category</th><th class="num">Events in scope</th><th class="num">Version</th><th>Last event</th><th>Last recorded (UTC)</th></tr></thead>\n`;
        case 'chain':
          return `${h2}<p class="small muted">Correlation <code>${e(s.correlationId)}</code>: commands and the events they caused, nested by causation, in log order. Rejected commands are kept as evidence.${
            s.truncated ? ' <b class="err">The chain was cut short (too many events).</b>' : ''
          }</p>\n<ol class="chain">\n`;
        default: {
          const never: never = s;
          return String(never);
        }
      }
    },

    row(row: SectionRow): string {
      switch (section?.type) {
        case 'facts': {
          const f = row as FactRow;
          return `<tr><td>${e(f.label)}</td><td>${e(f.value)}</td></tr>\n`;
        }
        case 'counts':
          return `${countRowHtml(row as CountRow)}\n`;
        case 'activity':
          activity.push(row as ActivityRow);
          return '';
        case 'events':
          return `${eventRowHtml(row as EventRow, section.streamId !== null)}\n`;
        case 'commands':
          return `${commandRowHtml(row as CommandRow)}\n`;
        case 'entities':
          return `${entityRowHtml(row as EntityRow)}\n`;
        case 'chain':
          return `${chainRowHtml(row as ChainRow)}\n`;
        default:
          return '';
      }
    },

    endSection(count: number): string {
      const s = section;
      section = undefined;
      if (s === undefined) return '';
      const empty = (cols: number, what: string) =>
        count === 0 ? `<tbody><tr><td colspan="${cols}" class="empty">${e(what)}</td></tr></tbody>` : '';
      switch (s.type) {
        case 'facts':
          return `</tbody></table>\n</section>\n`;
        case 'counts': {
          const others =
            s.others > 0
              ? `<tr><td class="muted">${e(`${formatInt(s.distinct - count)} more`)}</td><td class="num muted">${e(formatInt(s.others))}</td><td></td></tr>\n`
              : '';
          const none = count === 0 ? `<tr><td colspan="3" class="empty">None in scope.</td></tr>\n` : '';
          return `${others}${none}</tbody></table>\n<p class="sec-foot">${e(
            `${formatInt(s.distinct)} distinct${s.distinct > count ? `, the ${formatInt(count)} largest shown` : ''}`,
          )}</p>\n</section>\n`;
        }
        case 'activity': {
          const legend = s.series
            .map(
              (key, i) =>
                `<span><i style="background:${seriesColour(i, key)}"></i>${key === null ? 'other' : e(key)}</span>`,
            )
            .join('');
          const svg = activitySvg({ rows: activity, series: s.series, bucketMs: s.bucketMs, groupBy: s.groupBy });
          activity = [];
          return `<div class="legend">${legend}</div>\n${svg}\n<p class="sec-foot">${e(
            `One bar per ${formatDuration(s.bucketMs)}, stacked by ${s.groupBy}${
              s.from === null ? '' : `, ${displayTime(s.from)} → ${displayTime(s.to ?? s.from)} UTC`
            }.`,
          )}</p>\n</section>\n`;
        }
        case 'events':
          return `${empty(6, 'No events in scope.')}</table>\n<p class="sec-foot">${e(plural(count, 'event'))}</p>\n</section>\n`;
        case 'commands':
          return `${empty(7, 'No commands in scope.')}</table>\n<p class="sec-foot">${e(plural(count, 'command'))}</p>\n</section>\n`;
        case 'entities':
          return `${empty(6, 'No entities in scope.')}</table>\n<p class="sec-foot">${e(plural(count, 'entity', 'entities'))}</p>\n</section>\n`;
        case 'chain':
          return `${count === 0 ? '<li class="empty">Nothing in this chain.</li>\n' : ''}</ol>\n<p class="sec-foot">${e(
            plural(count, 'node'),
          )}</p>\n</section>\n`;
        default:
          return '</section>\n';
      }
    },

    end(): string {
      return `${notesBlock(head.notes)}
<footer class="doc-foot">${e(
        `${head.generator.name} ${head.generator.version} · report schema ${head.schemaVersion} · store ${head.integrity.storeId} · ${sourceId(head)}`,
      )}<br>${head.integrity.foreign === undefined ? '' : `${e(head.integrity.foreign.statement)}<br>`}${e(
        head.integrity.recheck.replaceAll('`', ''),
      )}</footer>
</main>
</body>
</html>
`;
    },
  };
}

/** A whole model as the HTML format (the app's live preview, Electron's printToPDF). */
export function renderHtml(model: ReportModel): string {
  return renderModel(createHtmlRenderer(), model);
}
