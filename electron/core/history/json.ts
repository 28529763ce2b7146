/**
 * JSON helpers for state reconstruction, written so that data from a file can never reach a prototype.
 *
 * - Objects the generic reducer builds are null-prototype objects (`Object.create(null)`): assigning
 *   `obj['__proto__'] = v` on them creates an ordinary own property, and there is no `constructor` or
 *   `prototype` to reach through them.
 * - Reads go through `getOwn`, which only sees own properties: `getOwn({}, 'constructor')` is
 *   `undefined`, never `Object`.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A path into a JSON value: object keys and array indexes, as strings (`['lines', '0', 'sku']`). */
export type JsonPath = readonly string[];

/** A plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A fresh null-prototype object. */
export function emptyObject(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/** An own property of an object or array element, or undefined; never an inherited one. */
export function getOwn(container: unknown, key: string): unknown {
  if (Array.isArray(container)) {
    const index = arrayIndex(key);
    return index !== undefined && index < container.length ? container[index] : undefined;
  }
  if (isJsonObject(container) && Object.hasOwn(container, key)) return container[key];
  return undefined;
}

/** The value at `path` (own properties only), or undefined when any step is missing. */
export function getPath(value: unknown, path: JsonPath): unknown {
  let current = value;
  for (const key of path) {
    current = getOwn(current, key);
    if (current === undefined) return undefined;
  }
  return current;
}

/** `"12"` → 12; anything that is not a canonical non-negative integer (`"01"`, `"-1"`, `"1e3"`) → undefined. */
export function arrayIndex(key: string): number | undefined {
  if (!/^(0|[1-9]\d{0,8})$/.test(key)) return undefined;
  return Number(key);
}

/** A shallow copy of an object into a null-prototype object. */
export function copyObject(source: Record<string, unknown>): Record<string, unknown> {
  const out = emptyObject();
  for (const key of Object.keys(source)) out[key] = source[key];
  return out;
}

/**
 * A deep copy of a JSON value whose objects all have a null prototype. Values that are not JSON
 * (functions, undefined, NaN) do not occur in parsed data; they are copied as null to stay JSON.
 */
export function toSafeJson(value: unknown): JsonValue {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'object': {
      if (Array.isArray(value)) return value.map(toSafeJson);
      const out = emptyObject();
      for (const key of Object.keys(value)) out[key] = toSafeJson((value as Record<string, unknown>)[key]);
      return out as JsonObject;
    }
    default:
      return null;
  }
}

/** Parses JSON text into null-prototype objects (for snapshot states of the generic reducer). */
export function parseSafeJson(text: string): JsonValue {
  return toSafeJson(JSON.parse(text));
}

/** Structural equality of two JSON values (key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  if (ak.length !== bk.length) return false;
  for (const key of ak) {
    if (!Object.hasOwn(b, key)) return false;
    if (!jsonEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * A field path given as a list of keys, or as dotted text (`"lines.0.sku"`). Use the list form for keys
 * that contain a dot. The empty text and the empty list both mean the whole value.
 */
export function toPath(path: string | readonly string[]): string[] {
  if (typeof path === 'string') return path === '' ? [] : path.split('.');
  return [...path];
}
