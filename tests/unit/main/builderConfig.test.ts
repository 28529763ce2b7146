// electron-builder.yml, loaded the way `electron-builder` loads it (app-builder-lib's own loader) and
// validated against electron-builder's own schema, so a typo or a key in the wrong place fails here
// rather than on a release machine. Packaging itself needs Electron's zip and runs in CI.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { beforeAll, describe, expect, it } from 'vitest';
import { electronSqliteBinding } from '../../../electron/main/nativeBinding';
import { useTempDir } from '../../helpers/tempDir';

const root = resolve(__dirname, '../../..');
const require = createRequire(__filename);
const beforePack = require(join(root, 'scripts/before-pack.cjs')) as {
  default: unknown;
  beforePack: unknown;
  nativeTarget(
    context: { electronPlatformName?: string; arch?: number | string },
    host: { platform: string; arch: string },
  ): {
    platform: string;
    arch: string;
  };
};

type Resource = { from: string; to: string; filter?: string[] };

function targetsOf(platform: { target?: unknown } | null | undefined): string[] {
  const targets = Array.isArray(platform?.target) ? platform.target : [platform?.target];
  return targets.map((target) => (typeof target === 'string' ? target : (target as { target: string }).target));
}

/** The `files` patterns, whichever of its shapes the loader returns (strings, or `{ filter }` objects). */
function filePatterns(files: Configuration['files']): string[] {
  const entries = Array.isArray(files) ? files : [files];
  return entries.flatMap((entry) => {
    if (typeof entry === 'string') return [entry];
    const filter = (entry as { filter?: string | string[] } | null)?.filter ?? [];
    return Array.isArray(filter) ? filter : [filter];
  });
}

