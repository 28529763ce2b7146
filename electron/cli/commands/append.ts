import { HindsightError } from '../../core/errors';
import { parseTime, toInterchange } from '../../core/interchange/jsonl';
import { parseJsonText } from '../../core/store/canonicalJson';
import { EventStore } from '../../core/store/eventStore';
import { validateStreamId } from '../../core/store/limits';
import { prepareEvent } from '../../core/store/prepareEvent';
import type { ExpectedVersion, NewEvent } from '../../core/store/types';
import { requireOption, stringOption } from '../argParser';
import { type CliCommand, EXIT, JSON_OPTION, printJson } from '../command';

export function parseExpectedVersion(text: string): ExpectedVersion {
  if (text === 'any' || text === 'no_stream' || text === 'exists') return text;
  if (/^\d{1,15}$/.test(text)) return Number(text);
  throw new HindsightError(
    'invalid_input',
    `--expected-version must be a whole number, any, no_stream or exists, not "${text}".`,
    { field: 'expectedVersion' },
  );
}

export const appendCommand: CliCommand = {
  name: 'append',
  summary: 'append one event to a stream',
  spec: {
    positionals: [{ name: 'file', description: 'the store file' }],
    options: {
      stream: {
        type: 'string',
        valueName: 'STREAM',
        description: 'stream id, e.g. account-42 (category = text before the first -)',
      },
      type: { type: 'string', valueName: 'TYPE', description: 'event type, e.g. AccountOpened' },
      data: { type: 'string', valueName: 'JSON', description: 'the event data as JSON' },
      metadata: {
        type: 'string',
        valueName: 'JSON',
        description: 'metadata as a JSON object (actor, correlation_id, …)',
      },
      'expected-version': {
        type: 'string',
        valueName: 'N|any|no_stream|exists',
        description: 'fail with a conflict (exit 1) unless the stream is at this version',
      },
      'event-id': {
        type: 'string',
        valueName: 'UUID',
        description: 'the event id (default: a new UUIDv7); a repeat is a no-op',
      },
      'occurred-at': {
        type: 'string',
        valueName: 'ISO-8601',
        description: 'business time (default: the recorded time)',
      },
      ...JSON_OPTION,
    },
  },
  examples: [
    `hindsight append audit.hindsight --stream account-42 --type AccountOpened --data '{"owner":"Ann"}' --expected-version no_stream`,
  ],
  async run(args, { io, json }) {
    const file = args.positionals[0]!;
    const streamId = requireOption(args, 'stream', 'the stream id');
    const type = requireOption(args, 'type', 'the event type');
    const event: NewEvent = {
      type,
      data: parseJsonText(requireOption(args, 'data', 'the event data as JSON'), '--data'),
    };
    const metadata = stringOption(args, 'metadata');
    if (metadata !== undefined) event.metadata = parseJsonText(metadata, '--metadata') as Record<string, unknown>;
    const eventId = stringOption(args, 'event-id');
    if (eventId !== undefined) event.eventId = eventId;
    const occurredAt = stringOption(args, 'occurred-at');
    if (occurredAt !== undefined) event.occurredAt = parseTime(occurredAt, '--occurred-at');
    const expected = stringOption(args, 'expected-version');
    const expectedVersion = expected === undefined ? undefined : parseExpectedVersion(expected);
    // Everything is checked before the store is opened: a bad argument leaves the file untouched.
    validateStreamId(streamId);
    prepareEvent(event);

    const store = EventStore.open(file, { mode: 'read-write' });
    try {
      const result = store.append(streamId, [event], { expectedVersion });
      if (json) {
        await printJson(io, {
          streamId: result.streamId,
          firstPosition: result.firstPosition,
          lastPosition: result.lastPosition,
          streamVersion: result.streamVersion,
          duplicate: result.duplicate,
          events: result.events.map((e) => toInterchange(e, true)),
        });
      } else if (result.duplicate) {
        await io.out(
          `Already stored: event ${result.events[0]?.eventId} is at position ${result.firstPosition}; nothing was written.\n`,
        );
      } else {
        await io.out(
          `Appended ${type} to ${streamId} at position ${result.lastPosition} (stream version ${result.streamVersion}).\n`,
        );
      }
    } finally {
      store.close();
    }
    return EXIT.ok;
  },
};
