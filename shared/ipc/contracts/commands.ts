// Issuing domain commands and reading the command log (read-write stores only for execute).
import { z } from 'zod';
import type { CommandCatalogEntry, CommandLogRow, CommandResult, Page } from '../../types';
import { call, none, pageLimit } from './define';

export const commandsContract = {
  'commands.catalog': call<CommandCatalogEntry[]>()(none, 'Every command with its JSON Schema, grouped by domain.'),
  'commands.execute': call<CommandResult>()(
    z
      .object({
        commandType: z.string().min(1).max(64),
        payload: z.record(z.string(), z.unknown()),
        actor: z.string().trim().min(1, 'an actor is required').max(128),
        reason: z.string().trim().max(2000).optional(),
        commandId: z.string().min(1).max(128).optional(),
      })
      .strict(),
    'Validate, decide and append a command; returns the events written or the rejection.',
  ),
  'commands.log': call<Page<CommandLogRow>>()(
    z
      .object({
        after: z.number().int().min(0).optional(),
        limit: pageLimit,
        outcome: z.enum(['accepted', 'rejected']).optional(),
        actor: z.string().max(128).optional(),
        commandType: z.string().max(64).optional(),
      })
      .strict(),
    'The command log, newest first, keyset-paged.',
  ),
} as const;
