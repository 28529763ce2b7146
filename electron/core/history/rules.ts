import { z } from 'zod';
import { HindsightError } from '../errors';
import {
  arrayIndex,
  copyObject,
  emptyObject,
  getOwn,
  getPath,
  isJsonObject,
  type JsonPath,
  type JsonValue,
  jsonEqual,
  toPath,
  toSafeJson,
} from './json';
import { applyMergePatch } from './mergePatch';

/**
 * The declarative, data-only reducer rules of one event type (docs/reconstruction.md, "Rules"). Rules are
 * JSON data kept in the file's `event_types` table; they are validated here and interpreted by
 * `applyRules`. Nothing from a file is ever run as code.
 *
 * A path is a list of keys (`["lines", "0", "sku"]`) or dotted text (`"lines.0.sku"`). `path` points into
 * the state, `from` into the event's data; a rule whose `from` is missing in the data does nothing.
 */

export const MAX_RULES_PER_TYPE = 100;
export const MAX_PATH_SEGMENTS = 32;
const MAX_SEGMENT_LENGTH = 256;
/** Largest `rules` JSON text accepted for one event type, in characters. */
export const MAX_RULES_TEXT = 64 * 1024;

const PathSchema = z.union([
  z.string().max(MAX_PATH_SEGMENTS * (MAX_SEGMENT_LENGTH + 1), 'is too long'),
  z.array(z.string().max(MAX_SEGMENT_LENGTH, 'has a key longer than 256 characters')).max(MAX_PATH_SEGMENTS),
]);

const StatePathSchema = PathSchema.refine((p) => toPath(p).length <= MAX_PATH_SEGMENTS, {
  message: `must have at most ${MAX_PATH_SEGMENTS} keys`,
});
const FieldPathSchema = StatePathSchema.refine((p) => toPath(p).length > 0, {
  message: 'must name a field (the whole state is not allowed here)',
});

const onlyOne = (a: unknown, b: unknown) => a === undefined || b === undefined;

export const RuleSchema = z.discriminatedUnion('op', [
  z.strictObject({
    op: z.literal('merge'),
    /** Where in the state to merge (default: the whole state). */
    path: StatePathSchema.optional(),
    /** What part of the data to merge (default: the whole data). */
    from: StatePathSchema.optional(),
  }),
  z
    .strictObject({
      op: z.literal('set'),
      path: StatePathSchema,
      from: StatePathSchema.optional(),
      value: z.json().optional(),
    })
    .refine((r) => (r.from === undefined) !== (r.value === undefined), {
      message: 'set needs exactly one of "from" (a data path) or "value" (a constant)',
    }),
  z
    .strictObject({
      op: z.literal('increment'),
      path: FieldPathSchema,
      from: StatePathSchema.optional(),
      by: z.number().refine(Number.isFinite, 'must be a finite number').optional(),
    })
    .refine((r) => onlyOne(r.from, r.by), { message: 'increment takes "from" or "by", not both' }),
  z
    .strictObject({
      op: z.literal('append'),
      path: FieldPathSchema,
      from: StatePathSchema.optional(),
      value: z.json().optional(),
      /** Append each element of an array value rather than the array itself. */
      each: z.boolean().optional(),
    })
    .refine((r) => (r.from === undefined) !== (r.value === undefined), {
      message: 'append needs exactly one of "from" (a data path) or "value" (a constant)',
    }),
  z
    .strictObject({
      op: z.literal('remove'),
      path: StatePathSchema,
      from: StatePathSchema.optional(),
      value: z.json().optional(),
      /** For arrays of objects: compare this key of each element with the value. */
      match: FieldPathSchema.optional(),
    })
    .refine((r) => onlyOne(r.from, r.value), { message: 'remove takes "from" or "value", not both' })
    .refine((r) => toPath(r.path).length > 0 || r.from !== undefined || r.value !== undefined, {
      message: 'remove without "from" or "value" must name a field (use delete-entity for the whole state)',
    })
    .refine((r) => r.match === undefined || r.from !== undefined || r.value !== undefined, {
      message: 'remove with "match" needs "from" or "value"',
    }),
  z.strictObject({ op: z.literal('delete-entity') }),
]);

export const RulesSchema = z.array(RuleSchema).max(MAX_RULES_PER_TYPE);

