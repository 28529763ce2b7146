import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createDemoStore } from '../../electron/core/investigate/demo';
import { generateReport, MAX_PDF_ROWS } from '../../electron/core/reports/generate';
import type { ReportFormat } from '../../electron/core/reports/schema';
import { formatInt } from '../../electron/core/reports/text';
import { EventStore } from '../../electron/core/store/eventStore';
import { collect, spawnTs } from '../helpers/storeProcess';
import type { Bench, BenchContext } from './run';

/**
 * Report benchmarks: a window report of 100,000 events (min(100k, BENCH_EVENTS)) from the demo store, in each
 * format, each generated in a child process of its own so that its peak RSS is its own (`maxRSS` of the child;
 * for PDF that is the Node side only — Chromium's memory is its own processes'). The baseline, measured in the
 * same run, is the raw cost of reading the same events page by page and writing them as JSON lines (an export):
 * the ratio says what the report adds (rendering, escaping, the evidence: a full verify and the file's SHA-256).
 * Figures only, no asserts.
 */

const CHILD_FLAG = '--report-bench-child';

interface ChildResult {
  ms: number;
  bytes: number;
  rows: number;
  maxRssMb: number;
}

type Variant = ReportFormat | 'baseline' | 'json+state+diffs';

async function child(args: string[]): Promise<void> {
  const [file, variant, from, to, out] = args as [string, Variant, string, string, string];
  const store = EventStore.open(file, { mode: 'read-only' });
  const started = performance.now();
  let bytes = 0;
  let rows = 0;
  try {
    if (variant === 'baseline') {
      const fd = fs.openSync(out, 'w');
      let after = 0;
      for (;;) {
        const page = store.readAll({
          afterPosition: after,
          limit: 1000,
          recordedFrom: Number(from),
          recordedTo: Number(to),
        });
        if (page.length === 0) break;
        let text = '';
        for (const event of page) text += `${JSON.stringify(event)}\n`;
        fs.writeSync(fd, text);
        rows += page.length;
        after = page[page.length - 1]!.globalPosition;
      }
      fs.closeSync(fd);
      bytes = fs.statSync(out).size;
    } else {
      const full = variant === 'json+state+diffs';
      const result = await generateReport(
        store,
        { kind: 'window', from: Number(from), to: Number(to), includeState: full, includeDiffs: full },
        { out, format: full ? 'json' : variant },
      );
      bytes = result.bytes;
      rows = result.rows;
    }
  } finally {
    store.close();
  }
  const result: ChildResult = {
    ms: performance.now() - started,
    bytes,
    rows,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Resident memory of a process and all its descendants (Linux `ps`), in MiB; 0 where ps is missing. */
function treeRssMb(root: number): number {
  let table: string;
  try {
    table = execFileSync('ps', ['-eo', 'pid=,ppid=,rss='], { encoding: 'utf8' });
  } catch {
    return 0;
  }
  const rows = table
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number, number]);
  const inTree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of rows) {
      if (inTree.has(ppid) && !inTree.has(pid)) {
        inTree.add(pid);
        grew = true;
      }
    }
  }
  return rows.filter(([pid]) => inTree.has(pid)).reduce((sum, [, , rss]) => sum + rss, 0) / 1024;
}

async function runVariant(
  file: string,
  variant: Variant,
  from: number,
  to: number,
  out: string,
): Promise<ChildResult & { treePeakMb: number }> {
  const proc = spawnTs('tests/bench/reports.ts', [CHILD_FLAG, file, variant, String(from), String(to), out]);
  let treePeakMb = 0;
  const sampler = setInterval(() => {
    if (proc.pid !== undefined) treePeakMb = Math.max(treePeakMb, treeRssMb(proc.pid));
  }, 250);
  try {
    const result = await collect(proc);
    if (result.code !== 0) throw new Error(`the ${variant} child failed: ${result.stderr}`);
    return { ...(JSON.parse(result.stdout.trim().split('\n').at(-1)!) as ChildResult), treePeakMb };
  } finally {
    clearInterval(sampler);
  }
}

/** The recorded-time window of the last `n` events. */
function lastEvents(file: string, n: number): { from: number; to: number; events: number; head: number } {
  const store = EventStore.open(file, { mode: 'read-only' });
  try {
    const head = store.head().position;
    const from = store.readAll({ afterPosition: Math.max(0, head - n), limit: 1 })[0]!.recordedAt;
    const to = store.readAll({ afterPosition: head - 1, limit: 1 })[0]!.recordedAt;
    return { from, to, events: head - store.positionAt(from - 1), head };
  } finally {
    store.close();
  }
}

async function windowReports(ctx: BenchContext): Promise<void> {
  const target = Math.min(100_000, ctx.events);
  const file = path.join(ctx.dir, 'demo.hindsight');
  const started = performance.now();
  createDemoStore(file, { events: Math.max(1000, Math.ceil(target * 1.1)) });
  ctx.report('demo store created', performance.now() - started, 'ms');
  // The window: the last `target` events (recorded times never decrease along positions).
  const window = lastEvents(file, target);
  ctx.report('events in the store', window.head, 'events');
  ctx.report('events in the window', window.events, 'events');

  let baselineMs = 0;
  const measure = async (variant: Variant, from: number, to: number, label: string): Promise<void> => {
    const out = path.join(ctx.dir, `window.${variant.replaceAll('+', '-')}`);
    try {
      const r = await runVariant(file, variant, from, to, out);
      if (variant === 'baseline') baselineMs = r.ms;
      const ratio =
        variant === 'baseline'
          ? 'baseline: raw read + JSON lines'
          : variant === 'pdf'
            ? 'not comparable: fewer events'
            : `${(r.ms / baselineMs).toFixed(1)}× baseline`;
      ctx.report(`${label}: time`, r.ms, 'ms', ratio);
      ctx.report(`${label}: throughput`, (r.rows / r.ms) * 1000, 'rows/s');
      ctx.report(`${label}: file size`, r.bytes / 1024 / 1024, 'MiB');
      ctx.report(`${label}: peak RSS of the Node process`, r.maxRssMb, 'MiB');
      if (variant === 'pdf') ctx.report(`${label}: peak RSS with Chromium (sampled)`, r.treePeakMb, 'MiB');
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      ctx.report(
        `${label}: ${message.includes('a PDF is limited to') ? 'refused, as designed' : 'failed'}`,
        0,
        '',
        message,
      );
    } finally {
      fs.rmSync(out, { force: true });
    }
  };
  for (const variant of ['baseline', 'csv', 'json', 'html', 'json+state+diffs'] as const) {
    await measure(variant, window.from, window.to, variant);
  }
  // PDF: a 100k-event PDF is refused (MAX_PDF_ROWS): measured at the limit instead, and the refusal timed.
  const refusedAt = performance.now();
  await measure('pdf', window.from, window.to, `pdf of ${formatInt(window.events)} events`);
  ctx.report(
    'pdf refusal: time to refuse',
    performance.now() - refusedAt,
    'ms',
    'before verifying; with the child start',
  );
  const small = lastEvents(file, MAX_PDF_ROWS);
  await measure('pdf', small.from, small.to, `pdf of ${formatInt(small.events)} events (the limit)`);
}

export const reportBenches: Bench[] = [
  { name: 'reports: a 100k-event window report in each format', run: windowReports },
];

if (process.argv[2] === CHILD_FLAG) {
  child(process.argv.slice(3)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
