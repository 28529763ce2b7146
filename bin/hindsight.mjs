#!/usr/bin/env node
// The `hindsight` command (package.json "bin"): runs the TypeScript CLI through tsx, registered for
// this process only. Usage: hindsight --help
import { register as registerCjs } from 'tsx/cjs/api';
import { register as registerEsm } from 'tsx/esm/api';

registerCjs();
registerEsm();
// The package is CommonJS, so tsx compiles the CLI as CommonJS: its exports arrive on `default`.
const cli = await import('../electron/cli/index.ts');
const { runCli } = cli.runCli ? cli : cli.default;
process.exitCode = await runCli(process.argv.slice(2));
