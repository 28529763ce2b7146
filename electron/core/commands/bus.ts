import { isErrorCode } from '../../../shared/ipc/result';
import { DOMAIN_ERROR_CODES, type DomainErrorCode, isDomainError } from '../domain/decider';
import { type PolicyCommand, type PolicyTrigger, policiesFor } from '../domain/policies';
import {
  type Command,
  type DomainEvent,
  decideCommand,
  EVENTS,
  getCommandDefinition,
  streamIdOf,
} from '../domain/registry';
import { HindsightError, toErrorPayload } from '../errors';
import { canonicalize } from '../store/canonicalJson';
import type { EventStore } from '../store/eventStore';
import type { NewEvent, StoredEvent } from '../store/types';
import { findCommandRecord, insertCommandRecord, type StoredCommandRecord } from './commandLog';
import { loadState } from './loadState';
import { type CommandRequest, checkPayload, POLICY_PREFIX, parseRequest } from './request';
import type {
  AcceptedCommand,
  CommandError,
  CommandInput,
  CommandOutcome,
  ExecuteHooks,
  ExecuteOptions,
  FailedCommand,
  LoadedInfo,
  RecordedOutcome,
} from './types';

/**
 * The command bus (DESIGN.md §4; the decisions are written down in README.md beside this file): validate → load
 * the stream → decide → append with the expected version (retry on a conflict) → record the outcome in `commands`
 * in the same transaction → run the policies for the new events, each follow-up through this same bus as its own
 * command.
 *
 * Concurrency is optimistic: the stream is loaded and the command decided *outside* the write lock, then one
 * write transaction re-checks the command id, appends with `expectedVersion` = the version loaded (or, when
 * nothing is appended, checks that version) and writes the log row. If another writer moved the stream in
 * between, the transaction rolls back and the command is decided again on the new state, up to `maxRetries`
 * times. A rejection is recorded only if it was decided on the stream's current version, like an acceptance.
 */

export const DEFAULT_MAX_RETRIES = 5;
export const DEFAULT_MAX_POLICY_DEPTH = 8;
export const DEFAULT_MAX_CHAIN_COMMANDS = 1000;

interface Context {
  store: EventStore;
  maxRetries: number;
  runPolicies: boolean;
  maxPolicyDepth: number;
  maxChainCommands: number;
  policies: (trigger: PolicyTrigger) => PolicyCommand[];
  now: () => number;
  hooks: ExecuteHooks;
  /** Commands run so far for this top-level command (follow-ups and replays included). */
  commands: number;
}

function wholeNumber(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new HindsightError('invalid_input', `The option ${field} must be a whole number of 0 or more.`, { field });
  }
  return value;
}

function contextOf(store: EventStore, opts: ExecuteOptions): Context {
  return {
    store,
    maxRetries: wholeNumber(opts.maxRetries, DEFAULT_MAX_RETRIES, 'maxRetries'),
    runPolicies: opts.runPolicies ?? true,
    maxPolicyDepth: wholeNumber(opts.maxPolicyDepth, DEFAULT_MAX_POLICY_DEPTH, 'maxPolicyDepth'),
    maxChainCommands: wholeNumber(opts.maxChainCommands, DEFAULT_MAX_CHAIN_COMMANDS, 'maxChainCommands'),
    policies: opts.policies ?? policiesFor,
    now: opts.now ?? Date.now,
    hooks: opts.hooks ?? {},
    commands: 0,
  };
}

/**
 * Runs one command and the commands its events cause. Returns the command's recorded outcome: `accepted` (with
 * its events) or `rejected` by the domain (with the domain's code). Throws (and records nothing) for a malformed
 * command (`invalid_input`, `payload_too_large`), a read-only store (`read_only`), a stream that kept changing
 * (`concurrency`), a locked file (`locked`). A payload that fails its schema, or a corrective command without a
 * reason, is recorded as a refusal and then thrown as `invalid_input`.
 *
 * Idempotent by `commandId`: if that id is already in the log (same type and payload), the first answer is
 * returned (`replayed: true`) and nothing is written, except follow-ups that a crash prevented from running.
 */
