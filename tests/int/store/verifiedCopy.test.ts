import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveVerifiedCopy } from '../../../electron/core/store/verifiedCopy';
import { makeStore } from '../../helpers/storeFixtures';
import { useTempDir } from '../../helpers/tempDir';

describe('saveVerifiedCopy refuses a target it cannot write cleanly, before writing anything', () => {
  const tempDir = useTempDir();

  it('a folder that does not exist: not_found, naming the folder', () => {
    const dir = tempDir();
    const store = makeStore(dir, 5);
    try {
      const target = path.join(dir, 'missing', 'copy.hindsight');
      expect(() => saveVerifiedCopy(store, target)).toThrow(
        expect.objectContaining({ code: 'not_found', message: expect.stringContaining('missing') }),
      );
      expect(fs.existsSync(path.join(dir, 'missing'))).toBe(false);
    } finally {
      store.close();
    }
  });

  it('a stale -journal beside the target (SQLite would roll it back into the copy): already_exists', () => {
    const dir = tempDir();
    const store = makeStore(dir, 5);
    try {
      const target = path.join(dir, 'copy.hindsight');
      fs.writeFileSync(`${target}-journal`, 'stale');
      expect(() => saveVerifiedCopy(store, target)).toThrow(expect.objectContaining({ code: 'already_exists' }));
      expect(fs.existsSync(target)).toBe(false);
    } finally {
      store.close();
    }
  });
});
