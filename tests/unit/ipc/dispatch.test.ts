import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/core/ipc/dispatch';
import { makeServices } from '../../helpers/services';
import { useTempDir } from '../../helpers/tempDir';

describe('dispatch', () => {
  const tempDir = useTempDir();

  it('refuses channels the contract does not define, including prototype names', async () => {
    const { services } = makeServices(tempDir());
    for (const channel of ['fs.readFile', '__proto__', 'constructor', 'toString', 42, null]) {
      const result = await dispatch(services.handlers, channel, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    }
  });

  it('treats a missing input as an empty object', async () => {
    const { services } = makeServices(tempDir());
    expect(await dispatch(services.handlers, 'store.current', undefined)).toEqual({ ok: true, value: null });
  });

  it('applies schema defaults before the handler runs', async () => {
    const { services } = makeServices(tempDir());
    // No store open: the handler throws, but only after validation accepted the defaulted input.
    expect(await dispatch(services.handlers, 'streams.list', {})).toMatchObject({
      ok: false,
      error: { code: 'no_store_open' },
    });
  });
});
