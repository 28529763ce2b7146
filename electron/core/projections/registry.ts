import { HindsightError } from '../errors';
import { accountsProjection } from './builtin/accounts';
import { activityProjection } from './builtin/activity';
import { actorsProjection } from './builtin/actors';
import { eventTypesProjection } from './builtin/eventTypes';
import { ordersProjection } from './builtin/orders';
import { streamsProjection } from './builtin/streams';
import type { ProjectionDefinition } from './types';

/**
 * The built-in projections, in the order the UI lists them: the demo domains' read models first, then the
 * generic ones that are valid for any store.
 */
export const BUILTIN_PROJECTIONS: readonly ProjectionDefinition[] = Object.freeze([
  accountsProjection,
  ordersProjection,
  streamsProjection,
  eventTypesProjection,
  actorsProjection,
  activityProjection,
]);

/** The projection of that name in `projections`, or `not_found` naming the ones there are. */
export function findProjection(projections: readonly ProjectionDefinition[], name: unknown): ProjectionDefinition {
  const found = typeof name === 'string' ? projections.find((p) => p.name === name) : undefined;
  if (found === undefined) {
    throw new HindsightError(
      'not_found',
      `There is no read model ${JSON.stringify(name)}; the read models are: ${projections.map((p) => p.name).join(', ')}.`,
      { name, names: projections.map((p) => p.name) },
    );
  }
  return found;
}

/** Checks a set of projections: distinct names (and so distinct tables). */
export function checkProjectionSet(projections: readonly ProjectionDefinition[]): void {
  const seen = new Set<string>();
  for (const p of projections) {
    if (p?.kind !== 'hindsight-projection') {
      throw new HindsightError('invalid_input', 'Read models must be made with defineProjection.', {
        field: 'projections',
      });
    }
    if (seen.has(p.table)) {
      throw new HindsightError('invalid_input', `Two projections share the name ${p.name}.`, { name: p.name });
    }
    seen.add(p.table);
  }
}