export type Rule = z.infer<typeof RuleSchema>;
export type RuleOp = Rule['op'];

/** A validated rule with its paths split into keys. */
export type CompiledRule =
  | { op: 'merge'; path: JsonPath; from: JsonPath | undefined }
  | { op: 'set'; path: JsonPath; from: JsonPath | undefined; value: JsonValue | undefined }
  | { op: 'increment'; path: JsonPath; from: JsonPath | undefined; by: number }
  | { op: 'append'; path: JsonPath; from: JsonPath | undefined; value: JsonValue | undefined; each: boolean }
  | {
      op: 'remove';
      path: JsonPath;
      from: JsonPath | undefined;
      value: JsonValue | undefined;
      match: JsonPath | undefined;
    }
  | { op: 'delete-entity' };

function optionalPath(path: string | readonly string[] | undefined): JsonPath | undefined {
  return path === undefined ? undefined : toPath(path);
}

function compile(rule: Rule): CompiledRule {
  switch (rule.op) {
    case 'merge':
      return { op: 'merge', path: optionalPath(rule.path) ?? [], from: optionalPath(rule.from) };
    case 'set':
      return {
        op: 'set',
        path: toPath(rule.path),
        from: optionalPath(rule.from),
        value: toSafeJsonOrUndefined(rule.value),
      };
    case 'increment':
      return { op: 'increment', path: toPath(rule.path), from: optionalPath(rule.from), by: rule.by ?? 1 };
    case 'append':
      return {
        op: 'append',
        path: toPath(rule.path),
        from: optionalPath(rule.from),
        value: toSafeJsonOrUndefined(rule.value),
        each: rule.each === true,
      };
    case 'remove':
      return {
        op: 'remove',
        path: toPath(rule.path),
        from: optionalPath(rule.from),
        value: toSafeJsonOrUndefined(rule.value),
        match: optionalPath(rule.match),
      };
    case 'delete-entity':
      return { op: 'delete-entity' };
  }
}

function toSafeJsonOrUndefined(value: unknown): JsonValue | undefined {
  return value === undefined ? undefined : toSafeJson(value);
}

function describeIssue(issue: z.core.$ZodIssue, rules: unknown): string {
  const [index, ...rest] = issue.path;
  const where: string[] = [];
  if (typeof index === 'number') {
    const rule = Array.isArray(rules) ? rules[index] : undefined;
    const op = isJsonObject(rule) && typeof rule.op === 'string' ? ` (${rule.op})` : '';
    where.push(`rule ${index + 1}${op}`);
  }
  if (rest.length > 0) where.push(`"${rest.map(String).join('.')}"`);
  return where.length > 0 ? `${where.join(' ')}: ${issue.message}` : issue.message;
}

/**
 * Validates the rules of `eventType` (already parsed JSON). A bad rule is `invalid_input` naming the event
 * type, the rule's number and what is wrong with it.
 */
export function compileRules(eventType: string, rules: unknown): CompiledRule[] {
  const result = RulesSchema.safeParse(rules);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => describeIssue(issue, rules));
    throw new HindsightError(
      'invalid_input',
      `The reducer rules of event type ${JSON.stringify(eventType)} are not valid: ${problems.join('; ')}.`,
      { eventType, issues: problems },
    );
  }
  return result.data.map(compile);
}

