/**
 * Deterministic text helpers shared by the renderers: times always in UTC, numbers with fixed grouping (no
 * locale, no ICU), JSON with sorted keys, and escaping for HTML and CSS strings. Nothing here depends on the
 * machine, the time zone or the locale, which is what makes two runs of a report byte-identical.
 */

/** ms since 1970 → `2024-05-01T12:00:00.000Z`. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** An ISO time (as the model holds it) → `2024-05-01 12:00:00.000` (the caller labels the zone: UTC). */
export function displayTime(iso: string): string {
  return iso.replace('T', ' ').replace(/Z$/, '');
}

/** 1234567 → `1,234,567` (always commas; no locale). */
export function formatInt(n: number): string {
  const negative = n < 0;
  const digits = String(Math.trunc(Math.abs(n)));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return negative ? `-${out}` : out;
}

/** A count with its noun: `1 event`, `2 events`, `1,204 events`. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatInt(n)} ${n === 1 ? singular : pluralForm}`;
}

/** A duration in ms → `1 minute`, `15 minutes`, `2 hours`, `1 day`, `500 ms`. */
export function formatDuration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) return plural(ms / size, name);
  }
  return `${formatInt(ms)} ms`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const HTML_SPECIAL = /[&<>"']/g;

/** Escapes text for HTML content and (double- or single-quoted) attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(HTML_SPECIAL, (ch) => HTML_ESCAPES[ch]!);
}

/**
 * A CSS string literal (for `content:` in @page margin boxes) that cannot end the string, the rule or the
 * `<style>` element: everything but plain ASCII letters, digits and a few punctuation marks is written as a
 * six-digit CSS escape.
 */
export function cssString(text: string): string {
  let out = '"';
  for (const ch of text) {
    if (/^[A-Za-z0-9 .,:;_()#@+=-]$/.test(ch)) out += ch;
    // Six hex digits and a space: the space ends the escape (CSS consumes one white space after an escape).
    else out += `\\${ch.codePointAt(0)!.toString(16).padStart(6, '0')} `;
  }
  return `${out}"`;
}

function sortedKeys(value: object): string[] {
  // Code-unit order, like canonical JSON (RFC 8785): not localeCompare, whose order depends on ICU data.
  return Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * JSON with object keys sorted (code-unit order), compact or indented. Equal values give equal text whatever
 * the order their keys were created in. `undefined` members are left out, as JSON.stringify does.
 */
export function stableJson(value: unknown, indent = 0): string {
  return write(value, indent, '');
}

function write(value: unknown, indent: number, pad: string): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      const inner = indent > 0 ? pad + ' '.repeat(indent) : '';
      const nl = indent > 0 ? '\n' : '';
      const colon = indent > 0 ? ': ' : ':';
      if (Array.isArray(value)) {
        if (value.length === 0) return '[]';
        const items = value.map((v) => inner + write(v === undefined ? null : v, indent, inner));
        return `[${nl}${items.join(`,${nl}`)}${nl}${indent > 0 ? pad : ''}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = sortedKeys(record).filter((k) => record[k] !== undefined);
      if (keys.length === 0) return '{}';
      const items = keys.map((k) => `${inner}${JSON.stringify(k)}${colon}${write(record[k], indent, inner)}`);
      return `{${nl}${items.join(`,${nl}`)}${nl}${indent > 0 ? pad : ''}}`;
    }
    default:
      return 'null';
  }
}

/**
 * JSON for people: sorted keys like `stableJson`, a value on one line when it fits in `width` characters
 * (`{"amount": 500, "currency": "EUR"}`), else one member per line, indented by two spaces.
 */
export function prettyJson(value: unknown, width = 76): string {
  const compact = stableJson(value);
  if (compact.length > 50_000) return stableJson(value, 2); // large: plain indentation, no fitting
  return pretty(value, '', width);
}

function spaced(value: unknown): string {
  if (value === null || typeof value !== 'object') return stableJson(value);
  if (Array.isArray(value)) return `[${value.map((v) => spaced(v)).join(', ')}]`;
  const record = value as Record<string, unknown>;
  const keys = sortedKeys(record).filter((k) => record[k] !== undefined);
  return `{${keys.map((k) => `${JSON.stringify(k)}: ${spaced(record[k])}`).join(', ')}}`;
}

function pretty(value: unknown, pad: string, width: number): string {
  const flat = spaced(value);
  if (value === null || typeof value !== 'object' || pad.length + flat.length <= width) return flat;
  const inner = `${pad}  `;
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => inner + pretty(v, inner, width)).join(',\n')}\n${pad}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = sortedKeys(record).filter((k) => record[k] !== undefined);
  const items = keys.map((k) => {
    const key = `${JSON.stringify(k)}: `;
    return inner + key + pretty(record[k], inner, width - key.length);
  });
  return `{\n${items.join(',\n')}\n${pad}}`;
}

/** Compares strings by code units (deterministic, unlike localeCompare). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Quotes a file name for a POSIX shell when it needs it (for the re-check sentence). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9._+:@%/=-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
