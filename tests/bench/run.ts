import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commandBenches } from './commands';
import { foreignBenches } from './foreign';
import { historyBenches } from './history';
import { investigateBenches } from './investigate';
import { projectionBenches } from './projections';
import { reportBenches } from './reports';
import { storeBenches } from './storeBench';

/**
 * `npm run bench`: runs every registered benchmark and prints figures and ratios (no asserts).
 * BENCH_EVENTS=N shrinks the data sets (default 1,000,000); BENCH_ONLY=a,b runs the benches whose
 * name contains any of the comma-separated parts. To add benches, export a `Bench[]` from a module here and add it to BENCHES.
 */

export interface BenchContext {
  /** Size of the big data sets (BENCH_EVENTS). */
  events: number;
  /** A scratch folder for this bench, removed afterwards. */
  dir: string;
  /** Prints one figure. */
  report(label: string, value: number, unit: string, note?: string): void;
}

export interface Bench {
  name: string;
  run(context: BenchContext): Promise<void> | void;
}

const BENCHES: readonly Bench[] = [
  ...storeBenches,
  ...commandBenches,
  ...historyBenches,
  ...investigateBenches,
  ...reportBenches,
  ...projectionBenches,
  ...foreignBenches,
];

function formatNumber(value: number): string {
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

async function main(): Promise<void> {
  const events = Number(process.env.BENCH_EVENTS ?? 1_000_000);
  if (!Number.isInteger(events) || events < 1000) throw new Error('BENCH_EVENTS must be a whole number ≥ 1000.');
  const only = process.env.BENCH_ONLY;
  console.log(
    `Hindsight benchmarks — ${events.toLocaleString('en-US')} events, Node ${process.version}, ${os.cpus().length} CPUs`,
  );
  for (const bench of BENCHES) {
    if (only !== undefined && !only.split(',').some((part) => bench.name.includes(part.trim()))) continue;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hindsight-bench-'));
    console.log(`\n## ${bench.name}`);
    const started = performance.now();
    try {
      await bench.run({
        events,
        dir,
        report(label, value, unit, note) {
          console.log(`  ${label.padEnd(58)} ${formatNumber(value).padStart(14)} ${unit}${note ? `  (${note})` : ''}`);
        },
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    console.log(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
