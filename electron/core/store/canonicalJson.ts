import { HindsightError } from '../errors';
import { hasLoneSurrogate, LIMITS } from './limits';

/**
 * Canonical JSON (RFC 8785 style), the only form in which `data` and `metadata` are stored and hashed:
 * object keys sorted by UTF-16 code units, no white space, numbers as JavaScript prints them
 * (`JSON.stringify`), strings escaped as `JSON.stringify` does. Only JSON values are accepted: plain
 * objects, arrays, strings, finite numbers, booleans and null. Anything else (undefined, functions,
 * symbols, bigints, NaN/Infinity, Dates, Maps, class instances, cycles, unpaired surrogates) is refused
 * with `invalid_input` naming the path; output over `maxBytes` is refused with `payload_too_large`.
 */
export interface CanonicalOptions {
  /** A name for error messages, e.g. `data` → "data.items[2] is not a finite number". */
  what?: string;
  /** Largest accepted output in UTF-8 bytes. */
  maxBytes?: number;
  /** Deepest accepted nesting of objects/arrays (the top-level container is depth 1). */
  maxDepth?: number;
}

// `String.prototype.isWellFormed` (ES2024) is native and fast where it exists (Node ≥ 20).
const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (s) => !hasLoneSurrogate(s);

/** The state of one canonicalization; module-level functions instead of closures keep the hot path lean. */
interface Walk {
  what: string;
  maxBytes: number;
  maxDepth: number;
  /** Keys/indexes from the root to the value being written, for error messages. */
  path: (string | number)[];
  /** Objects/arrays from the root to the value being written, to tell a cycle from deep nesting. */
  stack: object[];
  out: string;
}

function pathText(w: Walk): string {
  let text = w.what;
  for (const key of w.path) text += typeof key === 'number' ? `[${key}]` : `.${key}`;
  return text;
}

function refuse(w: Walk, problem: string): never {
  const at = pathText(w);
  throw new HindsightError('invalid_input', `${at} ${problem}.`, { path: at });
}

function tooLarge(w: Walk, size: number): never {
  throw new HindsightError(
    'payload_too_large',
    `${w.what} is larger than the limit of ${w.maxBytes} bytes of canonical JSON.`,
    {
      field: w.what,
      limit: w.maxBytes,
      size,
    },
  );
}

function writeString(w: Walk, s: string): void {
  if (!isWellFormed(s)) refuse(w, 'contains an unpaired UTF-16 surrogate');
  w.out += JSON.stringify(s);
}

function writeValue(w: Walk, v: unknown, depth: number): void {
  switch (typeof v) {
    case 'string':
      writeString(w, v);
      return;
    case 'number':
      if (!Number.isFinite(v)) refuse(w, `is ${String(v)}, which JSON cannot hold`);
      w.out += JSON.stringify(v);
      return;
    case 'boolean':
      w.out += v ? 'true' : 'false';
      return;
    case 'undefined':
      refuse(w, 'is undefined, which JSON cannot hold');
      return;
    case 'bigint':
      refuse(w, 'is a bigint; store it as a string');
      return;
    case 'function':
    case 'symbol':
      refuse(w, `is a ${typeof v}, which JSON cannot hold`);
      return;
  }
  if (v === null) {
    w.out += 'null';
    return;
  }
  const obj = v as object;
  if (depth >= w.maxDepth) {
    refuse(w, w.stack.includes(obj) ? 'contains a circular reference' : `is nested deeper than ${w.maxDepth} levels`);
  }
  // Cheap early stop for huge values: the output so far in UTF-16 units is a lower bound of its UTF-8 size.
  if (w.out.length > w.maxBytes) tooLarge(w, w.out.length);
  w.stack.push(obj);
  if (Array.isArray(obj)) {
    w.out += '[';
    for (let i = 0; i < obj.length; i++) {
      if (i > 0) w.out += ',';
      w.path.push(i);
      writeValue(w, obj[i], depth + 1);
      w.path.pop();
    }
    w.out += ']';
  } else {
    const proto = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      const name = (obj.constructor as { name?: unknown } | undefined)?.name;
      refuse(
        w,
        `is a ${typeof name === 'string' && name ? name : 'non-plain object'}; only plain objects can be stored`,
      );
    }
    if (Object.getOwnPropertySymbols(obj).length > 0) refuse(w, 'has symbol keys, which JSON cannot hold');
    const keys = Object.keys(obj).sort();
    const record = obj as Record<string, unknown>;
    w.out += '{';
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (i > 0) w.out += ',';
      w.path.push(key);
      writeString(w, key);
      w.out += ':';
      writeValue(w, record[key], depth + 1);
      w.path.pop();
    }
    w.out += '}';
  }
  w.stack.pop();
}

