// Search export through the services, as the Search screen calls it: a save dialog, then a worker job.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeServices } from '../../helpers/services';
import { useTempDir } from '../../helpers/tempDir';

describe('search.export', () => {
  const tempDir = useTempDir();

  it('writes every match as JSONL or CSV in a worker, with nothing left behind', async () => {
    const dir = tempDir();
    const { services, pickOnCreate, pickOnSave } = makeServices(dir);
    const h = services.handlers;
    pickOnCreate(join(dir, 'e.hindsight'));
    await h['store.createDialog']({});
    await h['commands.execute']({
      commandType: 'OpenAccount',
      payload: { accountId: 'e1', owner: 'E', currency: 'EUR' },
      actor: 'a',
    });
    for (const amount of [5, 6, 7]) {
      await h['commands.execute']({ commandType: 'DepositMoney', payload: { accountId: 'e1', amount }, actor: 'a' });
    }
    const filters = { types: ['MoneyDeposited'] };

    pickOnSave(join(dir, 'deposits.jsonl'));
    expect(await h['search.export']({ filters, format: 'jsonl' })).toEqual({
      path: join(dir, 'deposits.jsonl'),
      written: 3,
    });
    const lines = readFileSync(join(dir, 'deposits.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((event) => event.data.amount)).toEqual([5, 6, 7]);

    pickOnSave(join(dir, 'deposits.csv'));
    expect(await h['search.export']({ filters, format: 'csv' })).toMatchObject({ written: 3 });
    expect(readFileSync(join(dir, 'deposits.csv'), 'utf8').trim().split(/\r?\n/)).toHaveLength(4);

    pickOnSave(null);
    expect(await h['search.export']({ filters, format: 'csv' })).toBeNull();
    expect(readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([]);
    expect(existsSync(join(dir, 'deposits.jsonl'))).toBe(true);
    services.dispose();
  });
});
