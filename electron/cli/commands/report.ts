import * as fs from 'node:fs';
import * as path from 'node:path';
import { HindsightError } from '../../core/errors';
import { runJob } from '../../core/jobs/runner';
import type { ReportNoteInput, ReportParams } from '../../core/reports/params';
import { REPORT_FORMATS, REPORT_KINDS, type ReportFormat, type ReportKind } from '../../core/reports/schema';
import { formatInt } from '../../core/reports/text';
import { type ParsedArgs, requireOption, stringOption } from '../argParser';
import { type CliCommand, cliVersion, EXIT, INCLUDE_WAL_OPTION, JSON_OPTION, printJson } from '../command';
import { FOREIGN_OPTIONS, openStoreOrForeign } from '../foreign';

/**
 * `hindsight report <file> --kind K … --out PATH`: an audit report (HTML, PDF, CSV or JSON) with the store's
 * integrity evidence, generated in a worker thread from the store read as evidence (a private read-only copy).
 * Exit 0 when written from an intact store; 1 when written but the store FAILED verification (the report says
 * TAMPERED on every page); 2 for usage errors and unreadable stores (nothing written); 3 when written from a
 * foreign store, which has no hash chain (the report says there is no tamper evidence and names the file by its
 * SHA-256 only).
 */

function usage(message: string): HindsightError {
  return new HindsightError('invalid_input', message, { usage: true });
}

/** A list option: comma-separated values; also accepts a repeated option if the parser gives a list. */
function listOption(args: ParsedArgs, name: string): string[] | undefined {
  const raw = args.options[name] as unknown;
  if (raw === undefined || raw === false) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw])
    .flatMap((value) => String(value).split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
  if (values.length === 0) throw usage(`The option --${name} needs at least one value.`);
  return values;
}

const EXTENSIONS: Record<string, ReportFormat> = {
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
  '.csv': 'csv',
  '.json': 'json',
};

function formatOf(args: ParsedArgs, out: string): ReportFormat {
  const given = stringOption(args, 'format');
  if (given !== undefined) {
    if (!REPORT_FORMATS.includes(given as ReportFormat)) {
      throw usage(`--format must be one of ${REPORT_FORMATS.join(', ')}, not "${given}".`);
    }
    return given as ReportFormat;
  }
  return EXTENSIONS[path.extname(out).toLowerCase()] ?? 'html';
}

function readNotes(file: string): ReportNoteInput[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw usage(`The notes file ${file} could not be read: ${(error as Error).message}`);
  }
  try {
    const notes = JSON.parse(text) as unknown;
    if (!Array.isArray(notes)) throw new Error('it is not a JSON array');
    return notes as ReportNoteInput[];
  } catch (error) {
    throw usage(
      `The notes file ${file} must hold a JSON array of {"target", "text", "createdAt", "author"}: ${(error as Error).message}.`,
    );
  }
}

function paramsOf(args: ParsedArgs): ReportParams {
  const kind = requireOption(args, 'kind', REPORT_KINDS.join('|'));
  if (!REPORT_KINDS.includes(kind as ReportKind)) {
    throw usage(`--kind must be one of ${REPORT_KINDS.join(', ')}, not "${kind}".`);
  }
  const params: ReportParams = { kind: kind as ReportKind };
  const streams = listOption(args, 'stream');
  if (streams !== undefined) params.streams = streams;
  const actor = stringOption(args, 'actor');
  if (actor !== undefined) params.actor = actor;
  const correlation = stringOption(args, 'correlation');
  if (correlation !== undefined) params.correlationId = correlation;
  const from = stringOption(args, 'from');
  if (from !== undefined) params.from = from;
  const to = stringOption(args, 'to');
  if (to !== undefined) params.to = to;
  const title = stringOption(args, 'title');
  if (title !== undefined) params.title = title;
  if (args.options['include-state'] === true) params.includeState = true;
  if (args.options['include-diffs'] === true) params.includeDiffs = true;
  const notes = stringOption(args, 'notes');
  if (notes !== undefined) params.notes = readNotes(notes);
  // What each kind needs, said in CLI words (the core says it in API words).
  if (kind === 'entity' && streams === undefined) throw usage('An entity report needs --stream S[,S…].');
  if (kind === 'actor' && actor === undefined) throw usage('An actor report needs --actor A.');
  if (kind === 'correlation' && correlation === undefined) throw usage('A correlation report needs --correlation ID.');
  if (kind === 'window' && (from === undefined || to === undefined)) {
    throw usage('A window report needs --from ISO and --to ISO.');
  }
  return params;
}

