import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/index';
import { memoryIO } from '../../../electron/cli/io';
import { EventStore } from '../../../electron/core/store/eventStore';
import { useTempDir } from '../../helpers/tempDir';
import { DAY, T0 } from './helpers';

async function cli(...argv: string[]) {
  const io = memoryIO();
  const code = await runCli(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

const iso = (ms: number) => new Date(ms).toISOString();
const day = (n: number) => T0 + n * DAY;

function makeStore(dir: string): string {
  const file = join(dir, 'audit.hindsight');
  const store = EventStore.create(file);
  store.append('account-acme', [
    { type: 'AccountOpened', data: { accountId: 'acme', owner: 'Acme', currency: 'EUR' }, recordedAt: day(1) },
    {
      type: 'MoneyDeposited',
      data: { accountId: 'acme', amount: 1000, currency: 'EUR', balanceAfter: 1000 },
      recordedAt: day(2),
    },
    {
      type: 'MoneyDeposited',
      data: { accountId: 'acme', amount: 500, currency: 'EUR', balanceAfter: 1500 },
      recordedAt: day(4),
    },
    {
      type: 'BalanceAdjusted',
      data: { accountId: 'acme', amount: -200, currency: 'EUR', balanceBefore: 1500, balanceAfter: 1300 },
      metadata: { reason: 'missed fee' },
      recordedAt: day(6),
      occurredAt: day(3),
    },
  ]);
  store.append('profile-1', [
    { type: 'Created', data: { name: 'A', address: { city: 'Paris' } }, recordedAt: day(7) },
    { type: 'Moved', data: { address: { city: 'Lyon' }, email: 'a@x' }, recordedAt: day(8) },
  ]);
  store.close();
  return file;
}

describe('hindsight state / diff', () => {
  const tempDir = useTempDir('hindsight-cli-history-');

  it('state --json prints {streamId, version, state} for the latest, a version, --at, --known-at and both', async () => {
    const file = makeStore(tempDir());
    const bytes = readFileSync(file);
    const mtime = statSync(file).mtimeMs;
    const state = async (...extra: string[]) => {
      const r = await cli('state', file, '--stream', 'account-acme', '--json', ...extra);
      expect(r.code, r.err).toBe(0);
      return JSON.parse(r.out) as { streamId: string; version: number; state: { balance: number } };
    };
    const latest = await state();
    expect(Object.keys(latest)).toEqual(['streamId', 'version', 'state']);
    expect(latest).toEqual({
      streamId: 'account-acme',
      version: 4,
      state: { status: 'open', accountId: 'acme', owner: 'Acme', currency: 'EUR', balance: 1300 },
    });
    expect((await state('--version', '2')).state.balance).toBe(1000);
    expect(await state('--version', '0')).toMatchObject({ version: 0, state: { status: 'none' } });
    // As it happened on day 3.5: the backdated fee is there.
    expect(await state('--at', iso(day(3) + DAY / 2))).toMatchObject({ version: 4, state: { balance: 800 } });
    // As known on day 5: the fee was not recorded yet.
    expect(await state('--known-at', iso(day(5)))).toMatchObject({ version: 3, state: { balance: 1500 } });
    expect(await state('--known-at', iso(day(5)), '--at', iso(day(3) + DAY / 2))).toMatchObject({
      version: 2,
      state: { balance: 1000 },
    });
    expect(await state('--known-at', iso(day(5)), '--version', '2')).toMatchObject({ version: 2 });
    const generic = await state('--generic');
    expect(generic.state).toMatchObject({ accountId: 'acme', balanceAfter: 1300, balanceBefore: 1500, amount: -200 });
    expect(generic.state).not.toHaveProperty('reason'); // metadata is not state
    // Reading left the file exactly as it was.
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(statSync(file).mtimeMs).toBe(mtime);
  });

  it('state prints a readable summary without --json, and refuses bad arguments', async () => {
    const file = makeStore(tempDir());
    const text = await cli('state', file, '--stream', 'account-acme', '--at', iso(day(3) + DAY / 2));
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^account-acme at version 4 of 4 \(as it happened at 2024-01-04T12:00:00.000Z\)/);
    expect(text.out).toMatch(/reducer domain:accounts/);
    expect(text.out).toMatch(/"balance": 800/);
    expect((await cli('state', file, '--stream', 'account-acme', '--at', iso(day(3)), '--version', '1')).code).toBe(2);
    expect((await cli('state', file, '--stream', 'account-acme', '--at', 'yesterday')).err).toMatch(
      /--at must be an ISO-8601 time/,
    );
    expect((await cli('state', file, '--stream', 'account-acme', '--version', '9')).err).toMatch(/no version 9/);
    expect((await cli('state', file, '--stream', 'nope-1')).err).toMatch(/no stream "nope-1"/);
    expect((await cli('state', file)).err).toMatch(/--stream is required/);
    const json = await cli('state', file, '--stream', 'nope-1', '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.out)).toMatchObject({ error: { code: 'not_found' } });
  });

  it('diff lists the changes between two versions, as text or JSON', async () => {
    const file = makeStore(tempDir());
    const text = await cli('diff', file, '--stream', 'profile-1', '--from', '1', '--to', '2');
    expect(text.code, text.err).toBe(0);
    expect(text.out).toBe(
      'profile-1: version 1 → 2, 2 change(s)\n  ~ address.city: "Paris" → "Lyon"\n  + email: "a@x"\n',
    );
    const json = await cli('diff', file, '--stream', 'account-acme', '--from', '0', '--to', '4', '--json');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out) as { from: number; to: number; changes: unknown[]; delta: unknown };
    expect(parsed).toMatchObject({ streamId: 'account-acme', from: 0, to: 4 });
    expect(parsed.changes).toEqual(
      expect.arrayContaining([
        { path: ['balance'], kind: 'changed', before: 0, after: 1300 },
        { path: ['status'], kind: 'changed', before: 'none', after: 'open' },
      ]),
    );
    expect(parsed.delta).toMatchObject({ balance: [0, 1300] });
    const same = await cli('diff', file, '--stream', 'profile-1', '--from', '2', '--to', '2');
    expect(same.out).toBe('profile-1: version 2 → 2, no change\n');
    expect((await cli('diff', file, '--stream', 'profile-1', '--from', '1')).err).toMatch(/--to is required/);
    expect((await cli('diff', file, '--stream', 'profile-1', '--from', '-1', '--to', '2')).code).toBe(2);
  });

  it('both commands are listed in the overview', async () => {
    const r = await cli('--help');
    expect(r.out).toMatch(/\n {2}state +print a stream's state/);
    expect(r.out).toMatch(/\n {2}diff +show what changed/);
  });
});
