import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HindsightError } from '../errors';

/**
 * Where the job worker's code is, in each runtime:
 * 1. the built Electron main bundle: electron-vite emits the worker as `jobWorker.js` next to the bundle
 *    (out/main/index.js), found next to this module's `__dirname` or one folder up (when this module
 *    lands in a shared chunk, out/main/chunks/);
 * 2. from TypeScript source (Vitest, the CLI under tsx): `worker.ts` next to this file, loaded through
 *    tsx, which the worker registers itself (see `workerBootstrap`);
 * 3. an explicit override (`configureJobWorker`), e.g. for a packaged layout that differs.
 */
export type WorkerEntry = { kind: 'built'; url: URL } | { kind: 'source'; url: URL };

// Not literals inside `new URL(…)`: bundlers would try to resolve them at build time.
const BUILT_WORKER_FILE = 'jobWorker.js';
const SOURCE_WORKER_FILE = 'worker.ts';

let override: WorkerEntry | undefined;

/** Makes `runJob` use this worker file (a `.js` file is started as is, a `.ts` file through tsx). */
export function configureJobWorker(file: string | URL | undefined): void {
  if (file === undefined) {
    override = undefined;
    return;
  }
  const url = typeof file === 'string' ? pathToFileURL(file) : file;
  override = { kind: url.pathname.endsWith('.ts') ? 'source' : 'built', url };
}

/**
 * This module's folder. `__dirname`, not `import.meta.url`: every runtime that loads core provides it
 * (the CommonJS Electron bundle, tsx, Vitest, Playwright's loader), while a file that mentions
 * `import.meta` is treated as an ES module by Playwright's loader and then fails to load there.
 */
function moduleDir(): string {
  return __dirname;
}

function existsUrl(url: URL): boolean {
  return url.protocol === 'file:' && fs.existsSync(fileURLToPath(url));
}

export function resolveWorkerEntry(): WorkerEntry {
  if (override !== undefined) return override;
  // In the bundle this module may sit in a shared chunk (out/main/chunks/…), one folder below the entries.
  for (const dir of [moduleDir(), path.dirname(moduleDir())]) {
    const candidate = pathToFileURL(path.join(dir, BUILT_WORKER_FILE));
    if (existsUrl(candidate)) return { kind: 'built', url: candidate };
  }
  const built = pathToFileURL(path.join(moduleDir(), BUILT_WORKER_FILE));
  const source = pathToFileURL(path.join(moduleDir(), SOURCE_WORKER_FILE));
  if (existsUrl(source)) return { kind: 'source', url: source };
  throw new HindsightError(
    'unavailable',
    `The job worker was not found: neither ${fileURLToPath(built)} (a build) nor ${fileURLToPath(source)} (the source) exists.`,
  );
}

/** The file URL of an ESM entry point of tsx, read from its package.json `exports`. */
function tsxModule(subpath: './esm/api' | './cjs/api'): string {
  const require = createRequire(path.join(moduleDir(), 'workerEntry.js'));
  let pkgFile: string;
  try {
    pkgFile = require.resolve('tsx/package.json');
  } catch {
    throw new HindsightError(
      'unavailable',
      'Jobs cannot run from TypeScript source here: the tsx package is not installed (build the app, or run npm install).',
    );
  }
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as {
    exports?: Record<string, { import?: { default?: string } | string }>;
  };
  const entry = pkg.exports?.[subpath]?.import;
  const relative = typeof entry === 'string' ? entry : (entry?.default ?? `./dist${subpath.slice(1)}/index.mjs`);
  return pathToFileURL(path.join(path.dirname(pkgFile), relative)).href;
}

/**
 * Source code for an `eval` worker that registers tsx in the worker thread and then imports the
 * TypeScript entry. (`execArgv: ['--import', 'tsx']` is not enough on Node 20: tsx registers its loader
 * only on the main thread, so a worker would fail on the `.ts` file.)
 */
export function workerBootstrap(entry: URL): string {
  const esm = JSON.stringify(tsxModule('./esm/api'));
  const cjs = JSON.stringify(tsxModule('./cjs/api'));
  const target = JSON.stringify(entry.href);
  return `Promise.all([import(${cjs}), import(${esm})]).then(([c, e]) => { c.register(); e.register(); return import(${target}); });`;
}
