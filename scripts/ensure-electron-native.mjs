#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into .electron-native/, beside (never instead of) the Node
// build in node_modules that the tests and the CLI use. The app loads it through better-sqlite3's
// `nativeBinding` option (electron/main/nativeBinding.ts). Runs before `npm start`; a no-op when the
// addon for this Electron version is already there. Needs the internet once (prebuilt download or
// Electron headers); on a machine without it, it says so and stops.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const { platform, arch } = process;
const targetDir = join(root, '.electron-native', `electron-${electronVersion}-${platform}-${arch}`);
const target = join(targetDir, 'better_sqlite3.node');

if (existsSync(target)) process.exit(0);

console.log(`Preparing better-sqlite3 for Electron ${electronVersion} (${platform}-${arch}); this happens once.`);
const sourcePkg = dirname(require.resolve('better-sqlite3/package.json'));
const work = join(root, '.electron-native', 'work', 'better-sqlite3');
rmSync(work, { recursive: true, force: true });
cpSync(sourcePkg, work, { recursive: true, filter: (path) => !path.includes(`${sourcePkg}/build`) });

function run(command, args) {
  const result = spawnSync(command, args, { cwd: work, stdio: 'inherit', shell: process.platform === 'win32' });
  return result.status === 0;
}

const prebuild = join(dirname(require.resolve('prebuild-install/package.json')), 'bin.js');
const built =
  run(process.execPath, [prebuild, '--runtime', 'electron', '--target', electronVersion, '--arch', arch]) ||
  run('npx', [
    '--yes',
    'node-gyp',
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    `--arch=${arch}`,
    '--dist-url=https://electronjs.org/headers',
  ]);
const output = join(work, 'build', 'Release', 'better_sqlite3.node');
if (!built || !existsSync(output)) {
  console.error(
    'Could not get better-sqlite3 for Electron: neither a prebuilt download nor a build from Electron headers worked.\n' +
      'This needs the internet once (and a C++ toolchain if no prebuilt exists). The tests and the CLI do not need it.',
  );
  process.exit(1);
}
mkdirSync(targetDir, { recursive: true });
copyFileSync(output, target);
rmSync(join(root, '.electron-native', 'work'), { recursive: true, force: true });
console.log(`Ready: ${target}`);
