import * as fs from 'node:fs';
import { EventStore } from '../core/store/eventStore';
import type { ArgSpec, OptionSpec, ParsedArgs } from './argParser';
import type { CliIO } from './io';

/**
 * Exit codes: 0 success, 1 the check failed (tampered, conflict), 2 usage error or unreadable input, 3 the file
 * has no hash chain (a foreign store), so nothing could be verified: never read as "verified".
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, unprovable: 3 } as const;

export interface CommandContext {
  io: CliIO;
  /** `--json` was given: print exactly one JSON document on stdout. */
  json: boolean;
}

/** One CLI command, in its own module under commands/, registered in commands.ts. */
export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  spec: ArgSpec;
  examples?: string[];
  run(args: ParsedArgs, context: CommandContext): Promise<number>;
}

export const JSON_OPTION: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'print one JSON document on stdout' },
};

export const INCLUDE_WAL_OPTION: Record<string, OptionSpec> = {
  'include-wal': {
    type: 'boolean',
    description: 'also read a -wal file found beside the store (from a private copy; the original is never touched)',
  },
};

export async function printJson(io: CliIO, value: unknown): Promise<void> {
  await io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Opens a store for reading as evidence: read-only, through a private copy, so the file, its folder and
 * its companions stay exactly as they are. Tells on stderr when a `-wal` beside it was not read.
 */
export async function openForReading(file: string, args: ParsedArgs, io: CliIO): Promise<EventStore> {
  const store = EventStore.open(file, { mode: 'read-only', includeWal: args.options['include-wal'] === true });
  if (store.companionWal) {
    await io.err(
      `note: ${file}-wal exists beside the store; changes in it that were not yet written into the file are not included (use --include-wal to read them).\n`,
    );
  }
  return store;
}

let versionText: string | undefined;

/** `hindsight <version>` from package.json, for store_meta.created_by and --version. */
export function cliVersion(): string {
  if (versionText === undefined) {
    try {
      const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version?: string;
      };
      versionText = pkg.version ?? 'unknown';
    } catch {
      versionText = 'unknown';
    }
  }
  return versionText;
}
