import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleScript } from '../../helpers/storeChildren';
import { makeStore, snapshotFolder } from '../../helpers/storeFixtures';
import { collect, REPO_ROOT } from '../../helpers/storeProcess';
import { useTempDir } from '../../helpers/tempDir';

// biome-ignore lint/correctness/useHookAtTopLevel: useTempDir is a Vitest helper (afterEach cleanup), not a React hook.
const tempDir = useTempDir('hindsight-perm-');
const isRoot = process.getuid?.() === 0;
/** The unprivileged user must be able to reach the repo (the bundled child script and node_modules). */
function othersCanRead(file: string): boolean {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o005) !== 0o005) return false;
  }
  return true;
}
const reachable = othersCanRead(path.join(REPO_ROOT, 'node_modules', 'better-sqlite3', 'package.json'));
const NOBODY = 65534;

afterAll(() => {
  fs.rmSync(path.dirname(bundleScript('tests/helpers/storePermissionChild.ts')), { recursive: true, force: true });
});

// Root ignores file permissions, so the checks run in a child process as the unprivileged user
// "nobody". Where the tests do not run as root they cannot switch user (and where the repo is not
// readable by others, nobody cannot run the child), and are skipped.
describe.skipIf(!isRoot || !reachable)('permissions (as an unprivileged user)', () => {
  it('a store it may read but not write: read-write → permission_denied, read-only works; unreadable → permission_denied', async () => {
    const script = bundleScript('tests/helpers/storePermissionChild.ts');
    const dir = tempDir();
    fs.chmodSync(dir, 0o755);
    makeStore(dir, 7).close();
    const file = path.join(dir, 'test.hindsight');
    fs.chmodSync(file, 0o644);
    fs.copyFileSync(file, path.join(dir, 'secret.hindsight'));
    fs.chmodSync(path.join(dir, 'secret.hindsight'), 0o600);
    const privateDir = path.join(tempDir(), 'cache');
    fs.mkdirSync(privateDir, { mode: 0o777 });
    fs.chmodSync(path.dirname(privateDir), 0o755);
    fs.chmodSync(privateDir, 0o777);
    const before = snapshotFolder(dir);

    const ops = [
      { name: 'rw', op: 'open-rw', file },
      { name: 'ro', op: 'open-ro', file, privateDir },
      { name: 'unreadable', op: 'open-ro', file: path.join(dir, 'secret.hindsight'), privateDir },
      { name: 'create', op: 'create', file: path.join(dir, 'new.hindsight') },
    ];
    const child = spawn(process.execPath, [script, JSON.stringify(ops)], {
      uid: NOBODY,
      gid: NOBODY,
      cwd: '/',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result = await collect(child);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as Record<string, string>;
    expect(out.rw).toMatch(/^permission_denied: .*cannot be opened for writing: the file or its folder is read-only/);
    expect(out.ro).toBe('ok 7');
    expect(out.unreadable).toMatch(/^permission_denied: /);
    expect(out.create).toMatch(/^permission_denied: /);
    expect(snapshotFolder(dir)).toEqual(before);
  });
});
