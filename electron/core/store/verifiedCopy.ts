// "Save a verified copy": one clean, self-contained file (VACUUM INTO writes a fresh database with no
// -wal and no free pages), written beside the target and renamed only after the copy verifies and
// holds exactly the source's digest. A failure leaves nothing at the target path.
import { existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { HindsightError } from '../errors';
import { sqliteDriverOptions } from '../sqliteRuntime';
import { EventStore } from './eventStore';
import { formatDigest } from './hashChain';
import { assertCreatable } from './openStore';
import { translateError } from './sqliteErrors';
import type { VerifyResult } from './types';

export interface VerifiedCopy {
  path: string;
  digest: string;
  verify: VerifyResult;
}

export function saveVerifiedCopy(store: EventStore, target: string): VerifiedCopy {
  if (existsSync(target)) {
    throw new HindsightError('already_exists', `${target} already exists; choose a new file name for the copy.`);
  }
  assertCreatable(target);
  const head = store.head();
  const digest = formatDigest(head);
  const temp = `${target}.partial-${process.pid}`;
  rmSync(temp, { force: true });
  try {
    // A separate plain read-only connection: the store's own connection of a read-only store is
    // `query_only`, which refuses VACUUM INTO; reading the same file (its private copy) is equivalent.
    const reader = new Database(store.verificationPath, {
      readonly: true,
      fileMustExist: true,
      ...sqliteDriverOptions(),
    });
    try {
      reader.prepare('VACUUM INTO ?').run(temp);
    } finally {
      reader.close();
    }
    const opened = EventStore.open(temp, { mode: 'read-only' });
    let result: VerifyResult;
    try {
      result = opened.verify({ digest });
    } finally {
      opened.close();
    }
    if (!result.ok) {
      throw new HindsightError(
        'tampered',
        `The copy did not verify (${result.firstBad?.reason ?? 'unknown'} at ${result.firstBad?.position}); nothing was saved.`,
      );
    }
    renameSync(temp, target);
    return { path: target, digest, verify: result };
  } catch (error) {
    rmSync(temp, { force: true });
    throw translateError(error, target);
  }
}
