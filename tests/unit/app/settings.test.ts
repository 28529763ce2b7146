import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SettingsFile } from '../../../electron/core/app/settings';
import { useTempDir } from '../../helpers/tempDir';

describe('SettingsFile', () => {
  const tempDir = useTempDir();

  it('starts from the defaults and persists updates across instances (a restart)', () => {
    const dir = tempDir();
    expect(new SettingsFile(dir).get()).toEqual(DEFAULT_SETTINGS);
    const updated = new SettingsFile(dir).update({ actor: 'auditor-7', theme: 'dark', snapshotInterval: 250 });
    expect(updated).toMatchObject({ actor: 'auditor-7', theme: 'dark', snapshotInterval: 250, timeZone: 'utc' });
    expect(new SettingsFile(dir).get()).toEqual(updated);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual(updated);
  });

  it('keeps valid fields and drops invalid ones from a hand-edited file', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({ actor: 'ok', theme: 'purple', snapshotInterval: -4, timeZone: 'local', extra: 1 }),
    );
    expect(new SettingsFile(dir).get()).toEqual({ ...DEFAULT_SETTINGS, actor: 'ok', timeZone: 'local' });
    writeFileSync(join(dir, 'settings.json'), '[not json');
    expect(new SettingsFile(dir).get()).toEqual(DEFAULT_SETTINGS);
  });
});