/** Parses and validates the `rules` text of one event type (a JSON array of rules). */
export function compileRulesText(eventType: string, text: string): CompiledRule[] {
  if (text.length > MAX_RULES_TEXT) {
    throw new HindsightError(
      'invalid_input',
      `The reducer rules of event type ${JSON.stringify(eventType)} are ${text.length} characters long; the limit is ${MAX_RULES_TEXT}.`,
      { eventType },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HindsightError(
      'invalid_input',
      `The reducer rules of event type ${JSON.stringify(eventType)} are not valid JSON (${(error as Error).message}).`,
      { eventType },
    );
  }
  return compileRules(eventType, parsed);
}

// -------------------------------------------------------------------------------------------------------------
// Interpretation

/** Marker results of a leaf update: leave the state as it was, or delete the leaf. */
const SKIP: unique symbol = Symbol('skip');
const DELETE: unique symbol = Symbol('delete');
type LeafResult = unknown | typeof SKIP | typeof DELETE;

/**
 * Returns a copy of `value` with the leaf at `path` replaced by `update(current)`, copying only the
 * containers on the path. Missing (or null) containers on the way are created as objects; a step through
 * a string, number or boolean, or an array step that is not an index ≤ length, leaves the state unchanged.
 */
function updateAt(value: unknown, path: JsonPath, depth: number, update: (current: unknown) => LeafResult): LeafResult {
  if (depth === path.length) return update(value);
  const key = path[depth]!;
  if (Array.isArray(value)) {
    const index = arrayIndex(key);
    if (index === undefined || index > value.length) return SKIP;
    const next = updateAt(value[index], path, depth + 1, update);
    if (next === SKIP) return SKIP;
    const copy = value.slice();
    if (next === DELETE) {
      if (index < copy.length) copy.splice(index, 1);
    } else {
      copy[index] = next;
    }
    return copy;
  }
  if (value !== undefined && value !== null && !isJsonObject(value)) return SKIP;
  const next = updateAt(getOwn(value, key), path, depth + 1, update);
  if (next === SKIP) return SKIP;
  const copy = isJsonObject(value) ? copyObject(value) : emptyObject();
  if (next === DELETE) {
    if (!Object.hasOwn(copy, key)) return SKIP;
    delete copy[key];
  } else {
    copy[key] = next;
  }
  return copy;
}

function withLeaf(state: unknown, path: JsonPath, update: (current: unknown) => LeafResult): unknown {
  const next = updateAt(state, path, 0, update);
  if (next === SKIP) return state;
  return next === DELETE ? null : next;
}

function sourceValue(data: unknown, from: JsonPath | undefined, constant: JsonValue | undefined): unknown {
  return from === undefined ? constant : getPath(data, from);
}

function applyRule(state: unknown, data: unknown, rule: CompiledRule): unknown {
  switch (rule.op) {
    case 'merge': {
      const patch = rule.from === undefined ? data : getPath(data, rule.from);
      if (patch === undefined) return state;
      return withLeaf(state, rule.path, (current) => applyMergePatch(current, patch));
    }
    case 'set': {
      const value = sourceValue(data, rule.from, rule.value);
      if (value === undefined) return state;
      return withLeaf(state, rule.path, () => toSafeJson(value));
    }
    case 'increment': {
      const by = rule.from === undefined ? rule.by : getPath(data, rule.from);
      if (typeof by !== 'number' || !Number.isFinite(by)) return state;
      return withLeaf(state, rule.path, (current) => {
        if (current === undefined || current === null) return by;
        if (typeof current !== 'number') return SKIP;
        const sum = current + by;
        return Number.isFinite(sum) ? sum : SKIP;
      });
    }
    case 'append': {
      const value = sourceValue(data, rule.from, rule.value);
      if (value === undefined) return state;
      const items = rule.each && Array.isArray(value) ? value.map(toSafeJson) : [toSafeJson(value)];
      return withLeaf(state, rule.path, (current) => {
        if (current === undefined || current === null) return items;
        if (!Array.isArray(current)) return SKIP;
        return [...current, ...items];
      });
    }
    case 'remove': {
      if (rule.from === undefined && rule.value === undefined) {
        return withLeaf(state, rule.path, (current) => (current === undefined ? SKIP : DELETE));
      }
      const value = sourceValue(data, rule.from, rule.value);
      if (value === undefined) return state;
      return withLeaf(state, rule.path, (current) => {
        if (Array.isArray(current)) {
          const match = rule.match;
          const kept = current.filter((item) => !jsonEqual(match === undefined ? item : getPath(item, match), value));
          return kept.length === current.length ? SKIP : kept;
        }
        if (isJsonObject(current) && typeof value === 'string' && Object.hasOwn(current, value)) {
          const copy = copyObject(current);
          delete copy[value];
          return copy;
        }
        return SKIP;
      });
    }
    case 'delete-entity':
      return null;
  }
}

/** Applies the rules of one event, in order, to `state`; never mutates `state` or `data`. */
export function applyRules(state: unknown, data: unknown, rules: readonly CompiledRule[]): unknown {
  let current = state;
  for (const rule of rules) current = applyRule(current, data, rule);
  return current;
}
