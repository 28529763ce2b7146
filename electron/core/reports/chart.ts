import type { ActivityRow } from './schema';
import { escapeHtml, formatDuration, formatInt } from './text';

/**
 * The activity chart of HTML reports, drawn as inline SVG (no script, no external resource): stacked bars per
 * time bucket, one colour per series, a y axis with round ticks, a few UTC time labels and a legend in HTML
 * beside it. Coordinates are written with fixed decimals so the output is byte-stable.
 */

/** Colour-blind-friendly palette (Okabe–Ito, then greys), in series order. */
export const SERIES_COLOURS = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#332288',
  '#888888',
  '#BBBBBB',
];

export function seriesColour(index: number, key: string | null): string {
  if (key === null) return '#A0A4AB';
  return SERIES_COLOURS[index % SERIES_COLOURS.length]!;
}

function fixed(n: number): string {
  return n.toFixed(2).replace(/\.?0+$/, '');
}

/** A round axis maximum ≥ `max`: 1, 2, 2.5 or 5 × 10^k. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const exponent = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * exponent >= max) return step * exponent;
  }
  return 10 * exponent;
}

function timeLabel(iso: string, bucketMs: number): string {
  // Date and minute for buckets under a day; the date alone for day buckets.
  return bucketMs >= 86_400_000 ? iso.slice(0, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

export interface ChartInput {
  rows: readonly ActivityRow[];
  series: readonly (string | null)[];
  bucketMs: number;
  /** What the series are, e.g. "category". */
  groupBy: string;
}

const W = 720;
const H = 230;
const LEFT = 52;
const RIGHT = 12;
const TOP = 14;
const BOTTOM = 40;

/** The chart as an `<svg>` element (width 100%, fixed aspect ratio). */
export function activitySvg(input: ChartInput): string {
  const { rows, series, bucketMs } = input;
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const max = niceMax(rows.reduce((m, r) => Math.max(m, r.total), 0));
  const total = rows.reduce((sum, r) => sum + r.total, 0);
  const label = `Events per ${formatDuration(bucketMs)} by ${input.groupBy}, ${formatInt(total)} in all, UTC`;
  const out: string[] = [];
  out.push(
    `<svg class="chart" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${escapeHtml(label)}" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${escapeHtml(label)}</title>`,
  );
  // Grid and y axis: 4 or 5 ticks of a round step, fewer for tiny maxima (never a fractional count).
  const ticks = [4, 5, 2, 1].find((t) => Number.isInteger(max / t)) ?? 1;
  for (let t = 0; t <= ticks; t++) {
    const value = (max * t) / ticks;
    const y = TOP + plotH - (plotH * t) / ticks;
    out.push(
      `<line x1="${LEFT}" y1="${fixed(y)}" x2="${W - RIGHT}" y2="${fixed(y)}" class="${t === 0 ? 'axis' : 'grid'}"/>`,
      `<text x="${LEFT - 6}" y="${fixed(y + 3.5)}" class="ytick">${escapeHtml(formatInt(Math.round(value)))}</text>`,
    );
  }
  // Bars.
  const n = Math.max(1, rows.length);
  const slot = plotW / n;
  const barW = Math.max(0.6, slot * (n > 60 ? 0.9 : 0.8));
  for (const [i, row] of rows.entries()) {
    const x = LEFT + i * slot + (slot - barW) / 2;
    let y = TOP + plotH;
    for (const [s, count] of row.counts.entries()) {
      if (count === 0) continue;
      const h = (plotH * count) / max;
      y -= h;
      out.push(
        `<rect x="${fixed(x)}" y="${fixed(y)}" width="${fixed(barW)}" height="${fixed(h)}" fill="${seriesColour(s, series[s] ?? null)}"/>`,
      );
    }
  }
  // Time labels: about six, evenly spaced over the buckets.
  if (rows.length > 0) {
    const every = Math.max(1, Math.ceil(rows.length / 6));
    for (let i = 0; i < rows.length; i += every) {
      const x = LEFT + i * slot + slot / 2;
      out.push(
        `<line x1="${fixed(x)}" y1="${TOP + plotH}" x2="${fixed(x)}" y2="${TOP + plotH + 4}" class="axis"/>`,
        `<text x="${fixed(x)}" y="${TOP + plotH + 16}" class="xtick">${escapeHtml(timeLabel(rows[i]!.start, bucketMs))}</text>`,
      );
    }
  } else {
    out.push(`<text x="${W / 2}" y="${TOP + plotH / 2}" class="empty">No events in this range</text>`);
  }
  out.push(
    `<text x="${LEFT + plotW / 2}" y="${H - 6}" class="xlabel">${escapeHtml(`UTC · one bar = ${formatDuration(bucketMs)}`)}</text>`,
    '</svg>',
  );
  return out.join('\n');
}