export const reportCommand: CliCommand = {
  name: 'report',
  summary:
    'write an audit report (HTML, PDF, CSV or JSON) with the integrity evidence; exit 1 when tampered, 3 for a foreign store',
  spec: {
    positionals: [
      {
        name: 'file',
        description: 'the store file, or a foreign store (Emmett, a mapped SQLite table); never changed',
      },
    ],
    options: {
      kind: { type: 'string', valueName: 'entity|actor|window|correlation|summary', description: 'what to report' },
      stream: { type: 'string', valueName: 'S[,S…]', description: 'entity: the streams' },
      actor: { type: 'string', valueName: 'A', description: 'actor: whose activity' },
      correlation: { type: 'string', valueName: 'ID', description: 'correlation: the correlation id' },
      from: { type: 'string', valueName: 'ISO', description: 'range start, recorded time (window: required)' },
      to: { type: 'string', valueName: 'ISO', description: 'range end, recorded time (window: required)' },
      format: {
        type: 'string',
        valueName: 'html|pdf|csv|json',
        description: 'the format (default: from the --out extension, else html)',
      },
      'include-state': {
        type: 'boolean',
        description: 'the state after each event (window: of each entity at the end)',
      },
      'include-diffs': { type: 'boolean', description: 'what each event changed in its stream’s state' },
      notes: { type: 'string', valueName: 'FILE', description: 'investigation notes to include (a JSON array)' },
      title: { type: 'string', valueName: 'TEXT', description: 'replace the default title' },
      out: { type: 'string', valueName: 'PATH', description: 'the report file to write (replaced atomically)' },
      ...FOREIGN_OPTIONS,
      ...INCLUDE_WAL_OPTION,
      ...JSON_OPTION,
    },
  },
  examples: [
    'hindsight report shop.hindsight --kind entity --stream account-42 --include-state --include-diffs --out account-42.html',
    'hindsight report shop.hindsight --kind window --from 2026-02-20T14:00Z --to 2026-02-20T15:00Z --out incident.pdf',
    'hindsight report shop.hindsight --kind actor --actor support:alice --format csv --out alice.csv',
    'hindsight report shop.hindsight --kind summary --out summary.json',
  ],
  async run(args, { io, json }) {
    const file = args.positionals[0]!;
    const out = path.resolve(requireOption(args, 'out', 'the report file to write'));
    const format = formatOf(args, out);
    const report = paramsOf(args);
    const { store, foreign } = await openStoreOrForeign(file, args, io, { quiet: true });
    let drawn = false;
    try {
      const result = await runJob(
        'report',
        {
          path: store.verificationPath,
          access: 'live',
          filePath: path.resolve(file),
          walNotRead: foreign === null ? store.companionWal : foreign.walBeside,
          // A foreign store: the report fingerprints the file, verifies nothing, and refuses a file changed since read.
          foreign: foreign === null ? null : { info: foreign.info, sha256: foreign.sha256 },
          report,
          out,
          format,
          generator: { name: 'hindsight-cli', version: cliVersion() },
        },
        {
          onProgress: (done, total) => {
            if (!io.errIsTTY || total === 0) return;
            drawn = true;
            void io.err(`\rgenerating the report… ${Math.floor((100 * done) / total)}%`);
          },
        },
      );
      if (drawn) await io.err('\r\u001b[K');
      const status = result.verification.status;
      if (status === 'unprovable') {
        await io.err(
          `note: ${file} is a foreign store (${foreign?.info.label}): it has no hash chain, so nothing was verified; the report says there is no tamper evidence and identifies the file by its SHA-256 only.\n`,
        );
      } else if (!result.verification.ok) {
        await io.err(
          `warning: the store FAILED verification (first break at position ${result.verification.firstBadPosition}); the report was written and says TAMPERED.\n`,
        );
      }
      if (json) {
        await printJson(io, result);
      } else {
        const evidence =
          status === 'unprovable'
            ? `file SHA-256 ${result.fileSha256}, no hash chain: no tamper evidence`
            : `store ${result.storeId}, digest ${result.digest}, ${result.verification.ok ? 'intact' : 'TAMPERED'}`;
        await io.out(
          `Wrote ${result.out}: ${result.kind} report (${result.format}), ${formatInt(result.rows)} rows, ${formatInt(
            result.bytes,
          )} bytes; ${evidence}.\n`,
        );
      }
      return status === 'unprovable' ? EXIT.unprovable : result.verification.ok ? EXIT.ok : EXIT.failed;
    } finally {
      store.close();
    }
  },
};
