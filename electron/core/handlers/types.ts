import type { Channel } from '../../../shared/ipc/contract';
import type { Handlers } from '../ipc/dispatch';
import type { ServiceDeps } from '../services';
import type { StoreSession } from '../session/storeSession';

/** The handlers for one feature's slice of the contract. */
export type HandlersOf<C> = { [K in keyof C & Channel]: Handlers[K] };

/** What every feature's handlers may use. */
export interface ServiceContext {
  deps: ServiceDeps;
  session: StoreSession;
}
