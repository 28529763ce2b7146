import { copyObject, emptyObject, isJsonObject, type JsonValue, toSafeJson } from './json';

/**
 * RFC 7386 JSON Merge Patch, applied without mutating `target`:
 * - a patch that is not an object replaces the target (arrays are replaced, never merged);
 * - an object patch merges key by key into the target (a non-object target becomes `{}` first);
 * - a `null` member deletes that key; nested objects merge recursively.
 * Every object in the result has a null prototype, so keys such as `__proto__` stay plain data.
 */
export function applyMergePatch(target: unknown, patch: unknown): JsonValue {
  if (!isJsonObject(patch)) return toSafeJson(patch);
  const out = isJsonObject(target) ? copyObject(target) : emptyObject();
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) {
      delete out[key];
    } else {
      out[key] = applyMergePatch(Object.hasOwn(out, key) ? out[key] : undefined, value);
    }
  }
  return out as JsonValue;
}
