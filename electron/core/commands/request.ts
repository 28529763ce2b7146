import { z } from 'zod';
import {
  type Command,
  type CommandDefinition,
  type CommandType,
  getCommandDefinition,
  parseCommand,
} from '../domain/registry';
import { HindsightError } from '../errors';
import { canonicalize } from '../store/canonicalJson';
import { hasLoneSurrogate, LIMITS } from '../store/limits';
import { uuidv7 } from '../store/uuidv7';
import type { CommandInput } from './types';

/**
 * Turning what a caller sends into a request the bus can run, in two steps:
 *
 * 1. `parseRequest` checks the envelope (known command type, actor, ids, reason's shape, a payload that is JSON
 *    within the size cap). A failure here is a caller's mistake: `invalid_input` (or `payload_too_large`), and
 *    nothing is recorded.
 * 2. `checkPayload` validates the payload against the command's schema and requires a reason for corrective
 *    commands. A failure here is a refusal: the bus records it in the command log (outcome `rejected`,
 *    error_code `invalid_input`), because "who tried what and was refused" is audit evidence.
 */

/** Prefix reserved for the actors and command ids of commands issued by policies. */
export const POLICY_PREFIX = 'policy:';

export const MAX_ACTOR_LENGTH = 200;
export const MAX_REASON_LENGTH = 2000;
export const MAX_ID_LENGTH = 128;

export interface CommandRequest {
  definition: CommandDefinition;
  commandType: CommandType;
  /** The payload as given (validated later by `checkPayload`). */
  payload: unknown;
  /** Canonical JSON of the payload: what `commands.payload` holds and what a repeat is compared with. */
  payloadText: string;
  actor: string;
  reason: string | null;
  commandId: string;
  /** True when the bus made the id up (a fresh UUIDv7): it cannot be in the log yet, so the look-up is skipped. */
  freshId: boolean;
  correlationId: string;
  causationId: string;
  /** The issuing policy, for follow-ups. */
  policy: string | null;
  receivedAt: number;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// The reason is prose: line breaks and tabs are fine, other control characters are not.
const REASON_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

const idSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

const callerIdSchema = idSchema.refine(
  (id) => !id.startsWith(POLICY_PREFIX),
  `must not start with "${POLICY_PREFIX}" (reserved for commands issued by policies)`,
);

const inputSchema = z.strictObject({
  commandType: z.string('must be a string'),
  payload: z.unknown(),
  actor: z
    .string('is required (who runs the command)')
    .min(1, 'is required (who runs the command)')
    .max(MAX_ACTOR_LENGTH, `must be at most ${MAX_ACTOR_LENGTH} characters`)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters')
    .refine((s) => s.trim() === s, 'must not start or end with white space')
    .refine((s) => !hasLoneSurrogate(s), 'contains an unpaired UTF-16 surrogate')
    .refine(
      (s) => !s.startsWith(POLICY_PREFIX),
      `must not start with "${POLICY_PREFIX}" (reserved for commands issued by policies)`,
    ),
  reason: z
    .string('must be a string')
    .max(MAX_REASON_LENGTH, `must be at most ${MAX_REASON_LENGTH} characters`)
    .refine((s) => !REASON_CONTROL.test(s), 'must not contain control characters other than line breaks and tabs')
    .refine((s) => !hasLoneSurrogate(s), 'contains an unpaired UTF-16 surrogate')
    .nullish(),
  commandId: callerIdSchema.optional(),
  correlationId: idSchema.optional(),
  causationId: idSchema.optional(),
});

function describeIssues(error: z.ZodError): { message: string; issues: Array<{ path: string; message: string }> } {
  const issues = error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  const message = issues.map((i) => (i.path === '' ? i.message : `${i.path} ${i.message}`)).join('; ');
  return { message, issues };
}

/** Step 1: the envelope. Throws `invalid_input` / `payload_too_large`; the bus records nothing for these. */
export function parseRequest(input: CommandInput, receivedAt: number): CommandRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new HindsightError('invalid_input', 'A command must be an object with commandType, payload and actor.', {
      field: 'command',
    });
  }
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    const { message, issues } = describeIssues(parsed.error);
    throw new HindsightError('invalid_input', `Invalid command: ${message}.`, { issues });
  }
  const value = parsed.data;
  const definition = getCommandDefinition(value.commandType);
  const payloadText = canonicalize(value.payload, { what: 'payload', maxBytes: LIMITS.maxEventPayloadBytes });
  const commandId = value.commandId ?? uuidv7();
  const reason =
    value.reason === undefined || value.reason === null || value.reason.trim() === '' ? null : value.reason;
  return {
    definition,
    commandType: definition.type,
    payload: value.payload,
    payloadText,
    actor: value.actor,
    reason,
    commandId,
    freshId: value.commandId === undefined,
    correlationId: value.correlationId ?? commandId,
    causationId: value.causationId ?? commandId,
    policy: null,
    receivedAt,
  };
}

/** Step 2: the payload's schema and the corrective rule. Returns the parsed command, or the refusal to record. */
export function checkPayload(request: CommandRequest): Command | HindsightError {
  let command: Command;
  try {
    command = parseCommand(request.commandType, request.payload);
  } catch (error) {
    if (error instanceof HindsightError) return error;
    throw error;
  }
  if (request.definition.corrective && request.reason === null) {
    return new HindsightError(
      'invalid_input',
      `${request.commandType} is a corrective command: give a reason (why the consequences of history are being changed).`,
      { field: 'reason', commandType: request.commandType },
    );
  }
  return command;
}
