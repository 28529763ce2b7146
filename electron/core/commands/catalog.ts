import { COMMAND_TYPES, COMMANDS, type CommandDefinition, DOMAINS } from '../domain/registry';
import type { CatalogEntry } from './types';

/**
 * Every command the bus accepts, with what a form, a help text or an API client needs: domain, description,
 * corrective flag, JSON Schema (draft 2020-12, input side) and a valid example. Plain data (fresh copies), in the
 * registry's order.
 */
export function catalog(): CatalogEntry[] {
  return COMMAND_TYPES.map((type) => {
    const definition = COMMANDS[type] as CommandDefinition;
    return {
      type: definition.type,
      domain: definition.domain,
      streamCategory: DOMAINS[definition.domain].streamCategory,
      description: definition.description,
      corrective: definition.corrective,
      jsonSchema: structuredClone(definition.jsonSchema),
      example: structuredClone(definition.example),
    };
  });
}
