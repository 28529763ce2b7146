// Which store files the OS asked us to open: from the command line (a double-click on a `.hindsight` file
// on Windows and Linux starts `Hindsight <file>`), from a second instance, or from macOS's `open-file`.
// Pure: the platform is a parameter, so the Windows rules are tested on any machine.
import { posix, win32 } from 'node:path';
import type { OpenMode } from '../../shared/types';

export interface OpenRequest {
  /** Absolute paths, in the order given, without duplicates. */
  paths: string[];
  /** Set by `--read-write` or `--read-only`; otherwise each file opens in its default mode. */
  mode?: OpenMode;
}

export interface ParseOptions {
  /**
   * True when the app runs inside the stock Electron binary (`electron .`, `process.defaultApp`): then the
   * first positional argument is the app's folder, not a file to open.
   */
  defaultApp?: boolean;
}

/** Extensions offered by the open dialog and accepted by the file association. */
export const STORE_EXTENSIONS = ['hindsight', 'db', 'sqlite', 'sqlite3'] as const;

const MAX_PATH_LENGTH = 4096;
const MAX_FILES = 32;

export function pathApi(platform: string): typeof posix {
  return platform === 'win32' ? win32 : posix;
}

/**
 * Parses a command line (`process.argv`, or the `argv` of a second instance) into the files to open.
 * argv[0] is the executable. Electron's and Chromium's switches (`--no-sandbox`, `--inspect=…`,
 * `--user-data-dir=…`, `--original-process-start-time=…`, macOS's `-psn_…`) are skipped wherever they
 * appear; after `--` every argument is a file. `file://` URLs (Linux desktop files pass `%U`) become
 * paths; other URLs are ignored. Relative paths are resolved against `cwd`.
 */
export function parseOpenRequest(
  argv: readonly string[],
  cwd: string,
  platform: string,
  options: ParseOptions = {},
): OpenRequest {
  const path = pathApi(platform);
  const paths: string[] = [];
  const seen = new Set<string>();
  let mode: OpenMode | undefined;
  let skipAppPath = options.defaultApp === true;
  let afterDashes = false;

  for (const arg of argv.slice(1)) {
    if (!afterDashes) {
      if (arg === '--') {
        afterDashes = true;
        continue;
      }
      if (arg === '--read-write') {
        mode = 'read-write';
        continue;
      }
      if (arg === '--read-only') {
        mode = 'read-only';
        continue;
      }
      if (arg.startsWith('-')) continue;
    }
    if (skipAppPath) {
      skipAppPath = false;
      continue;
    }
    const file = toLocalPath(arg, platform);
    if (file === null) continue;
    const absolute = path.resolve(cwd, file);
    const key = pathKey(absolute, platform);
    if (seen.has(key) || paths.length >= MAX_FILES) continue;
    seen.add(key);
    paths.push(absolute);
  }
  return mode === undefined ? { paths } : { paths, mode };
}

/** A command-line argument as a local path: itself, or the path of a `file://` URL; null for anything else. */
export function toLocalPath(arg: string, platform: string): string | null {
  if (arg.length === 0 || arg.length > MAX_PATH_LENGTH || arg.includes('\0')) return null;
  // A URL scheme has at least two letters, so `C:\…` and `C:/…` stay paths.
  if (!/^[a-z][a-z0-9+.-]+:/i.test(arg)) return arg;
  if (!/^file:/i.test(arg)) return null;
  return fileUrlToPath(arg, platform);
}

/** `file:///home/a/x%20y.hindsight` → `/home/a/x y.hindsight`; on Windows also drive letters and UNC hosts. */
export function fileUrlToPath(url: string, platform: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'file:') return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  if (platform === 'win32') {
    const local = pathname.replace(/^\/([a-zA-Z]:)/, '$1').replaceAll('/', '\\');
    if (parsed.hostname !== '') return `\\\\${parsed.hostname}${local}`;
    return /^[a-zA-Z]:/.test(local) ? local : null;
  }
  // A host other than localhost names another machine: not a file we can open.
  if (parsed.hostname !== '' && parsed.hostname !== 'localhost') return null;
  return pathname;
}

/** A key under which two spellings of the same file compare equal (case-insensitive on Windows and macOS). */
export function pathKey(file: string, platform: string): string {
  const normalized = pathApi(platform).resolve(file);
  return platform === 'win32' || platform === 'darwin' ? normalized.toLowerCase() : normalized;
}

export function samePath(a: string, b: string, platform: string): boolean {
  return pathKey(a, platform) === pathKey(b, platform);
}

/** True for an absolute path of sane length without NUL bytes, by the rules of `platform`. */
export function isPlausiblePath(value: unknown, platform: string): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_PATH_LENGTH &&
    !value.includes('\0') &&
    pathApi(platform).isAbsolute(value)
  );
}

export { MAX_FILES, MAX_PATH_LENGTH };
