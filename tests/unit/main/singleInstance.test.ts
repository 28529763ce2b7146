import { describe, expect, it } from 'vitest';
import { decodeForwardPayload, forwardPayload, requestFromSecondInstance } from '../../../electron/main/singleInstance';

describe('single-instance forwarding', () => {
  it('round-trips what the second instance parsed (through JSON, as Electron carries it)', () => {
    const sent = forwardPayload({ paths: ['/home/ada/a.hindsight'], mode: 'read-write' });
    const received = JSON.parse(JSON.stringify(sent));
    expect(decodeForwardPayload(received, 'linux')).toEqual({ paths: ['/home/ada/a.hindsight'], mode: 'read-write' });
    expect(decodeForwardPayload(forwardPayload({ paths: [] }), 'linux')).toEqual({ paths: [] });
  });

  it('prefers the payload: it was parsed with the second instance’s own working directory', () => {
    const request = requestFromSecondInstance(
      {
        argv: ['/opt/h', 'elsewhere.hindsight'],
        workingDirectory: '/somewhere',
        additionalData: forwardPayload({ paths: ['/home/ada/a.hindsight'] }),
      },
      'linux',
    );
    expect(request).toEqual({ paths: ['/home/ada/a.hindsight'] });
  });

  it('falls back to the forwarded argv when the payload is missing or malformed', () => {
    const argv = ['/opt/h', '--no-sandbox', 'a.hindsight', '--read-only'];
    for (const additionalData of [
      undefined,
      null,
      {},
      { hindsightForward: 2, paths: ['/x'] },
      { hindsightForward: 1, paths: 'a' },
      { hindsightForward: 1, paths: ['relative.hindsight'] },
      { hindsightForward: 1, paths: ['/a\0b'] },
      { hindsightForward: 1, paths: ['/x'], mode: 'admin' },
      { hindsightForward: 1, paths: Array.from({ length: 33 }, (_, i) => `/f${i}`) },
    ]) {
      expect(requestFromSecondInstance({ argv, workingDirectory: '/home/ada', additionalData }, 'linux')).toEqual({
        paths: ['/home/ada/a.hindsight'],
        mode: 'read-only',
      });
    }
  });

  it('checks forwarded paths by the receiving platform’s rules', () => {
    const data = forwardPayload({ paths: ['C:\\Users\\ada\\a.hindsight'] });
    expect(decodeForwardPayload(data, 'win32')).toEqual({ paths: ['C:\\Users\\ada\\a.hindsight'] });
    expect(decodeForwardPayload(data, 'linux')).toBeNull();
  });

  it('skips the app folder of a second `electron .` when told so', () => {
    const request = requestFromSecondInstance(
      { argv: ['/repo/electron', '.', 'a.db'], workingDirectory: '/repo', additionalData: undefined },
      'linux',
      { defaultApp: true },
    );
    expect(request).toEqual({ paths: ['/repo/a.db'] });
  });
});