export function executeCommand(store: EventStore, input: CommandInput, opts: ExecuteOptions = {}): RecordedOutcome {
  const ctx = contextOf(store, opts);
  const request = parseRequest(input, ctx.now());
  const check = checkPayload(request);
  if (store.mode !== 'read-write') {
    if (check instanceof HindsightError) throw check;
    throw new HindsightError(
      'read_only',
      `${store.path} is open read-only (evidence mode), so commands cannot run on it; open it read-write to run ${request.commandType}.`,
      { path: store.path, commandType: request.commandType },
    );
  }
  const outcome = runCommand(ctx, request, check, 0);
  if (outcome.outcome === 'rejected' && outcome.error.code === 'invalid_input') {
    throw new HindsightError('invalid_input', outcome.error.message, {
      ...outcome.error.details,
      commandId: outcome.commandId,
      recorded: true,
      replayed: outcome.replayed,
    });
  }
  return outcome;
}

/** Every outcome of a command tree, in the order the commands ran (depth first). */
export function flattenOutcome(outcome: CommandOutcome): CommandOutcome[] {
  return [outcome, ...outcome.triggered.flatMap(flattenOutcome)];
}

// ---------------------------------------------------------------------------------------------------------------

function runCommand(
  ctx: Context,
  request: CommandRequest,
  check: Command | HindsightError,
  depth: number,
): RecordedOutcome {
  ctx.commands++;
  const existing = request.freshId ? undefined : findCommandRecord(ctx.store.db, request.commandId);
  if (existing !== undefined) return replay(ctx, request, existing, depth);
  if (check instanceof HindsightError) {
    return recordRefusal(ctx, request, null, errorOf(check), depth);
  }
  const streamId = streamIdOf(check);
  if (depth > ctx.maxPolicyDepth || ctx.commands > ctx.maxChainCommands) {
    const bound =
      depth > ctx.maxPolicyDepth
        ? `the chain of policies is deeper than ${ctx.maxPolicyDepth} commands`
        : `the chain of policies has more than ${ctx.maxChainCommands} commands`;
    return recordRefusal(
      ctx,
      request,
      streamId,
      {
        code: 'internal',
        message: `${request.commandType} issued by policy ${request.policy ?? '?'} was not run: ${bound} (a policy loop?).`,
      },
      depth,
    );
  }
  return decideAndRecord(ctx, request, check, streamId, depth);
}

/** Records a refusal decided without the stream (invalid payload, a chain bound). */
function recordRefusal(
  ctx: Context,
  request: CommandRequest,
  streamId: string | null,
  error: CommandError,
  depth: number,
): RecordedOutcome {
  const { store } = ctx;
  const existing = store.transaction(() => {
    const already = findCommandRecord(store.db, request.commandId);
    if (already !== undefined) return already;
    insertCommandRecord(store.db, {
      ...recordBase(request, streamId),
      outcome: 'rejected',
      errorCode: error.code,
      errorMessage: error.message,
      firstPosition: null,
      lastPosition: null,
    });
    return undefined;
  });
  if (existing !== undefined) return replay(ctx, request, existing, depth);
  return { ...outcomeBase(request, streamId, 1), outcome: 'rejected', error };
}

type Written =
  | { kind: 'replay'; record: StoredCommandRecord }
  | { kind: 'rejected'; error: CommandError }
  | { kind: 'accepted'; events: StoredEvent[] };

