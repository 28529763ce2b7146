// The shape of `window.hindsight`, built from the contract's channel names. The preload builds it over
// ipcRenderer; the e2e harness builds the very same function over a Playwright binding. Keep
// `buildBridgeApi` self-contained (no imports used inside it): the test harness ships its source text
// into the page.
import type { Channel, EventMap, EventName, InputOf, OutputOf } from './contract';
import type { Result } from './result';

export type Invoke = (channel: string, input: unknown) => Promise<unknown>;
export type Subscribe = (event: string, listener: (payload: unknown) => void) => () => void;

export type BridgeCalls = { [K in Channel]: (input: InputOf<K>) => Promise<Result<OutputOf<K>>> };

export interface HindsightBridge {
  call: BridgeCalls;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}

export function buildBridgeApi(
  channels: readonly string[],
  events: readonly string[],
  invoke: Invoke,
  subscribe: Subscribe,
): HindsightBridge {
  const call: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const channel of channels) {
    call[channel] = (input: unknown) => invoke(channel, input === undefined ? {} : input);
  }
  const on = (event: string, listener: (payload: unknown) => void) => {
    if (!events.includes(event)) throw new Error(`Unknown event: ${event}`);
    return subscribe(event, listener);
  };
  return Object.freeze({ call: Object.freeze(call), on }) as unknown as HindsightBridge;
}
