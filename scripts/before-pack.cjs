// electron-builder hook: make sure the Electron build of better-sqlite3 exists for the packaged
// Electron version and expose it as .electron-native/current for `extraResources`.
const { execFileSync } = require('node:child_process');
const { cpSync, mkdirSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

exports.default = async function beforePack(context) {
  const root = join(__dirname, '..');
  execFileSync(process.execPath, [join(__dirname, 'ensure-electron-native.mjs')], { stdio: 'inherit', cwd: root });
  const version = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  const arch =
    typeof context.arch === 'number' ? ['ia32', 'x64', 'armv7l', 'arm64', 'universal'][context.arch] : process.arch;
  const source = join(root, '.electron-native', `electron-${version}-${process.platform}-${arch}`);
  const current = join(root, '.electron-native', 'current');
  rmSync(current, { recursive: true, force: true });
  mkdirSync(current, { recursive: true });
  cpSync(source, current, { recursive: true });
};
