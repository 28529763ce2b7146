// One running Hindsight per user: a second launch (a double-click on a store while the app runs, or
// `hindsight file.hindsight` from a shell) hands its files to the first instance and quits.
//
// The second instance parses its own command line (it knows its working directory and whether it runs
// as `electron .`) and sends the result as `additionalData` of `app.requestSingleInstanceLock`. The first
// instance trusts that payload only after checking its shape, and otherwise parses the forwarded argv
// itself (Electron may drop additionalData, e.g. when another user started the second instance).
import type { OpenMode } from '../../shared/types';
import { isPlausiblePath, MAX_FILES, type OpenRequest, type ParseOptions, parseOpenRequest } from './openRequest';

const FORWARD_VERSION = 1;

export type ForwardPayload = {
  hindsightForward: typeof FORWARD_VERSION;
  paths: string[];
  mode?: OpenMode;
};

/** What the second instance passes to `requestSingleInstanceLock`. */
export function forwardPayload(request: OpenRequest): ForwardPayload {
  return request.mode === undefined
    ? { hindsightForward: FORWARD_VERSION, paths: [...request.paths] }
    : { hindsightForward: FORWARD_VERSION, paths: [...request.paths], mode: request.mode };
}

/** The payload when it is well-formed (absolute paths for this platform, a known mode), else null. */
export function decodeForwardPayload(data: unknown, platform: string): OpenRequest | null {
  if (typeof data !== 'object' || data === null) return null;
  const payload = data as Partial<Record<keyof ForwardPayload, unknown>>;
  if (payload.hindsightForward !== FORWARD_VERSION) return null;
  if (!Array.isArray(payload.paths) || payload.paths.length > MAX_FILES) return null;
  if (!payload.paths.every((path) => isPlausiblePath(path, platform))) return null;
  const paths = payload.paths as string[];
  if (payload.mode === undefined) return { paths: [...paths] };
  if (payload.mode !== 'read-only' && payload.mode !== 'read-write') return null;
  return { paths: [...paths], mode: payload.mode };
}

/** The request carried by a `second-instance` event: the payload if valid, else the parsed argv. */
export function requestFromSecondInstance(
  event: { argv: readonly string[]; workingDirectory: string; additionalData: unknown },
  platform: string,
  options: ParseOptions = {},
): OpenRequest {
  return (
    decodeForwardPayload(event.additionalData, platform) ??
    parseOpenRequest(event.argv, event.workingDirectory, platform, options)
  );
}
