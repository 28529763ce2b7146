import { HindsightError } from '../errors';

/**
 * The text side of full-text search, as pure functions: what an event's searchable text is, how text is cut
 * into words (the same way as SQLite FTS5's `unicode61` tokenizer with `remove_diacritics 2`), and how a
 * user's query becomes an FTS5 MATCH expression. Words only ever reach FTS5 as quoted alphanumeric tokens,
 * so no user input can change the shape of the expression.
 */

/** Bumped whenever the text of a document or the tokenizer changes: an index of another version is rebuilt. */
export const SEARCH_TEXT_VERSION = 1;

/** The FTS5 tokenizer clause, kept next to the JavaScript tokenizer that mirrors it. */
export const FTS_TOKENIZER = 'unicode61 remove_diacritics 2';

/** The columns of the full-text index, in order. */
export const FTS_COLUMNS = ['type', 'stream', 'data', 'meta'] as const;

export const MAX_SEARCH_TEXT_LENGTH = 1000;
export const MAX_SEARCH_TERMS = 32;

/** How deep `flattenForSearch` descends (deeper values are not indexed; stored events are ≤ 64 deep anyway). */
const MAX_DEPTH = 100;

/**
 * Every string and number leaf of a JSON value, in document order (object keys in their stored order),
 * separated by spaces. Keys, booleans and nulls are left out: searching `amount` should not find every event.
 */
export function flattenForSearch(value: unknown): string {
  const out: string[] = [];
  collect(value, out, 0);
  return out.join(' ');
}

function collect(value: unknown, out: string[], depth: number): void {
  if (typeof value === 'string') {
    if (value !== '') out.push(value);
    return;
  }
  if (typeof value === 'number') {
    if (Number.isFinite(value)) out.push(String(value));
    return;
  }
  if (typeof value !== 'object' || value === null || depth >= MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, out, depth + 1);
    return;
  }
  for (const key of Object.keys(value)) collect((value as Record<string, unknown>)[key], out, depth + 1);
}

/** The searchable text of an event, one string per FTS column (`FTS_COLUMNS`). */
export interface SearchDocument {
  type: string;
  stream: string;
  data: string;
  meta: string;
}

export function searchDocument(event: {
  eventType: string;
  streamId: string;
  data: unknown;
  metadata: unknown;
}): SearchDocument {
  return {
    type: event.eventType,
    stream: event.streamId,
    data: flattenForSearch(event.data),
    meta: flattenForSearch(event.metadata),
  };
}

// Letters, numbers and private-use characters are word characters; everything else separates words
// (FTS5 unicode61). Marks are removed after decomposition (remove_diacritics 2).
const WORD = /[\p{L}\p{N}\p{Co}]+/gu;
const MARKS = /\p{M}/gu;

/** The words of a text as the index sees them: lower case, diacritics removed. */
export function tokenize(text: string): string[] {
  const folded = text.normalize('NFD').replace(MARKS, '').toLowerCase();
  return folded.match(WORD) ?? [];
}

export interface SearchTerm {
  /** The words of the term, in order (a phrase when more than one). */
  tokens: string[];
  /** The last word is a prefix. */
  prefix: boolean;
}

export interface ParsedSearchText {
  terms: SearchTerm[];
  /** The FTS5 expression (every term required), or null when the text is blank. */
  match: string | null;
}

/**
 * Parses the free text of a search. Terms are separated by white space; `"a b"` keeps words together as a
 * phrase; a trailing `*` makes the last word a prefix. Every term must match (AND). A term without any word
 * character is ignored; text with no words at all is refused (`invalid_input`) unless it is blank.
 */
export function parseSearchText(text: string): ParsedSearchText {
  if (typeof text !== 'string') {
    throw new HindsightError('invalid_input', 'The search text must be a string.', { field: 'text' });
  }
  if (text.length > MAX_SEARCH_TEXT_LENGTH) {
    throw new HindsightError(
      'invalid_input',
      `The search text is ${text.length} characters long; the limit is ${MAX_SEARCH_TEXT_LENGTH}.`,
      { field: 'text' },
    );
  }
  if (text.trim() === '') return { terms: [], match: null };
  const terms: SearchTerm[] = [];
  const pattern = /"([^"]*)"(\*?)|(\S+)/g;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    let raw: string;
    let prefix: boolean;
    if (m[3] !== undefined) {
      raw = m[3];
      prefix = raw.endsWith('*');
    } else {
      raw = m[1] ?? '';
      prefix = m[2] === '*';
    }
    const tokens = tokenize(raw);
    if (tokens.length === 0) continue;
    // A `*` counts only right after a word character (`abc*`, not `abc -*`).
    if (prefix && m[3] !== undefined && !/[\p{L}\p{N}\p{Co}]\*+$/u.test(raw)) prefix = false;
    terms.push({ tokens, prefix });
  }
  if (terms.length === 0) {
    throw new HindsightError(
      'invalid_input',
      `The search text "${text}" has no word to look for (only punctuation); words are letters and digits.`,
      { field: 'text' },
    );
  }
  if (terms.length > MAX_SEARCH_TERMS) {
    throw new HindsightError(
      'invalid_input',
      `The search text has ${terms.length} terms; the limit is ${MAX_SEARCH_TERMS}.`,
      {
        field: 'text',
      },
    );
  }
  return { terms, match: terms.map(termExpression).join(' AND ') };
}

/** A term as an FTS5 phrase: tokens are alphanumeric, so quoting them is always safe. */
export function termExpression(term: SearchTerm): string {
  return `"${term.tokens.join(' ')}"${term.prefix ? ' *' : ''}`;
}

/**
 * An FTS5 expression that finds every event whose metadata holds one of `values` somewhere (a superset of an
 * exact match on one metadata key: the caller still checks the key). Null when a value has no word (then the
 * index cannot narrow the search down).
 */
export function metadataExpression(values: readonly string[]): string | null {
  const phrases: string[] = [];
  for (const value of values) {
    const tokens = tokenize(value);
    if (tokens.length === 0) return null;
    phrases.push(`"${tokens.join(' ')}"`);
  }
  if (phrases.length === 0) return null;
  return phrases.length === 1 ? `meta : ${phrases[0]}` : `meta : (${phrases.join(' OR ')})`;
}

/** True when the tokens of `column` contain the term (as FTS5 would match it in that column). */
function columnMatches(words: readonly string[], term: SearchTerm): boolean {
  const n = term.tokens.length;
  for (let i = 0; i + n <= words.length; i++) {
    let ok = true;
    for (let j = 0; j < n; j++) {
      const word = words[i + j]!;
      const want = term.tokens[j]!;
      if (j === n - 1 && term.prefix ? !word.startsWith(want) : word !== want) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

/**
 * Whether a document matches every term, computed without SQLite: the reference the index is tested against,
 * and a way to search a few events that are not indexed yet.
 */
export function documentMatches(doc: SearchDocument, terms: readonly SearchTerm[]): boolean {
  const columns = [tokenize(doc.type), tokenize(doc.stream), tokenize(doc.data), tokenize(doc.meta)];
  return terms.every((term) => columns.some((words) => columnMatches(words, term)));
}

/** The distinct words of the terms, for highlighting matches in results. */
export function highlightWords(terms: readonly SearchTerm[]): string[] {
  return [...new Set(terms.flatMap((term) => term.tokens))];
}
