import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toErrorPayload } from '../core/errors';
import { describeOptions, parseArgs } from './argParser';
import { type CliCommand, cliVersion, EXIT } from './command';
import { COMMANDS } from './commands';
import { type CliIO, processIO } from './io';

/**
 * The headless CLI: `hindsight <command> [arguments]` over the same core as the app. Exit codes:
 * 0 success, 1 the check failed (tampered store, version conflict, duplicate event), 2 usage error or
 * unreadable input, 3 the file has no hash chain (a foreign store: nothing could be verified). Errors go to
 * stderr as one sentence; with --json, stdout also gets {"error": …}.
 */

/** Error codes that mean "the check ran and said no" rather than "could not run". */
const CHECK_FAILED = new Set(['concurrency', 'duplicate_event', 'tampered', 'rejected']);

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `hindsight ${cliVersion()} — audit and history explorer for event-sourced data (headless CLI)`,
    '',
    'Usage: hindsight <command> [arguments] [--json]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "hindsight <command> --help" for its arguments. Exit codes: 0 ok, 1 check failed, 2 usage or input error, 3 no hash chain (foreign store): nothing verified.',
    '',
  ].join('\n');
}

function commandHelp(command: CliCommand): string {
  const positionals = command.spec.positionals.map((p) => (p.optional ? `[${p.name}]` : `<${p.name}>`)).join(' ');
  const lines = [
    `Usage: hindsight ${command.name} ${positionals} [options]`,
    '',
    `${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}.`,
    '',
    'Arguments:',
    ...command.spec.positionals.map((p) => `  ${p.name.padEnd(36)} ${p.description}`),
    '',
    'Options:',
    ...describeOptions(command.spec),
    `  ${'-h, --help'.padEnd(36)} show this help`,
  ];
  if (command.examples?.length) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

export async function runCli(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    await (name === undefined ? io.err(overview()) : io.out(overview()));
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    await io.out(`${cliVersion()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    await io.err(`Unknown command "${name}". Run "hindsight --help" for the list of commands.\n`);
    return EXIT.usage;
  }
  const positionalOnly = rest.indexOf('--');
  const flags = positionalOnly === -1 ? rest : rest.slice(0, positionalOnly);
  if (flags.includes('--help') || flags.includes('-h')) {
    await io.out(commandHelp(command));
    return EXIT.ok;
  }
  const json = flags.includes('--json') && Object.hasOwn(command.spec.options, 'json');
  try {
    const args = parseArgs(rest, command.spec);
    return await command.run(args, { io, json });
  } catch (error) {
    const payload = toErrorPayload(error);
    const usageHint =
      payload.details?.usage === true ? ` Run "hindsight ${command.name} --help" for its arguments.` : '';
    await io.err(`error: ${payload.message}${usageHint}\n`);
    if (json) await io.out(`${JSON.stringify({ error: payload }, null, 2)}\n`);
    if (payload.details?.unprovable === true) return EXIT.unprovable;
    return CHECK_FAILED.has(payload.code) ? EXIT.failed : EXIT.usage;
  }
}

function isMain(): boolean {
  const script = process.argv[1];
  return script !== undefined && path.resolve(script) === fileURLToPath(import.meta.url);
}

if (isMain()) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${toErrorPayload(error).message}\n`);
      process.exitCode = EXIT.usage;
    },
  );
}
