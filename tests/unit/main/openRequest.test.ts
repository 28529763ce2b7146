import { describe, expect, it } from 'vitest';
import {
  fileUrlToPath,
  isPlausiblePath,
  parseOpenRequest,
  pathKey,
  samePath,
  toLocalPath,
} from '../../../electron/main/openRequest';

describe('parseOpenRequest', () => {
  it('reads a packaged launch: the executable, then the file', () => {
    expect(parseOpenRequest(['/opt/Hindsight/hindsight', 'ledger.hindsight'], '/home/ada', 'linux')).toEqual({
      paths: ['/home/ada/ledger.hindsight'],
    });
  });

  it('returns no paths for a plain launch', () => {
    expect(parseOpenRequest(['/opt/Hindsight/hindsight'], '/home/ada', 'linux')).toEqual({ paths: [] });
    expect(parseOpenRequest([], '/home/ada', 'linux')).toEqual({ paths: [] });
  });

  it('skips the app folder when running as `electron .`, wherever the switches are', () => {
    const argv = ['/repo/node_modules/electron/dist/electron', '--inspect=0', '.', '--user-data-dir=/tmp/x', 'a.db'];
    expect(parseOpenRequest(argv, '/repo', 'linux', { defaultApp: true })).toEqual({ paths: ['/repo/a.db'] });
    // Packaged, the same first positional argument is a file.
    expect(parseOpenRequest(['/opt/h', 'a.db'], '/repo', 'linux', { defaultApp: false }).paths).toEqual(['/repo/a.db']);
  });

  it("skips Electron's and Chromium's switches, including ones Chromium adds to a second instance", () => {
    const argv = [
      'C:\\Program Files\\Hindsight\\Hindsight.exe',
      '--allow-file-access-from-files',
      '--original-process-start-time=13370000000000000',
      '--no-sandbox',
      'C:\\Users\\ada\\ledger.hindsight',
      '-psn_0_12345',
    ];
    expect(parseOpenRequest(argv, 'C:\\Windows\\System32', 'win32')).toEqual({
      paths: ['C:\\Users\\ada\\ledger.hindsight'],
    });
  });

  it('honours --read-write and --read-only (the last one wins)', () => {
    expect(parseOpenRequest(['h', '--read-write', 'a.hindsight'], '/w', 'linux')).toEqual({
      paths: ['/w/a.hindsight'],
      mode: 'read-write',
    });
    expect(parseOpenRequest(['h', 'a.hindsight', '--read-only'], '/w', 'linux').mode).toBe('read-only');
    expect(parseOpenRequest(['h', '--read-only', '--read-write', 'a.hindsight'], '/w', 'linux').mode).toBe(
      'read-write',
    );
  });

  it('treats everything after -- as a file, even names that start with a dash', () => {
    expect(parseOpenRequest(['h', '--', '-odd.hindsight', '--read-write'], '/w', 'linux')).toEqual({
      paths: ['/w/-odd.hindsight', '/w/--read-write'],
    });
  });

  it('resolves relative paths against the working directory, per platform', () => {
    expect(parseOpenRequest(['h', '../x/a.hindsight'], '/home/ada/work', 'darwin').paths).toEqual([
      '/home/ada/x/a.hindsight',
    ]);
    expect(parseOpenRequest(['h.exe', '..\\x\\a.hindsight'], 'C:\\Users\\ada\\work', 'win32').paths).toEqual([
      'C:\\Users\\ada\\x\\a.hindsight',
    ]);
    expect(parseOpenRequest(['h.exe', 'D:/data/a.hindsight'], 'C:\\Users\\ada', 'win32').paths).toEqual([
      'D:\\data\\a.hindsight',
    ]);
  });

  it('turns file:// URLs (Linux desktop files pass %U) into paths and ignores other URLs', () => {
    expect(
      parseOpenRequest(
        ['h', 'file:///home/ada/My%20Stores/a.hindsight', 'https://example.com/a.hindsight', 'hindsight://x'],
        '/',
        'linux',
      ).paths,
    ).toEqual(['/home/ada/My Stores/a.hindsight']);
  });

  it('drops duplicates (case-insensitively on Windows and macOS) and keeps the order', () => {
    expect(parseOpenRequest(['h', 'b.db', 'a.db', './b.db'], '/w', 'linux').paths).toEqual(['/w/b.db', '/w/a.db']);
    expect(parseOpenRequest(['h', 'A.db', 'a.DB'], 'C:\\w', 'win32').paths).toEqual(['C:\\w\\A.db']);
    expect(parseOpenRequest(['h', 'A.db', 'a.DB'], '/w', 'linux').paths).toEqual(['/w/A.db', '/w/a.DB']);
  });

  it('ignores empty and absurd arguments', () => {
    expect(parseOpenRequest(['h', '', 'a\0b', 'x'.repeat(5000)], '/w', 'linux').paths).toEqual([]);
  });

  it('caps the number of files from one request', () => {
    const argv = ['h', ...Array.from({ length: 50 }, (_, i) => `f${i}.hindsight`)];
    expect(parseOpenRequest(argv, '/w', 'linux').paths).toHaveLength(32);
  });
});

describe('file URLs and paths', () => {
  it('converts file URLs per platform', () => {
    expect(fileUrlToPath('file:///tmp/a%23b.hindsight', 'linux')).toBe('/tmp/a#b.hindsight');
    expect(fileUrlToPath('file://localhost/tmp/a.hindsight', 'darwin')).toBe('/tmp/a.hindsight');
    expect(fileUrlToPath('file://server/share/a.hindsight', 'linux')).toBeNull();
    expect(fileUrlToPath('file:///C:/Users/ada/a%20b.hindsight', 'win32')).toBe('C:\\Users\\ada\\a b.hindsight');
    expect(fileUrlToPath('file://server/share/a.hindsight', 'win32')).toBe('\\\\server\\share\\a.hindsight');
    expect(fileUrlToPath('file:///no-drive', 'win32')).toBeNull();
    expect(fileUrlToPath('file:///tmp/%00x', 'linux')).toBeNull();
    expect(fileUrlToPath('http://x/a', 'linux')).toBeNull();
  });

  it('keeps Windows drive paths as paths (a drive letter is not a URL scheme)', () => {
    expect(toLocalPath('C:\\a.hindsight', 'win32')).toBe('C:\\a.hindsight');
    expect(toLocalPath('c:/a.hindsight', 'win32')).toBe('c:/a.hindsight');
    expect(toLocalPath('mailto:x@y', 'linux')).toBeNull();
  });

  it('compares paths the way the OS does', () => {
    expect(samePath('/a/B.hindsight', '/a/b.hindsight', 'linux')).toBe(false);
    expect(samePath('/a/B.hindsight', '/a/./b.hindsight', 'darwin')).toBe(true);
    expect(samePath('C:\\A\\b.db', 'c:/a/B.DB', 'win32')).toBe(true);
    expect(pathKey('/a/../b/c.db', 'linux')).toBe('/b/c.db');
  });

  it('accepts only absolute, sane paths as plausible', () => {
    expect(isPlausiblePath('/a.db', 'linux')).toBe(true);
    expect(isPlausiblePath('a.db', 'linux')).toBe(false);
    expect(isPlausiblePath('C:\\a.db', 'win32')).toBe(true);
    expect(isPlausiblePath('C:\\a.db', 'linux')).toBe(false);
    expect(isPlausiblePath('/a\0.db', 'linux')).toBe(false);
    expect(isPlausiblePath(42, 'linux')).toBe(false);
  });
});
