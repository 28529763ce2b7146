// electron-builder hook (beforePack): make sure the Electron build of better-sqlite3 exists for the
// Electron, OS and CPU being packaged, and expose it as .electron-native/current, which
// electron-builder.yml ships as resources/native/better_sqlite3.node (outside the asar; loaded through
// better-sqlite3's `nativeBinding` option, see electron/main/nativeBinding.ts).
//
// scripts/ensure-electron-native.mjs builds for the machine it runs on, so a package for another OS or
// CPU (or a macOS universal build) cannot get a matching addon here: the hook stops with a clear
// message instead of shipping an addon that would crash on load. Build each OS/arch on its own runner
// (see .github/workflows/release.yml).
const { execFileSync } = require('node:child_process');
const { cpSync, existsSync, mkdirSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

/** electron-builder's `Arch` enum (builder-util): ia32 = 0, x64 = 1, armv7l = 2, arm64 = 3, universal = 4. */
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

/**
 * The platform and arch the packaged addon must be built for; throws when that is not this machine.
 * @param {{ electronPlatformName?: string, arch?: number | string }} context
 * @param {{ platform: string, arch: string }} host
 */
function nativeTarget(context, host) {
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : (context.electronPlatformName ?? host.platform);
  const arch = typeof context.arch === 'number' ? ARCH_NAMES[context.arch] : (context.arch ?? host.arch);
  if (arch === undefined) throw new Error(`before-pack: unknown target arch ${String(context.arch)}.`);
  if (platform !== host.platform || arch !== host.arch) {
    throw new Error(
      `before-pack: cannot package for ${platform}-${arch} on ${host.platform}-${host.arch}: better-sqlite3 for ` +
        "Electron is built for the machine that packages. Package each OS and CPU on its own machine (CI's matrix).",
    );
  }
  return { platform, arch };
}

/** The folder scripts/ensure-electron-native.mjs writes the addon to. */
function nativeDir(root, electronVersion, platform, arch) {
  return join(root, '.electron-native', `electron-${electronVersion}-${platform}-${arch}`);
}

async function beforePack(context) {
  const root = join(__dirname, '..');
  const { platform, arch } = nativeTarget(context, { platform: process.platform, arch: process.arch });
  const installed = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  const packaged = context.packager?.info?.framework?.version ?? installed;
  if (packaged !== installed) {
    throw new Error(
      `before-pack: packaging Electron ${packaged}, but node_modules has Electron ${installed}; the addon is built for the latter.`,
    );
  }
  execFileSync(process.execPath, [join(__dirname, 'ensure-electron-native.mjs')], { stdio: 'inherit', cwd: root });
  const source = nativeDir(root, installed, platform, arch);
  if (!existsSync(join(source, 'better_sqlite3.node'))) {
    throw new Error(`before-pack: ${join(source, 'better_sqlite3.node')} is missing after ensure-electron-native.`);
  }
  const current = join(root, '.electron-native', 'current');
  rmSync(current, { recursive: true, force: true });
  mkdirSync(current, { recursive: true });
  cpSync(source, current, { recursive: true });
}

module.exports = { beforePack, default: beforePack, nativeTarget, nativeDir, ARCH_NAMES };
