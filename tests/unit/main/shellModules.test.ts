// Small pure pieces of the shell: dropped-file payloads, data folder and icon paths, and the rule that
// keeps the shell testable: only the thin wiring files import electron at run time.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { userDataDir, windowIconPath } from '../../../electron/main/appPaths';
import { FILES_DROPPED_CHANNEL, validateDroppedPaths } from '../../../electron/main/fileDrop';
import { CHANNELS, EVENTS } from '../../../shared/ipc/contract';

const mainDir = resolve(__dirname, '../../../electron/main');

describe('dropped files', () => {
  it('accepts absolute paths from the preload', () => {
    expect(validateDroppedPaths(['/home/ada/a.hindsight', '/tmp/b.db'], 'linux')).toEqual([
      '/home/ada/a.hindsight',
      '/tmp/b.db',
    ]);
    expect(validateDroppedPaths(['C:\\Users\\ada\\a.hindsight'], 'win32')).toEqual(['C:\\Users\\ada\\a.hindsight']);
  });

  it('refuses anything else: not a list, empty, relative, too many, not strings, NUL bytes', () => {
    for (const payload of [
      undefined,
      '/a.db',
      { 0: '/a.db' },
      [],
      ['a.db'],
      [''],
      ['/a\0.db'],
      [42],
      ['/a.db', null],
      Array.from({ length: 33 }, (_, i) => `/f${i}.db`),
      ['C:\\a.db'],
    ]) {
      expect(validateDroppedPaths(payload, 'linux')).toBeNull();
    }
  });

  it('uses a private channel that is neither a contract call nor a contract event', () => {
    expect(CHANNELS as readonly string[]).not.toContain(FILES_DROPPED_CHANNEL);
    expect(EVENTS as readonly string[]).not.toContain(FILES_DROPPED_CHANNEL);
  });
});

describe('app paths', () => {
  it('keeps an installed app and a development build in different data folders', () => {
    expect(userDataDir('/home/ada/.config', true)).toBe(join('/home/ada/.config', 'Hindsight'));
    expect(userDataDir('/home/ada/.config', false)).toBe(join('/home/ada/.config', 'Hindsight-dev'));
  });

  it('finds the Linux window icon beside the asar, or in resources/ from source', () => {
    expect(windowIconPath({ isPackaged: true, resourcesPath: '/opt/H/resources', appPath: '/x' })).toBe(
      join('/opt/H/resources', 'icon.png'),
    );
    expect(windowIconPath({ isPackaged: false, resourcesPath: '/x', appPath: '/repo' })).toBe(
      join('/repo', 'resources', 'icon.png'),
    );
  });
});

describe('electron/main stays testable', () => {
  /** The only files that may import electron at run time: the wiring. */
  const WIRING = ['dialogs.ts', 'index.ts', 'menu.ts', 'pdfPrinter.ts', 'window.ts'];

  it('imports electron at run time only from the wiring files', () => {
    const offenders = readdirSync(mainDir)
      .filter((file) => file.endsWith('.ts') && !WIRING.includes(file))
      .filter((file) => {
        const source = readFileSync(join(mainDir, file), 'utf8');
        return /^import\s+(?!type\b)[^;]*from\s+'electron'/m.test(source) || /require\(['"]electron['"]\)/.test(source);
      });
    expect(offenders).toEqual([]);
  });
});
