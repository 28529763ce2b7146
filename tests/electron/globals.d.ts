import type { HindsightBridge } from '../../shared/ipc/bridge';

declare global {
  interface Window {
    hindsight: HindsightBridge;
  }
}