describe('electron-builder.yml', () => {
  let config: Configuration;

  beforeAll(async () => {
    config = await getConfig(root, null, null);
  });

  it("is valid for electron-builder's schema", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('flips the security fuses with electron-builder 26’s `electronFuses` key', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    // The renderer is loaded from file:// and its module scripts need the file protocol's privileges.
    expect(config.electronFuses?.grantFileProtocolExtraPrivileges).not.toBe(false);
    // onlyLoadAppFromAsar needs an asar to load.
    expect(config.asar).toBe(true);
  });

  it('associates .hindsight files with the app on every platform', () => {
    const associations = Array.isArray(config.fileAssociations) ? config.fileAssociations : [config.fileAssociations];
    expect(associations).toHaveLength(1);
    const [association] = associations;
    expect(association).toMatchObject({
      ext: 'hindsight',
      name: 'Hindsight event store',
      mimeType: 'application/x-hindsight-event-store',
    });
    // An `icon` here must name existing .icns/.ico files (electron-builder does not convert it); documents use the app icon.
    expect(association?.icon).toBeUndefined();
    // The mime type reaches the .desktop file through the association; listing it again would duplicate it.
    expect(config.linux?.mimeTypes ?? []).not.toContain('application/x-hindsight-event-store');
    const uti = (config.mac?.extendInfo as { UTExportedTypeDeclarations?: unknown[] })?.UTExportedTypeDeclarations?.[0];
    expect(uti).toMatchObject({
      UTTypeTagSpecification: {
        'public.filename-extension': ['hindsight'],
        'public.mime-type': ['application/x-hindsight-event-store'],
      },
    });
  });

  it('builds AppImage and deb on Linux, dmg on macOS, nsis on Windows, with the 512 px icon', () => {
    expect(targetsOf(config.linux)).toEqual(['AppImage', 'deb']);
    expect(targetsOf(config.mac)).toEqual(['dmg']);
    expect(targetsOf(config.win)).toEqual(['nsis']);
    for (const platform of [config.linux, config.mac, config.win]) expect(platform?.icon).toBe('resources/icon.png');
    const png = readFileSync(join(root, 'resources/icon.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });

  it('ships the Electron build of better-sqlite3 where the app looks for it, never rebuilding node_modules', () => {
    expect(config.npmRebuild).toBe(false);
    const resources = (config.extraResources as Resource[]) ?? [];
    const native = resources.find((resource) => resource.to === 'native');
    expect(native).toEqual({ from: '.electron-native/current', to: 'native', filter: ['better_sqlite3.node'] });
    expect(resources.find((resource) => resource.to === 'icon.png')?.from).toBe('resources/icon.png');
    // The Node build, SQLite's and the addon's sources stay out of the package.
    expect(filePatterns(config.files)).toEqual(
      expect.arrayContaining(['out/**', 'package.json', '!**/node_modules/better-sqlite3/{build,deps,src}/**']),
    );
  });

  it('runs a beforePack hook that exports a function', () => {
    expect(config.beforePack).toBe('./scripts/before-pack.cjs');
    expect(typeof beforePack.default).toBe('function');
    expect(beforePack.beforePack).toBe(beforePack.default);
  });
});

describe('the packaged native addon', () => {
  const tempDir = useTempDir();

  it('is found by the main process at resources/native/better_sqlite3.node', () => {
    const resourcesPath = tempDir();
    const common = { isPackaged: true, resourcesPath, appPath: '/nowhere', electronVersion: '45.5.0' };
    expect(electronSqliteBinding({ ...common, platform: 'linux', arch: 'x64' })).toBeUndefined();
    mkdirSync(join(resourcesPath, 'native'));
    writeFileSync(join(resourcesPath, 'native', 'better_sqlite3.node'), '');
    expect(electronSqliteBinding({ ...common, platform: 'linux', arch: 'x64' })).toBe(
      join(resourcesPath, 'native', 'better_sqlite3.node'),
    );
  });

  it('is found in development under .electron-native/electron-<version>-<platform>-<arch>', () => {
    const appPath = tempDir();
    const dir = join(appPath, '.electron-native', 'electron-45.5.0-darwin-arm64');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'better_sqlite3.node'), '');
    const opts = { isPackaged: false, resourcesPath: '/nowhere', appPath, electronVersion: '45.5.0' };
    expect(electronSqliteBinding({ ...opts, platform: 'darwin', arch: 'arm64' })).toBe(
      join(dir, 'better_sqlite3.node'),
    );
    expect(electronSqliteBinding({ ...opts, platform: 'darwin', arch: 'x64' })).toBeUndefined();
  });

  it("is built for the packaging machine's OS and CPU only (before-pack refuses cross builds)", () => {
    const host = { platform: 'linux', arch: 'x64' };
    expect(beforePack.nativeTarget({ electronPlatformName: 'linux', arch: 1 }, host)).toEqual(host);
    expect(
      beforePack.nativeTarget({ electronPlatformName: 'mas', arch: 3 }, { platform: 'darwin', arch: 'arm64' }),
    ).toEqual({
      platform: 'darwin',
      arch: 'arm64',
    });
    expect(() => beforePack.nativeTarget({ electronPlatformName: 'linux', arch: 3 }, host)).toThrow(
      /linux-arm64 on linux-x64/,
    );
    expect(() => beforePack.nativeTarget({ electronPlatformName: 'win32', arch: 1 }, host)).toThrow(/win32-x64/);
    expect(() =>
      beforePack.nativeTarget({ electronPlatformName: 'darwin', arch: 4 }, { platform: 'darwin', arch: 'arm64' }),
    ).toThrow(/universal/);
    expect(() => beforePack.nativeTarget({ electronPlatformName: 'linux', arch: 9 }, host)).toThrow(
      /unknown target arch/,
    );
  });
});

describe('.github/workflows/release.yml', () => {
  type Step = { name?: string; run?: string; uses?: string; if?: string; with?: Record<string, unknown> };
  type Workflow = { jobs: Record<string, { strategy?: { matrix?: { os?: string[] } }; steps: Step[] }> };
  const yaml = require('js-yaml') as { load(text: string): unknown };
  const workflow = yaml.load(readFileSync(join(root, '.github/workflows/release.yml'), 'utf8')) as Workflow;
  const job = workflow.jobs.package;
  const runs = job?.steps.map((step) => step.run ?? '') ?? [];
  const indexOfRun = (text: string) => runs.findIndex((run) => run.includes(text));

  it('packages natively on Linux, macOS and Windows', () => {
    expect(job?.strategy?.matrix?.os).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest']);
  });

  it('installs, prepares the native addon, builds, smoke-tests under xvfb on Linux, then packages', () => {
    const order = [
      'npm ci',
      'node node_modules/electron/install.js',
      'node scripts/ensure-electron-native.mjs',
      'npm run build',
      'xvfb-run -a npx playwright test --config playwright.electron.config.ts',
      'npm run dist -- --publish never',
    ].map(indexOfRun);
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(job?.steps[indexOfRun('xvfb-run')]?.if).toBe("runner.os == 'Linux'");
  });

  it('uploads the installers', () => {
    const upload = job?.steps.find((step) => step.uses?.startsWith('actions/upload-artifact') && !step.if);
    expect(String(upload?.with?.path)).toMatch(/AppImage[\s\S]*deb[\s\S]*dmg[\s\S]*exe/);
  });
});
