import { describe, expect, it } from 'vitest';
import { isTrustedSenderUrl } from '../../../electron/main/senderCheck';

const origins = { rendererFileUrl: 'file:///opt/Hindsight/resources/app.asar/out/renderer/index.html' };

describe('isTrustedSenderUrl', () => {
  it('accepts the packaged renderer page, with or without a hash route', () => {
    expect(isTrustedSenderUrl(origins.rendererFileUrl, origins)).toBe(true);
    expect(isTrustedSenderUrl(`${origins.rendererFileUrl}#/streams?stream=a-1`, origins)).toBe(true);
  });

  it('refuses other files, remote pages, missing and malformed urls', () => {
    expect(isTrustedSenderUrl('file:///tmp/evil.html', origins)).toBe(false);
    expect(isTrustedSenderUrl('https://example.com/', origins)).toBe(false);
    expect(isTrustedSenderUrl('http://localhost:5173/', origins)).toBe(false);
    expect(isTrustedSenderUrl('', origins)).toBe(false);
    expect(isTrustedSenderUrl(undefined, origins)).toBe(false);
    expect(isTrustedSenderUrl('not a url', origins)).toBe(false);
  });

  it('accepts the dev server origin only in development', () => {
    const dev = { ...origins, devServerUrl: 'http://localhost:5173' };
    expect(isTrustedSenderUrl('http://localhost:5173/#/overview', dev)).toBe(true);
    expect(isTrustedSenderUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedSenderUrl('http://127.0.0.1:5173/', dev)).toBe(false);
  });
});
