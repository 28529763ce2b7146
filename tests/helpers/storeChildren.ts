import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { REPO_ROOT } from './storeProcess';

/**
 * Bundles a child-process script (TypeScript) into one plain JavaScript file, so that tests which start
 * it dozens of times pay Node's start-up only, not a TypeScript compile each time. better-sqlite3 stays
 * external and resolves from the repo's node_modules (the bundle is written inside the repo).
 */
export function bundleScript(entry: string): string {
  const outDir = path.join(REPO_ROOT, 'node_modules', '.cache', 'hindsight-test', `children-${process.pid}`);
  const outfile = path.join(outDir, `${path.basename(entry, '.ts')}.cjs`);
  if (!fs.existsSync(outfile)) {
    buildSync({
      entryPoints: [path.join(REPO_ROOT, entry)],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['better-sqlite3'],
      outfile,
      logLevel: 'silent',
    });
  }
  return outfile;
}
