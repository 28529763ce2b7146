import { DomainError } from '../../../electron/core/domain/decider';
import { policiesFor } from '../../../electron/core/domain/policies';
import {
  type CommandType,
  type DomainEvent,
  type DomainState,
  decideCommand,
  domainOfCommand,
  domainOfStream,
  foldEvents,
  parseCommand,
  parseEvent,
  streamIdOf,
} from '../../../electron/core/domain/registry';
import { HindsightError } from '../../../electron/core/errors';
import { deepFreeze } from '../../helpers/deciderSpec';

/**
 * An in-memory stand-in for the command bus, for domain tests only: validate → fold the stream → decide → append
 * → run the policies for each new event (correlation = the original command, causation = the event), recording
 * every outcome like the `commands` table does. It is deliberately naive (folds from the first event every time).
 */

export interface RecordedEvent {
  position: number;
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: DomainEvent['type'];
  data: DomainEvent['data'];
}

export interface CommandRecord {
  commandId: string;
  commandType: string;
  payload: unknown;
  streamId: string | null;
  outcome: 'accepted' | 'rejected' | 'invalid';
  /** `rejected` → the domain code; `invalid` → `invalid_input`. */
  code: string | null;
  /** The error message of a rejected or invalid command. */
  message: string | null;
  events: RecordedEvent[];
  correlationId: string;
  causationId: string | null;
  policy: string | null;
}

export interface WorldHooks {
  /** Called before each command (top-level or caused by a policy) with the state of its stream, if it parses. */
  before?(commandType: string, payload: unknown): void;
  after?(record: CommandRecord): void;
}

export class World {
  readonly events: RecordedEvent[] = [];
  readonly commands: CommandRecord[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();

  streamEvents(streamId: string): RecordedEvent[] {
    return this.streams.get(streamId) ?? [];
  }

  streamIds(): string[] {
    return [...this.streams.keys()];
  }

  state(streamId: string): DomainState {
    const domain = domainOfStream(streamId);
    if (domain === undefined) throw new Error(`no domain for stream ${streamId}`);
    return foldEvents(
      domain.name,
      this.streamEvents(streamId).map((event) => parseEvent(event.type, event.data)),
    );
  }

  /** Runs a command and everything its events cause; returns the records in execution order. */
  run(commandType: CommandType | string, payload: unknown, hooks: WorldHooks = {}): CommandRecord[] {
    const correlationId = `cmd-${this.commands.length + 1}`;
    const records: CommandRecord[] = [];
    const queue: Array<{ commandType: string; payload: unknown; causationId: string | null; policy: string | null }> = [
      { commandType, payload, causationId: null, policy: null },
    ];
    while (queue.length > 0) {
      const next = queue.shift()!;
      hooks.before?.(next.commandType, next.payload);
      const record = this.execute(next.commandType, next.payload, correlationId, next.causationId, next.policy);
      hooks.after?.(record);
      records.push(record);
      for (const event of record.events) {
        for (const caused of policiesFor({
          type: event.type,
          data: event.data,
          streamId: event.streamId,
          eventId: event.eventId,
          metadata: { correlation_id: correlationId },
        })) {
          queue.push({
            commandType: caused.commandType,
            payload: caused.payload,
            causationId: event.eventId,
            policy: caused.policy,
          });
        }
      }
    }
    return records;
  }

  private execute(
    commandType: string,
    payload: unknown,
    correlationId: string,
    causationId: string | null,
    policy: string | null,
  ): CommandRecord {
    const commandId = `cmd-${this.commands.length + 1}`;
    const base = { commandId, commandType, payload, correlationId, causationId, policy };
    let record: CommandRecord;
    try {
      const command = parseCommand(commandType, payload);
      const streamId = streamIdOf(command);
      const stream = this.streamEvents(streamId);
      const state = deepFreeze(
        foldEvents(
          domainOfCommand(command).name,
          stream.map((event) => parseEvent(event.type, event.data)),
        ),
      );
      try {
        const produced = decideCommand(deepFreeze(command), state);
        const recorded = produced.map((event, index): RecordedEvent => {
          const position = this.events.length + index + 1;
          return {
            position,
            eventId: `evt-${position}`,
            streamId,
            streamVersion: stream.length + index + 1,
            type: event.type,
            data: event.data,
          };
        });
        this.events.push(...recorded);
        this.streams.set(streamId, [...stream, ...recorded]);
        record = { ...base, streamId, outcome: 'accepted', code: null, message: null, events: recorded };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        record = { ...base, streamId, outcome: 'rejected', code: error.domainCode, message: error.message, events: [] };
      }
    } catch (error) {
      if (!(error instanceof HindsightError) || error.code !== 'invalid_input') throw error;
      record = {
        ...base,
        streamId: null,
        outcome: 'invalid',
        code: 'invalid_input',
        message: error.message,
        events: [],
      };
    }
    this.commands.push(record);
    return record;
  }
}