function decideAndRecord(
  ctx: Context,
  request: CommandRequest,
  command: Command,
  streamId: string,
  depth: number,
): RecordedOutcome {
  const { store } = ctx;
  const metadata = metadataOf(request);
  for (let attempt = 1; ; attempt++) {
    const loaded = loadState(store, streamId);
    const info: LoadedInfo = {
      commandId: request.commandId,
      commandType: request.commandType,
      streamId,
      attempt,
      version: loaded.version,
    };
    ctx.hooks.afterLoad?.(info);
    let decision: DomainEvent[] | CommandError;
    try {
      decision = decideCommand(command, loaded.state);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      decision = errorOf(error);
    }

    let written: Written;
    try {
      written = store.transaction((): Written => {
        const already = request.freshId ? undefined : findCommandRecord(store.db, request.commandId);
        if (already !== undefined) return { kind: 'replay', record: already };
        let result: Written;
        if (!Array.isArray(decision) || decision.length === 0) {
          assertVersion(store, streamId, loaded.version);
          result = Array.isArray(decision) ? { kind: 'accepted', events: [] } : { kind: 'rejected', error: decision };
        } else {
          const events: NewEvent[] = decision.map((event) => ({
            type: event.type,
            data: event.data,
            metadata,
            schemaVersion: EVENTS[event.type].schemaVersion,
          }));
          const appended = store.append(streamId, events, { expectedVersion: loaded.version });
          result = { kind: 'accepted', events: appended.events };
        }
        insertCommandRecord(store.db, {
          ...recordBase(request, streamId),
          outcome: result.kind === 'rejected' ? 'rejected' : 'accepted',
          errorCode: result.kind === 'rejected' ? (result.error.domainCode ?? result.error.code) : null,
          errorMessage: result.kind === 'rejected' ? result.error.message : null,
          firstPosition: result.kind === 'accepted' ? (result.events[0]?.globalPosition ?? null) : null,
          lastPosition: result.kind === 'accepted' ? (result.events.at(-1)?.globalPosition ?? null) : null,
        });
        ctx.hooks.beforeCommit?.({ ...info, outcome: result.kind === 'rejected' ? 'rejected' : 'accepted' });
        return result;
      });
    } catch (error) {
      if (error instanceof HindsightError && error.code === 'concurrency') {
        if (attempt <= ctx.maxRetries) continue;
        throw new HindsightError(
          'concurrency',
          `${request.commandType} ${request.commandId} was not run: other writers changed ${streamId} during each of its ${attempt} attempts. Nothing was written; run it again with the same command id.`,
          { commandId: request.commandId, streamId, attempts: attempt },
        );
      }
      throw error;
    }

    switch (written.kind) {
      case 'replay':
        return replay(ctx, request, written.record, depth);
      case 'rejected':
        return { ...outcomeBase(request, streamId, attempt), outcome: 'rejected', error: written.error };
      case 'accepted': {
        const outcome: AcceptedCommand = {
          ...outcomeBase(request, streamId, attempt),
          outcome: 'accepted',
          events: written.events,
          firstPosition: written.events[0]?.globalPosition ?? null,
          lastPosition: written.events.at(-1)?.globalPosition ?? null,
        };
        outcome.triggered = runPolicies(ctx, outcome, depth);
        return outcome;
      }
    }
  }
}

