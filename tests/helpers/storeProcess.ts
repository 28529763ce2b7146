import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Running the real CLI and helper scripts in child processes, from TypeScript source through tsx. */

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX_LOADER = ['--import', 'tsx'];

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `node --import tsx <script> …args` in the repo root. */
export function spawnTs(script: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, [...TSX_LOADER, path.resolve(REPO_ROOT, script), ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
}

export function collect(child: ChildProcess): Promise<ProcessResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs the CLI (`node --import tsx electron/cli/index.ts …args`) and waits for it. */
export function runCliProcess(args: readonly string[], options: SpawnOptions = {}): Promise<ProcessResult> {
  return collect(spawnTs('electron/cli/index.ts', args, options));
}
