import type { CliCommand } from './command';
import { appendCommand } from './commands/append';
import { catalogCommand } from './commands/catalog';
import { chainCommand } from './commands/chain';
import { commandCommand } from './commands/command';
import { commandsCommand } from './commands/commands';
import { copyCommand } from './commands/copy';
import { demoCommand } from './commands/demo';
import { diffCommand } from './commands/diff';
import { digestCommand } from './commands/digest';
import { exportCommand } from './commands/export';
import { historyCommand } from './commands/history';
import { importCommand } from './commands/import';
import { infoCommand } from './commands/info';
import { initCommand } from './commands/init';
import { readmodelCommand } from './commands/readmodel';
import { rebuildCommand } from './commands/rebuild';
import { reportCommand } from './commands/report';
import { searchCommand } from './commands/search';
import { stateCommand } from './commands/state';
import { verifyCommand } from './commands/verify';

/**
 * Every CLI command, in the order `--help` lists them. To add one, write commands/<name>.ts exporting a
 * `CliCommand` and add it here.
 */
export const COMMANDS: readonly CliCommand[] = [
  initCommand,
  appendCommand,
  importCommand,
  exportCommand,
  verifyCommand,
  digestCommand,
  copyCommand,
  infoCommand,
  historyCommand,
  stateCommand,
  diffCommand,
  commandCommand,
  commandsCommand,
  catalogCommand,
  searchCommand,
  chainCommand,
  demoCommand,
  reportCommand,
  readmodelCommand,
  rebuildCommand,
];
