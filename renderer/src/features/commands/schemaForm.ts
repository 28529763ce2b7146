// A form generated from a command's JSON Schema: the subset our domains use (objects, strings with
// patterns, integers with bounds, arrays of objects). Form values are kept as typed text; `toPayload`
// turns them into the JSON the command expects, and `validate` gives the inline messages. The main
// process validates again with zod: it stays the source of truth, these messages are for speed.
import type { JsonSchema } from '../../../../shared/types';

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FieldErrors = Record<string, string>;

export function initialValue(schema: JsonSchema, example?: unknown): FormValue {
  if (schema.type === 'object') {
    const out: Record<string, FormValue> = {};
    const source = isRecord(example) ? example : {};
    for (const [key, child] of Object.entries(schema.properties ?? {})) out[key] = initialValue(child, source[key]);
    return out;
  }
  if (schema.type === 'array') {
    const items = Array.isArray(example) ? example : [];
    const minimum = Math.max(schema.minItems ?? 0, items.length > 0 ? items.length : 1);
    return Array.from({ length: minimum }, (_, index) => initialValue(schema.items ?? {}, items[index]));
  }
  return example === undefined || example === null ? '' : String(example);
}

/** An empty row for an array field. */
export function emptyItem(schema: JsonSchema): FormValue {
  return initialValue(schema.items ?? {});
}

export function toPayload(schema: JsonSchema, value: FormValue): unknown {
  if (schema.type === 'object') {
    const record = isRecord(value) ? value : {};
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      const raw = record[key] ?? '';
      // Optional fields left empty are omitted, so the domain's defaults apply.
      if (raw === '' && !(schema.required ?? []).includes(key)) continue;
      out[key] = toPayload(child, raw);
    }
    return out;
  }
  if (schema.type === 'array') {
    return (Array.isArray(value) ? value : []).map((item) => toPayload(schema.items ?? {}, item));
  }
  const text = typeof value === 'string' ? value.trim() : '';
  if (schema.type === 'integer' || schema.type === 'number') {
    return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  }
  return text;
}

export function validate(schema: JsonSchema, value: FormValue, path = ''): FieldErrors {
  const errors: FieldErrors = {};
  if (schema.type === 'object') {
    const record = isRecord(value) ? value : {};
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      const childPath = path ? `${path}.${key}` : key;
      const raw = record[key] ?? '';
      if (raw === '') {
        if ((schema.required ?? []).includes(key)) errors[childPath] = 'Required.';
        continue;
      }
      Object.assign(errors, validate(child, raw, childPath));
    }
    return errors;
  }
  if (schema.type === 'array') {
    const items = Array.isArray(value) ? value : [];
    if (schema.minItems !== undefined && items.length < schema.minItems) {
      errors[path] = `At least ${schema.minItems} ${schema.minItems === 1 ? 'entry' : 'entries'}.`;
    }
    if (schema.maxItems !== undefined && items.length > schema.maxItems) errors[path] = `At most ${schema.maxItems}.`;
    items.forEach((item, index) => {
      Object.assign(errors, validate(schema.items ?? {}, item, `${path}.${index}`));
    });
    return errors;
  }
  const message = leafError(schema, typeof value === 'string' ? value.trim() : '');
  if (message) errors[path] = message;
  return errors;
}

function leafError(schema: JsonSchema, text: string): string | null {
  if (schema.type === 'integer') {
    if (!/^-?\d+$/.test(text)) return 'A whole number, in minor units (e.g. cents).';
    const n = Number(text);
    if (!Number.isSafeInteger(n)) return 'Too large.';
    if (schema.minimum !== undefined && n < schema.minimum) return `At least ${schema.minimum}.`;
    if (schema.exclusiveMinimum !== undefined && n <= schema.exclusiveMinimum) {
      return `Greater than ${schema.exclusiveMinimum}.`;
    }
    if (schema.maximum !== undefined && n > schema.maximum) return `At most ${schema.maximum}.`;
    if (schema.not && 'const' in schema.not && schema.not.const === n) return `Must not be ${n}.`;
    return null;
  }
  if (schema.type === 'string') {
    if (schema.minLength !== undefined && text.length < schema.minLength)
      return `At least ${schema.minLength} characters.`;
    if (schema.maxLength !== undefined && text.length > schema.maxLength)
      return `At most ${schema.maxLength} characters.`;
    // JSON Schema patterns are ECMA-262 regular expressions with Unicode semantics (\p{…} classes).
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(text))
      return schema.description ?? 'Not in the expected form.';
    if (schema.enum && !schema.enum.includes(text)) return `One of: ${schema.enum.join(', ')}.`;
  }
  return null;
}

/** Server-side issues (`details.issues` of an invalid_input error) as field errors. */
export function issuesToFieldErrors(details: Record<string, unknown> | undefined, prefix = 'payload'): FieldErrors {
  const issues = Array.isArray(details?.issues) ? details.issues : [];
  const errors: FieldErrors = {};
  for (const issue of issues) {
    if (!isRecord(issue) || !Array.isArray(issue.path)) continue;
    const path = issue.path.map(String);
    const key = path[0] === prefix ? path.slice(1).join('.') : path.join('.');
    errors[key] = String(issue.message ?? 'Invalid.');
  }
  return errors;
}

export function setAt(value: FormValue, path: (string | number)[], next: FormValue): FormValue {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    const index = Number(head);
    copy[index] = setAt(copy[index] ?? '', rest, next);
    return copy;
  }
  const record = isRecord(value) ? value : {};
  return { ...record, [String(head)]: setAt(record[String(head)] ?? '', rest, next) };
}

function isRecord(value: unknown): value is Record<string, FormValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
