// User settings, persisted as JSON in the app's data folder. Every field is validated on read, so a
// hand-edited or damaged file falls back to defaults field by field instead of failing.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Settings } from '../../../shared/types';
import { readJsonFile, writeJsonFileAtomic } from './atomicFile';

export const DEFAULT_SETTINGS: Settings = {
  actor: '',
  timeZone: 'utc',
  theme: 'system',
  snapshotInterval: 500,
  foreignOpenMode: 'read-only',
};

export const settingsPatchSchema = z
  .object({
    actor: z
      .string()
      .trim()
      .max(200)
      .regex(/^[^\p{Cc}]*$/u, 'no control characters'),
    timeZone: z.enum(['utc', 'local']),
    theme: z.enum(['system', 'light', 'dark']),
    snapshotInterval: z.number().int().min(10).max(100_000),
    foreignOpenMode: z.enum(['read-only', 'read-write']),
  })
  .partial()
  .strict();

/**
 * One cache per settings file for the whole process: every window's session reads the same values, so a
 * change made in one window is what the others see (and never overwritten by a stale copy).
 */
const cacheByFile = new Map<string, { mtimeMs: number; settings: Settings }>();

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

export class SettingsFile {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'settings.json');
  }

  get(): Settings {
    // Re-read when the file changed on disk (edited by hand, or by another process of the app).
    const mtimeMs = mtimeOf(this.file);
    let cached = cacheByFile.get(this.file);
    if (!cached || cached.mtimeMs !== mtimeMs) {
      cached = { mtimeMs, settings: this.read() };
      cacheByFile.set(this.file, cached);
    }
    return { ...cached.settings };
  }

  private read(): Settings {
    const raw = readJsonFile<unknown>(this.file, {}, (value): value is unknown => typeof value === 'object');
    const settings: Settings = { ...DEFAULT_SETTINGS };
    if (raw && typeof raw === 'object') {
      for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
        const field = settingsPatchSchema.shape[key].safeParse((raw as Record<string, unknown>)[key]);
        if (field.success && field.data !== undefined)
          (settings as unknown as Record<string, unknown>)[key] = field.data;
      }
    }
    return settings;
  }

  update(patch: z.output<typeof settingsPatchSchema>): Settings {
    const next = { ...this.get(), ...patch };
    writeJsonFileAtomic(this.file, next);
    cacheByFile.set(this.file, { mtimeMs: mtimeOf(this.file), settings: next });
    return { ...next };
  }
}
