import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cascadeFrom,
  clampInto,
  type DisplayArea,
  displayFor,
  isWindowState,
  loadWindowState,
  placeWindow,
  type Rect,
  saveWindowState,
  WINDOW_SIZES,
  windowStateFile,
} from '../../../electron/main/windowState';
import { useTempDir } from '../../helpers/tempDir';

const laptop: DisplayArea = { workArea: { x: 0, y: 25, width: 1440, height: 875 } };
/** A second monitor to the right of the laptop. */
const monitor: DisplayArea = { workArea: { x: 1440, y: 0, width: 2560, height: 1400 } };

function inside(rect: Rect | { x?: number; y?: number; width: number; height: number }, area: Rect): boolean {
  const { x = Number.NaN, y = Number.NaN } = rect;
  return x >= area.x && y >= area.y && x + rect.width <= area.x + area.width && y + rect.height <= area.y + area.height;
}

describe('window state persistence', () => {
  const tempDir = useTempDir();

  it('saves atomically and loads what it saved', () => {
    const file = windowStateFile(tempDir());
    saveWindowState(file, { bounds: { x: 100.4, y: 80, width: 1200, height: 800.6 }, maximized: true });
    expect(loadWindowState(file)).toEqual({ bounds: { x: 100, y: 80, width: 1200, height: 801 }, maximized: true });
    expect(JSON.parse(readFileSync(file, 'utf8')).maximized).toBe(true);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('falls back to nothing (defaults) for a missing, damaged or hand-edited file', () => {
    const dir = tempDir();
    const file = windowStateFile(dir);
    expect(loadWindowState(file)).toBeNull();
    writeFileSync(file, '{ not json');
    expect(loadWindowState(file)).toBeNull();
    writeFileSync(file, JSON.stringify({ bounds: { x: 0, y: 0, width: 'wide', height: 10 }, maximized: false }));
    expect(loadWindowState(file)).toBeNull();
  });

  it('validates every field', () => {
    const good = { bounds: { x: -1200, y: 0, width: 1000, height: 700 }, maximized: false };
    expect(isWindowState(good)).toBe(true);
    expect(isWindowState({ ...good, maximized: 'yes' })).toBe(false);
    expect(isWindowState({ ...good, bounds: { ...good.bounds, width: 0 } })).toBe(false);
    expect(isWindowState({ ...good, bounds: { ...good.bounds, x: Number.POSITIVE_INFINITY } })).toBe(false);
    expect(isWindowState({ ...good, bounds: { ...good.bounds, y: 1e9 } })).toBe(false);
    expect(isWindowState(null)).toBe(false);
    expect(isWindowState([])).toBe(false);
  });
});

describe('placing the first window', () => {
  it('uses the default size centred on the primary display when nothing was saved', () => {
    const { bounds, maximized } = placeWindow(null, [laptop], laptop);
    expect(maximized).toBe(false);
    expect(bounds.width).toBe(WINDOW_SIZES.width);
    expect(bounds.height).toBe(WINDOW_SIZES.height);
    expect(inside(bounds, laptop.workArea)).toBe(true);
  });

  it('lets the OS centre the window when no display is known', () => {
    expect(placeWindow(null, [], null).bounds).toEqual({ width: WINDOW_SIZES.width, height: WINDOW_SIZES.height });
  });

  it('keeps saved bounds that are fully visible', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1300, height: 900 }, maximized: true };
    expect(placeWindow(saved, [laptop, monitor], laptop)).toEqual(saved);
  });

  it('pulls a window that hangs over the edge back inside the display that shows most of it', () => {
    const saved = { bounds: { x: 1300, y: -40, width: 1300, height: 900 }, maximized: false };
    const { bounds } = placeWindow(saved, [laptop, monitor], laptop);
    expect(displayFor(saved.bounds, [laptop, monitor])).toBe(monitor);
    expect(bounds).toEqual({ x: 1440, y: 0, width: 1300, height: 900 });
  });

  it('moves a window saved on a monitor that is gone onto the primary display, keeping its size', () => {
    const saved = { bounds: { x: 2000, y: 200, width: 1200, height: 700 }, maximized: true };
    const { bounds, maximized } = placeWindow(saved, [laptop], laptop);
    expect(inside(bounds, laptop.workArea)).toBe(true);
    expect([bounds.width, bounds.height]).toEqual([1200, 700]);
    expect(maximized).toBe(true);
  });

  it('shrinks a window larger than the display (a lower resolution than last time)', () => {
    const saved = { bounds: { x: 0, y: 0, width: 3800, height: 2100 }, maximized: false };
    const { bounds } = placeWindow(saved, [laptop], laptop);
    expect(bounds).toEqual({ x: 0, y: 25, width: 1440, height: 875 });
  });

  it('never goes below the minimum size, unless the display itself is smaller', () => {
    expect(clampInto({ x: 10, y: 10, width: 200, height: 100 }, laptop.workArea)).toMatchObject({
      width: WINDOW_SIZES.minWidth,
      height: WINDOW_SIZES.minHeight,
    });
    const tiny = { x: 0, y: 0, width: 800, height: 500 };
    expect(clampInto({ x: 0, y: 0, width: 1360, height: 860 }, tiny)).toEqual(tiny);
  });

  it('handles displays left of and above the primary one (negative coordinates)', () => {
    const left: DisplayArea = { workArea: { x: -1920, y: -200, width: 1920, height: 1080 } };
    const saved = { bounds: { x: -1800, y: -150, width: 1000, height: 700 }, maximized: false };
    expect(placeWindow(saved, [laptop, left], laptop).bounds).toEqual(saved.bounds);
  });
});

describe('cascading further windows', () => {
  it('steps down and right from the focused window', () => {
    expect(cascadeFrom({ x: 100, y: 100, width: 1000, height: 600 }, [laptop])).toEqual({
      x: 128,
      y: 128,
      width: 1000,
      height: 600,
    });
  });

  it('starts again at the top-left corner when the step would leave the work area', () => {
    expect(cascadeFrom({ x: 430, y: 270, width: 1000, height: 600 }, [laptop])).toEqual({
      x: 0,
      y: 25,
      width: 1000,
      height: 600,
    });
  });

  it('stays on the display of the window it cascades from', () => {
    const next = cascadeFrom({ x: 1500, y: 50, width: 1200, height: 800 }, [laptop, monitor]);
    expect(inside(next, monitor.workArea)).toBe(true);
  });
});