export function canonicalize(value: unknown, opts: CanonicalOptions = {}): string {
  return canonicalizeMeasured(value, opts).text;
}

const SLOW = Symbol('slow');
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

/**
 * The fast path: returns `v` itself when it is already in canonical key order, a re-ordered copy when
 * only key order differs, or SLOW when anything needs the careful walk (a value JSON cannot hold, an
 * array-index-like key — JavaScript would print those first —, deep nesting, a non-plain object).
 * The result is then printed by the native `JSON.stringify`, which is what makes it fast.
 */
function normalize(v: unknown, depth: number, maxDepth: number): unknown {
  switch (typeof v) {
    case 'string':
      return isWellFormed(v) ? v : SLOW;
    case 'number':
      return Number.isFinite(v) ? v : SLOW;
    case 'boolean':
      return v;
    case 'object':
      break;
    default:
      return SLOW;
  }
  if (v === null) return v;
  if (depth >= maxDepth) return SLOW;
  if (Array.isArray(v)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const item = v[i];
      const n = normalize(item, depth + 1, maxDepth);
      if (n === SLOW) return SLOW;
      if (n !== item && copy === undefined) copy = v.slice(0, i);
      if (copy !== undefined) copy.push(n);
    }
    return copy ?? v;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return SLOW;
  if (Object.getOwnPropertySymbols(v).length > 0) return SLOW;
  const record = v as Record<string, unknown>;
  const keys = Object.keys(record);
  let order = keys;
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      order = keys.slice().sort();
      break;
    }
  }
  // A copy is needed when the key order or a nested value changes.
  let copy: Record<string, unknown> | undefined = order === keys ? undefined : {};
  for (let i = 0; i < order.length; i++) {
    const key = order[i]!;
    const first = key.charCodeAt(0);
    if ((first >= 48 && first <= 57 && ARRAY_INDEX.test(key)) || !isWellFormed(key)) return SLOW;
    const item = record[key];
    const n = normalize(item, depth + 1, maxDepth);
    if (n === SLOW) return SLOW;
    if (copy === undefined && n !== item) {
      copy = {};
      for (let j = 0; j < i; j++) setOwn(copy, order[j]!, record[order[j]!]);
    }
    if (copy !== undefined) setOwn(copy, key, n);
  }
  return copy ?? v;
}

/** `target[key] = value`, except that a "__proto__" key becomes an ordinary own property. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** `canonicalize`, also returning the UTF-8 byte length of the text (used to enforce a shared cap). */
export function canonicalizeMeasured(value: unknown, opts: CanonicalOptions = {}): { text: string; bytes: number } {
  const maxBytes = opts.maxBytes ?? LIMITS.maxEventPayloadBytes;
  const normalized = normalize(value, 0, opts.maxDepth ?? LIMITS.maxNestingDepth);
  if (normalized !== SLOW) {
    const text = JSON.stringify(normalized);
    const bytes = text.length > maxBytes ? text.length : Buffer.byteLength(text, 'utf8');
    if (bytes <= maxBytes) return { text, bytes };
  }
  return canonicalizeCarefully(value, opts);
}

/** The careful walk: writes canonical JSON itself, and names the path of anything it must refuse. */
function canonicalizeCarefully(value: unknown, opts: CanonicalOptions): { text: string; bytes: number } {
  const w: Walk = {
    what: opts.what ?? 'value',
    maxBytes: opts.maxBytes ?? LIMITS.maxEventPayloadBytes,
    maxDepth: opts.maxDepth ?? LIMITS.maxNestingDepth,
    path: [],
    stack: [],
    out: '',
  };
  writeValue(w, value, 0);
  const text = w.out;
  const bytes = text.length > w.maxBytes ? text.length : Buffer.byteLength(text, 'utf8');
  if (bytes > w.maxBytes) tooLarge(w, bytes);
  return { text, bytes };
}

/**
 * Parses JSON text given by a user (a CLI argument, an import line) with a size check before the
 * parse. Errors are `invalid_input` naming `what`, or `payload_too_large`.
 */
export function parseJsonText(text: string, what: string, maxLength: number = LIMITS.maxImportLineLength): unknown {
  if (text.length > maxLength) {
    throw new HindsightError(
      'payload_too_large',
      `${what} is ${text.length} characters long; the limit is ${maxLength}.`,
      {
        field: what,
        limit: maxLength,
        size: text.length,
      },
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HindsightError('invalid_input', `${what} is not valid JSON (${reason}).`, { field: what });
  }
}