/** Inside the write transaction: the stream is still at the version the decision was based on. */
function assertVersion(store: EventStore, streamId: string, expected: number): void {
  const actual = store.getStream(streamId)?.version ?? 0;
  if (actual !== expected) {
    throw new HindsightError('concurrency', `Stream ${streamId} is at version ${actual}, not ${expected}.`, {
      streamId,
      expected,
      actual,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Replays (a command id already in the log)

function replay(ctx: Context, request: CommandRequest, record: StoredCommandRecord, depth: number): RecordedOutcome {
  if (record.commandType !== request.commandType || record.payload !== request.payloadText) {
    throw new HindsightError(
      'invalid_input',
      `The command id ${request.commandId} was already used for another command (${record.commandType} ${record.payload}, received ${new Date(record.receivedAt).toISOString()}); use a new command id.`,
      { field: 'commandId', commandId: request.commandId, recordedCommandType: record.commandType },
    );
  }
  const events =
    record.outcome === 'accepted' && record.firstPosition !== null && record.lastPosition !== null
      ? readPositions(ctx.store, record.firstPosition, record.lastPosition)
      : [];
  const first = events[0]?.metadata;
  const base = {
    commandId: record.commandId,
    commandType: record.commandType,
    streamId: record.streamId,
    actor: record.actor ?? request.actor,
    reason: record.reason,
    receivedAt: record.receivedAt,
    correlationId: typeof first?.correlation_id === 'string' ? first.correlation_id : request.correlationId,
    causationId: typeof first?.causation_id === 'string' ? first.causation_id : request.causationId,
    policy: request.policy,
    replayed: true,
    attempts: 0,
    events,
    triggered: [],
  };
  if (record.outcome === 'rejected') {
    return { ...base, outcome: 'rejected', error: errorFromRecord(record) };
  }
  const outcome: AcceptedCommand = {
    ...base,
    outcome: 'accepted',
    firstPosition: record.firstPosition,
    lastPosition: record.lastPosition,
  };
  // Follow-ups are idempotent: already recorded ones are replayed, missing ones (a crash between the command's
  // transaction and its follow-ups') run now.
  outcome.triggered = runPolicies(ctx, outcome, depth);
  return outcome;
}

function readPositions(store: EventStore, first: number, last: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  let after = first - 1;
  while (after < last) {
    const page = store.readAll({ afterPosition: after, limit: Math.min(10_000, last - after) });
    if (page.length === 0) break;
    events.push(...page);
    after = page[page.length - 1]!.globalPosition;
  }
  return events;
}

const DOMAIN_CODES = new Set<string>(DOMAIN_ERROR_CODES);

/** `error_code` holds the domain code of a domain rejection, otherwise a Hindsight error code. */
function errorFromRecord(record: StoredCommandRecord): CommandError {
  const code = record.errorCode ?? 'rejected';
  const message = record.errorMessage ?? 'Rejected.';
  if (DOMAIN_CODES.has(code)) return { code: 'rejected', domainCode: code as DomainErrorCode, message };
  if (isErrorCode(code)) return { code, message };
  return { code: 'rejected', message: `${message} (${code})` };
}

// ---------------------------------------------------------------------------------------------------------------
// Policies (process managers)

function runPolicies(ctx: Context, parent: AcceptedCommand, depth: number): CommandOutcome[] {
  if (!ctx.runPolicies) return [];
  const triggered: CommandOutcome[] = [];
  for (const event of parent.events) {
    let caused: PolicyCommand[];
    try {
      caused = ctx.policies({
        type: event.eventType,
        data: event.data,
        streamId: event.streamId,
        eventId: event.eventId,
        metadata: event.metadata,
      });
    } catch (error) {
      const payload = toErrorPayload(error);
      throw new HindsightError(
        'internal',
        `${parent.commandType} ${parent.commandId} was recorded, but the policies for its event ${event.eventId} (${event.eventType}) failed: ${payload.message}`,
        { commandId: parent.commandId, eventId: event.eventId, cause: payload.code },
      );
    }
    for (const item of caused) triggered.push(runFollowUp(ctx, parent, event, item, depth + 1));
  }
  return triggered;
}

function runFollowUp(
  ctx: Context,
  parent: AcceptedCommand,
  event: StoredEvent,
  item: PolicyCommand,
  depth: number,
): CommandOutcome {
  const commandId = `${POLICY_PREFIX}${item.idempotencyKey}`;
  const actor = `${POLICY_PREFIX}${item.policy}`;
  const receivedAt = ctx.now();
  let request: CommandRequest | undefined;
  try {
    const definition = getCommandDefinition(item.commandType);
    request = {
      definition,
      commandType: definition.type,
      payload: item.payload,
      payloadText: canonicalize(item.payload, { what: 'payload' }),
      actor,
      reason: definition.corrective ? `Issued by policy ${item.policy} for event ${event.eventId}.` : null,
      commandId,
      freshId: false,
      correlationId: parent.correlationId,
      causationId: event.eventId,
      policy: item.policy,
      receivedAt,
    };
    return runCommand(ctx, request, checkPayload(request), depth);
  } catch (error) {
    let streamId: string | null = null;
    try {
      streamId = request?.definition.streamId(item.payload as never) ?? null;
    } catch {
      // A payload the schema refuses has no stream; the error below says why.
    }
    const failed: FailedCommand = {
      commandId,
      commandType: item.commandType,
      streamId,
      actor,
      reason: request?.reason ?? null,
      receivedAt,
      correlationId: parent.correlationId,
      causationId: event.eventId,
      policy: item.policy,
      replayed: false,
      attempts: 0,
      events: [],
      triggered: [],
      outcome: 'failed',
      error: toErrorPayload(error),
    };
    return failed;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function errorOf(error: HindsightError): CommandError {
  if (isDomainError(error)) {
    return { code: 'rejected', domainCode: error.domainCode, message: error.message, details: error.details };
  }
  return error.details === undefined
    ? { code: error.code, message: error.message }
    : { code: error.code, message: error.message, details: error.details };
}

function metadataOf(request: CommandRequest): Record<string, string> {
  const metadata: Record<string, string> = {
    actor: request.actor,
    command_id: request.commandId,
    command_type: request.commandType,
    correlation_id: request.correlationId,
    causation_id: request.causationId,
  };
  if (request.reason !== null) metadata.reason = request.reason;
  return metadata;
}

function recordBase(request: CommandRequest, streamId: string | null) {
  return {
    commandId: request.commandId,
    commandType: request.commandType,
    streamId,
    payload: request.payloadText,
    actor: request.actor,
    reason: request.reason,
    receivedAt: request.receivedAt,
  };
}

function outcomeBase(request: CommandRequest, streamId: string | null, attempts: number) {
  return {
    commandId: request.commandId,
    commandType: request.commandType,
    streamId,
    actor: request.actor,
    reason: request.reason,
    receivedAt: request.receivedAt,
    correlationId: request.correlationId,
    causationId: request.causationId,
    policy: request.policy,
    replayed: false,
    attempts,
    events: [] as StoredEvent[],
    triggered: [] as CommandOutcome[],
  };
}
