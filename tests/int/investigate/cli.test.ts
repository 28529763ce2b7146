import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/index';
import { memoryIO } from '../../../electron/cli/io';
import { parseCsv } from '../../../electron/core/investigate/csv';
import type { CorrelationChain } from '../../../electron/core/investigate/types';
import { snapshotFolder } from '../../helpers/storeFixtures';
import { runCliProcess } from '../../helpers/storeProcess';
import { useTempDir } from '../../helpers/tempDir';

// biome-ignore lint/correctness/useHookAtTopLevel: a vitest helper (it registers an afterEach), not a React hook
const tempDir = useTempDir('hindsight-investigate-cli-');

/** Runs the CLI in this process (same code path as the binary, minus process start-up). */
async function cli(...args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

function lines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('hindsight demo, search and chain (the real CLI process)', () => {
  it('demo is deterministic: same seed → identical export and digest; another seed → another digest', async () => {
    const dir = tempDir();
    const [a, b, c] = ['a', 'b', 'c'].map((n) => path.join(dir, `${n}.hindsight`));
    const made = await Promise.all([
      runCliProcess(['demo', a!, '--seed', '5', '--events', '2000']),
      runCliProcess(['demo', b!, '--seed', '5', '--events', '2000', '--json']),
      runCliProcess(['demo', c!, '--seed', '6', '--events', '2000']),
    ]);
    for (const result of made) expect(result.code, result.stderr).toBe(0);
    expect(made[0]!.stdout).toMatch(
      /^Created the demo store .*a\.hindsight: \d+ events, \d+ commands \(\d+ rejected\)/,
    );
    expect(made[0]!.stdout).toContain('docs/demo.md');
    const json = JSON.parse(made[1]!.stdout) as { digest: string; incident: { actor: string } };
    expect(json.incident.actor).toBe('payments-worker@2.4.0-rc1');
    const [exportA, exportB, digestA, digestB, digestC] = await Promise.all([
      runCliProcess(['export', a!]),
      runCliProcess(['export', b!]),
      runCliProcess(['digest', a!]),
      runCliProcess(['digest', b!]),
      runCliProcess(['digest', c!]),
    ]);
    expect(exportA.code).toBe(0);
    expect(exportA.stdout.length).toBeGreaterThan(100_000);
    expect(exportB.stdout).toBe(exportA.stdout);
    expect(digestB.stdout).toBe(digestA.stdout);
    expect(digestA.stdout.trim()).toBe(json.digest);
    expect(digestC.stdout).not.toBe(digestA.stdout);
    const again = await runCliProcess(['demo', a!]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists|was not created/);
  });

  it('search prints matching events as JSONL, CSV or one JSON document, and never changes the file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'demo.hindsight');
    const made = await cli('demo', file, '--events', '3000', '--json');
    expect(made.code, made.stderr).toBe(0);
    const demo = JSON.parse(made.stdout) as {
      incident: { actor: string; from: number; to: number; doubleCharges: number; corrections: number };
    };
    const before = snapshotFolder(dir);
    const from = new Date(demo.incident.from).toISOString();
    const to = new Date(demo.incident.to).toISOString();
    const window = ['--actor', demo.incident.actor, '--type', 'MoneyWithdrawn', '--from', from, '--to', to];
    const plain = await runCliProcess(['search', file, ...window]);
    expect(plain.code, plain.stderr).toBe(0);
    const found = lines(plain.stdout);
    expect(found).toHaveLength(demo.incident.doubleCharges);
    expect(found[0]).toMatchObject({
      globalPosition: expect.any(Number),
      type: 'MoneyWithdrawn',
      metadata: { actor: demo.incident.actor, workerVersion: '2.4.0-rc1' },
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(Object.keys(found[0]!)[0]).toBe('globalPosition');

    const asJson = await runCliProcess(['search', file, ...window, '--limit', '2', '--json']);
    const doc = JSON.parse(asJson.stdout) as { total: number; events: unknown[] };
    expect(doc.total).toBe(demo.incident.doubleCharges);
    expect(doc.events).toEqual(found.slice(0, 2));

    const text = await runCliProcess([
      'search',
      file,
      '--text',
      'duplicate charge',
      '--type',
      'BalanceAdjusted,MoneyWithdrawn',
      '--json',
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect((JSON.parse(text.stdout) as { total: number }).total).toBe(demo.incident.corrections);

    const csv = await cli('search', file, '--actor', 'support:alice,support:bob', '--category', 'account', '--csv');
    const rows = parseCsv(csv.stdout);
    expect(rows[0]).toContain('globalPosition');
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.slice(1).every((row) => row[8] === 'support:alice' || row[8] === 'support:bob')).toBe(true);

    const none = await cli('search', file, '--stream-prefix', 'nothing-');
    expect(none).toEqual({ code: 0, stdout: '', stderr: 'No events match.\n' });
    // A kept cache is reused, and lives where it was asked to.
    const cacheDir = path.join(tempDir(), 'cache');
    const cached = await cli('search', file, '--text', 'BOOK*', '--cache-dir', cacheDir, '--limit', '1');
    expect(cached.code).toBe(0);
    expect(fs.readdirSync(cacheDir).some((name) => name.endsWith('.search.sqlite'))).toBe(true);
    expect(snapshotFolder(dir)).toEqual(before);
  });

  it('chain prints the indented tree of an event, or it as JSON', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'demo.hindsight');
    await cli('demo', file, '--events', '3000');
    const duplicates = lines(
      (await cli('search', file, '--actor', 'payments-worker@2.4.0-rc1', '--type', 'MoneyWithdrawn', '--limit', '1'))
        .stdout,
    );
    const eventId = duplicates[0]!.eventId as string;
    const tree = await runCliProcess(['chain', file, '--event', eventId]);
    expect(tree.code, tree.stderr).toBe(0);
    expect(tree.stdout).toMatch(/^Correlation \S+: \d+ commands?.*, \d+ events across 2 streams/);
    expect(tree.stdout).toMatch(/\nPlaceOrder by web-shop — accepted/);
    expect(tree.stdout).toMatch(/\n {4}PayOrder by payments-worker@2\.4\.0-rc1 — accepted/);
    expect(tree.stdout).toMatch(/\n {8}WithdrawMoney by payments-worker@2\.4\.0-rc1 — accepted/);
    expect(tree.stdout).toMatch(
      /\n {10}#\d+ MoneyWithdrawn {2}account-\S+ v\d+ {2}by payments-worker@2\.4\.0-rc1 .*balance: \d+ → \d+ {2}◀/,
    );
    expect(tree.stdout).toMatch(
      /\n {12}AdjustBalance by support:(alice|bob) — accepted .*reason: "Refund of a duplicate charge/,
    );
    const json = await cli('chain', file, '--event', eventId, '--json');
    const chain = JSON.parse(json.stdout) as CorrelationChain;
    expect(chain.focusEventId).toBe(eventId);
    expect(chain.roots[0]).toMatchObject({
      kind: 'command',
      commandType: 'PlaceOrder',
      children: [expect.any(Object)],
    });
    const byCorrelation = await cli('chain', file, '--correlation', chain.correlationId, '--json');
    expect((JSON.parse(byCorrelation.stdout) as CorrelationChain).events).toBe(chain.events);
  });

  it('usage errors exit 2 with one sentence', async () => {
    const file = path.join(tempDir(), 'demo.hindsight');
    await cli('demo', file, '--events', '1000');
    const noEvent = await cli('chain', file);
    expect(noEvent.code).toBe(2);
    expect(noEvent.stderr).toMatch(/^error: Give either --event ID or --correlation ID\./);
    const unknown = await cli('chain', file, '--event', '019c6b87-1476-7c14-9988-ec8c1ba437c1');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no event with id/);
    const punctuation = await cli('search', file, '--text', '!!!');
    expect(punctuation.code).toBe(2);
    expect(punctuation.stderr).toMatch(/no word to look for/);
    const badTime = await cli('search', file, '--from', 'yesterday');
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toMatch(/--from must be an ISO-8601 time/);
    const both = await cli('search', file, '--csv', '--json');
    expect(both.code).toBe(2);
    const help = await runCliProcess(['--help']);
    for (const name of ['search', 'chain', 'demo']) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });
});
