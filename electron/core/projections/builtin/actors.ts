import { defineRowProjection, metadataString, type Row } from '../rowTable';

/**
 * `actors`: who did what, for any store: per `metadata.actor` the events, the commands (distinct
 * `metadata.command_id` values; a command's events are appended together, so a new command id along the
 * actor's events is a new command), and the first and last activity. Events without an actor are counted
 * under the empty actor `""`.
 */

const COLUMNS = ['actor', 'events', 'commands', 'first_at', 'last_at', 'last_position', 'last_command_id'] as const;

export const actorsProjection = defineRowProjection({
  name: 'actors',
  version: 1,
  description: 'Every actor: events, commands, first and last activity.',
  handles: ['*'],
  tables: {
    ddl: `
CREATE TABLE rm_actors (
  actor           TEXT    PRIMARY KEY NOT NULL,
  events          INTEGER NOT NULL,
  commands        INTEGER NOT NULL,
  first_at        INTEGER NOT NULL,
  last_at         INTEGER NOT NULL,
  last_position   INTEGER NOT NULL,
  last_command_id TEXT
);`,
    columns: [
      { name: 'actor', type: 'text', label: 'Actor' },
      { name: 'events', type: 'integer', label: 'Events' },
      { name: 'commands', type: 'integer', label: 'Commands' },
      { name: 'first_at', type: 'time', label: 'First activity' },
      { name: 'last_at', type: 'time', label: 'Last activity' },
      { name: 'last_position', type: 'integer', label: 'Last position' },
    ],
    primaryKey: ['actor'],
    defaultSort: { column: 'events', dir: 'desc' },
  },
  rowColumns: COLUMNS,
  reduce(rows, event) {
    const actor = metadataString(event, 'actor') ?? '';
    const commandId = metadataString(event, 'command_id');
    const row: Row = rows.get(actor) ?? {
      actor,
      events: 0,
      commands: 0,
      first_at: event.recordedAt,
      last_at: event.recordedAt,
      last_position: event.globalPosition,
      last_command_id: null,
    };
    row.events = (row.events as number) + 1;
    if (commandId !== null && commandId !== row.last_command_id) {
      row.commands = (row.commands as number) + 1;
      row.last_command_id = commandId;
    }
    row.last_at = event.recordedAt;
    row.last_position = event.globalPosition;
    rows.put(row);
  },
});
