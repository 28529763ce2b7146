// Where windows open: the size and position of the last window the user closed (or moved), kept as
// JSON in the app's data folder, and checked against the displays connected now, so a window saved on
// a monitor that is gone (or a resolution that shrank) never opens off-screen. Pure except for the
// two small file functions, which use the same atomic write as the other settings files.
import { join } from 'node:path';
import { readJsonFile, writeJsonFileAtomic } from '../core/app/atomicFile';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

/** What the shell needs to know about a display: the area not covered by task bars, docks and menu bars. */
export interface DisplayArea {
  workArea: Rect;
}

export interface WindowSizes {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
}

export const WINDOW_SIZES: WindowSizes = { width: 1360, height: 860, minWidth: 900, minHeight: 560 };

/** The new window's bounds: `x`/`y` absent means "let the OS centre it". */
export interface PlacedBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

const WINDOW_STATE_FILE = 'window-state.json';
/** Larger than any real display; guards against absurd numbers in a hand-edited file. */
const MAX_COORDINATE = 100_000;
const CASCADE_STEP = 28;

export function windowStateFile(dataDir: string): string {
  return join(dataDir, WINDOW_STATE_FILE);
}

function isRect(value: unknown): value is Rect {
  if (typeof value !== 'object' || value === null) return false;
  const rect = value as Record<string, unknown>;
  return (['x', 'y', 'width', 'height'] as const).every(
    (key) => typeof rect[key] === 'number' && Number.isFinite(rect[key]) && Math.abs(rect[key]) <= MAX_COORDINATE,
  );
}

export function isWindowState(value: unknown): value is WindowState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Record<string, unknown>;
  const bounds = state.bounds;
  return isRect(bounds) && bounds.width > 0 && bounds.height > 0 && typeof state.maximized === 'boolean';
}

/** The saved state, or null when there is none or it is damaged (the app then uses its defaults). */
export function loadWindowState(file: string): WindowState | null {
  return readJsonFile<WindowState | null>(file, null, (value): value is WindowState | null => isWindowState(value));
}

export function saveWindowState(file: string, state: WindowState): void {
  writeJsonFileAtomic(file, {
    bounds: roundRect(state.bounds),
    maximized: state.maximized,
  } satisfies WindowState);
}

function roundRect(rect: Rect): Rect {
  return {
    x: Math.round(rect.x),
    y: Math.round(rect.y),
    width: Math.round(rect.width),
    height: Math.round(rect.height),
  };
}

function intersectionArea(a: Rect, b: Rect): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

/** The display showing most of `rect`, or null when `rect` is on none of them. */
export function displayFor(rect: Rect, displays: readonly DisplayArea[]): DisplayArea | null {
  let best: DisplayArea | null = null;
  let bestArea = 0;
  for (const display of displays) {
    const area = intersectionArea(rect, display.workArea);
    if (area > bestArea) {
      best = display;
      bestArea = area;
    }
  }
  return best;
}

/** `rect` shrunk to fit `area` (never below the minimum size unless the area itself is smaller) and moved inside it. */
export function clampInto(rect: Rect, area: Rect, sizes: WindowSizes = WINDOW_SIZES): Rect {
  const width = Math.min(Math.max(rect.width, Math.min(sizes.minWidth, area.width)), area.width);
  const height = Math.min(Math.max(rect.height, Math.min(sizes.minHeight, area.height)), area.height);
  const x = Math.min(Math.max(rect.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(rect.y, area.y), area.y + area.height - height);
  return roundRect({ x, y, width, height });
}

function centredIn(area: Rect, width: number, height: number, sizes: WindowSizes): Rect {
  return clampInto(
    { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width, height },
    area,
    sizes,
  );
}

/**
 * Where the first window opens: the saved bounds when they are still on a connected display (pulled
 * fully inside that display's work area), else the saved size centred on the primary display, else
 * the default size centred by the OS.
 */
export function placeWindow(
  saved: WindowState | null,
  displays: readonly DisplayArea[],
  primary: DisplayArea | null,
  sizes: WindowSizes = WINDOW_SIZES,
): { bounds: PlacedBounds; maximized: boolean } {
  if (!saved) {
    if (!primary) return { bounds: { width: sizes.width, height: sizes.height }, maximized: false };
    return { bounds: centredIn(primary.workArea, sizes.width, sizes.height, sizes), maximized: false };
  }
  const display = displayFor(saved.bounds, displays);
  if (display) return { bounds: clampInto(saved.bounds, display.workArea, sizes), maximized: saved.maximized };
  const fallback = primary ?? displays[0] ?? null;
  if (!fallback) {
    return {
      bounds: {
        width: Math.max(saved.bounds.width, sizes.minWidth),
        height: Math.max(saved.bounds.height, sizes.minHeight),
      },
      maximized: saved.maximized,
    };
  }
  return {
    bounds: centredIn(fallback.workArea, saved.bounds.width, saved.bounds.height, sizes),
    maximized: saved.maximized,
  };
}

/**
 * Where a further window opens: down and to the right of `from` (the focused window), back at the
 * top-left corner of the display's work area when the step would leave it.
 */
export function cascadeFrom(from: Rect, displays: readonly DisplayArea[], sizes: WindowSizes = WINDOW_SIZES): Rect {
  const display = displayFor(from, displays);
  const next = { ...from, x: from.x + CASCADE_STEP, y: from.y + CASCADE_STEP };
  if (!display) return roundRect(next);
  const area = display.workArea;
  const fits = next.x + next.width <= area.x + area.width && next.y + next.height <= area.y + area.height;
  return clampInto(fits ? next : { ...from, x: area.x, y: area.y }, area, sizes);
}
