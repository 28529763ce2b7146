import type { commandsContract } from '../../../shared/ipc/contracts/commands';
import type { CommandCatalogEntry, CommandResult, JsonSchema } from '../../../shared/types';
import { executeCommand } from '../commands/bus';
import { catalog } from '../commands/catalog';
import { commandLog } from '../commands/commandLog';
import type { CommandOutcome } from '../commands/types';
import { toEventRow } from './storeHandlers';
import type { HandlersOf, ServiceContext } from './types';

export function commandsHandlers({ deps, session }: ServiceContext): HandlersOf<typeof commandsContract> {
  return {
    'commands.catalog': (): CommandCatalogEntry[] =>
      catalog().map((entry) => ({
        type: entry.type,
        domain: entry.domain,
        description: entry.description,
        corrective: entry.corrective,
        jsonSchema: entry.jsonSchema as JsonSchema,
        example: entry.example as Record<string, unknown>,
      })),

    'commands.execute': ({ commandType, payload, actor, reason, commandId }) => {
      const store = session.require();
      const outcome = executeCommand(store, { commandType, payload, actor, reason, commandId });
      if (outcome.events.length > 0 || outcome.triggered.length > 0) deps.emit('store.changed', { reason: 'appended' });
      return toCommandResult(outcome);
    },

    'commands.log': ({ after, limit, outcome, actor, commandType }) => {
      const page = commandLog(session.require(), { after, limit, outcome, actor, commandType, order: 'desc' });
      return { items: page.rows, next: page.nextCursor };
    },
  };
}

function toCommandResult(outcome: CommandOutcome): CommandResult {
  return {
    commandId: outcome.commandId,
    commandType: outcome.commandType,
    streamId: outcome.streamId ?? '',
    outcome: outcome.outcome,
    actor: outcome.actor,
    policy: outcome.policy,
    correlationId: outcome.correlationId,
    causationId: outcome.causationId,
    duplicate: outcome.replayed,
    events: outcome.events.map(toEventRow),
    error: outcome.outcome === 'accepted' ? null : outcome.error,
    triggered: outcome.triggered.map(toCommandResult),
  };
}
