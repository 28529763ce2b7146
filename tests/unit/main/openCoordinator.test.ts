import { describe, expect, it } from 'vitest';
import { OpenCoordinator, planOpen, type ShellPorts, WindowRegistry } from '../../../electron/main/openCoordinator';
import type { OpenMode } from '../../../shared/types';

/** A fake shell: windows are numbers, opening a path "works" unless it ends in `.broken`. */
class FakeShell implements ShellPorts {
  coordinator!: OpenCoordinator;
  focused: number | null = null;
  nextId = 1;
  log: string[] = [];
  errors: { windowId: number | null; title: string; message: string }[] = [];
  openPick: string | null = null;
  createPick: string | null = null;

  focusedId(): number | null {
    return this.focused;
  }
  createWindow(): number {
    const id = this.nextId++;
    this.coordinator.windows.add(id);
    this.focused = id;
    this.log.push(`create ${id}`);
    return id;
  }
  focus(windowId: number): void {
    this.focused = windowId;
    this.coordinator.windows.touch(windowId);
    this.log.push(`focus ${windowId}`);
  }
  closeWindow(windowId: number): void {
    this.coordinator.windows.remove(windowId);
    if (this.focused === windowId) this.focused = this.coordinator.windows.list()[0]?.id ?? null;
    this.log.push(`close ${windowId}`);
  }
  async openIn(windowId: number, path: string, mode: OpenMode | undefined): Promise<string> {
    this.log.push(`open ${windowId} ${path}${mode ? ` ${mode}` : ''}`);
    if (path.endsWith('.broken')) throw new Error(`${path} is not a store`);
    if (path.endsWith('.sqlite')) {
      throw Object.assign(new Error(`${path} is not a store`), { details: { tables: ['t'], mappable: true } });
    }
    return path;
  }
  async createIn(windowId: number, path: string): Promise<string> {
    this.log.push(`create-store ${windowId} ${path}`);
    if (path.endsWith('.exists')) throw new Error(`${path} already exists`);
    return path;
  }
  async pickOpenPath(parentId: number | null): Promise<string | null> {
    this.log.push(`open-dialog ${parentId}`);
    return this.openPick;
  }
  async pickCreatePath(parentId: number | null): Promise<string | null> {
    this.log.push(`save-dialog ${parentId}`);
    return this.createPick;
  }
  showError(windowId: number | null, title: string, error: unknown): void {
    this.errors.push({ windowId, title, message: error instanceof Error ? error.message : String(error) });
  }
}

function setup(platform = 'linux') {
  const shell = new FakeShell();
  const coordinator = new OpenCoordinator(shell, platform);
  shell.coordinator = coordinator;
  return { shell, coordinator };
}

describe('planOpen', () => {
  it('focuses the window that already has the file, else picks an empty window, else a new one', () => {
    const registry = new WindowRegistry('linux');
    registry.add(1);
    registry.setPath(1, '/a.hindsight');
    expect(planOpen('/a.hindsight', registry, { kind: 'any' }, 1)).toEqual({ kind: 'focus', windowId: 1 });
    expect(planOpen('/b.hindsight', registry, { kind: 'any' }, 1)).toEqual({ kind: 'new-window' });
    registry.add(2);
    expect(planOpen('/b.hindsight', registry, { kind: 'any' }, 1)).toEqual({ kind: 'open-in', windowId: 2 });
  });

  it('prefers the focused window when it is empty', () => {
    const registry = new WindowRegistry('linux');
    registry.add(1);
    registry.add(2);
    expect(planOpen('/x.db', registry, { kind: 'any' }, 1)).toEqual({ kind: 'open-in', windowId: 1 });
  });

  it('opens a dropped file in the window it was dropped on, unless another window has it', () => {
    const registry = new WindowRegistry('linux');
    registry.add(1);
    registry.setPath(1, '/a.hindsight');
    registry.add(2);
    registry.setPath(2, '/b.hindsight');
    expect(planOpen('/c.hindsight', registry, { kind: 'window', windowId: 1 }, 1)).toEqual({
      kind: 'open-in',
      windowId: 1,
    });
    expect(planOpen('/b.hindsight', registry, { kind: 'window', windowId: 1 }, 1)).toEqual({
      kind: 'focus',
      windowId: 2,
    });
  });

  it('compares paths as the platform does', () => {
    const mac = new WindowRegistry('darwin');
    mac.add(1);
    mac.setPath(1, '/Users/ada/Ledger.hindsight');
    expect(mac.windowWith('/Users/ada/./ledger.HINDSIGHT')).toBe(1);
    const linux = new WindowRegistry('linux');
    linux.add(1);
    linux.setPath(1, '/home/ada/Ledger.hindsight');
    expect(linux.windowWith('/home/ada/ledger.hindsight')).toBeNull();
  });

  it('keeps windows in focus order and forgets closed ones', () => {
    const registry = new WindowRegistry('linux');
    registry.add(1);
    registry.add(2);
    registry.add(3);
    registry.touch(1);
    expect(registry.list().map((w) => w.id)).toEqual([1, 3, 2]);
    registry.remove(3);
    registry.setPath(3, '/ghost');
    expect(registry.list().map((w) => w.id)).toEqual([1, 2]);
    expect(registry.windowWith('/ghost')).toBeNull();
  });
});

describe('OpenCoordinator', () => {
  it('opens the command line’s file in the first window at start', async () => {
    const { shell, coordinator } = setup();
    coordinator.start({ paths: ['/a.hindsight'], mode: 'read-write' });
    await coordinator.idle();
    expect(shell.log).toEqual(['create 1', 'open 1 /a.hindsight read-write', 'focus 1']);
    expect(coordinator.windows.pathOf(1)).toBe('/a.hindsight');
  });

  it('makes one empty window at start when nothing asks for a file', async () => {
    const { shell, coordinator } = setup();
    coordinator.start();
    await coordinator.idle();
    expect(shell.log).toEqual(['create 1']);
  });

  it('keeps macOS open-file requests that arrive before ready and opens them at start', async () => {
    const { shell, coordinator } = setup('darwin');
    coordinator.request({ paths: ['/a.hindsight'] });
    await coordinator.idle();
    coordinator.request({ paths: ['/b.hindsight'] });
    await coordinator.idle();
    expect(shell.log).toEqual([]);
    coordinator.start();
    await coordinator.idle();
    expect(shell.log).toEqual([
      'create 1',
      'open 1 /a.hindsight',
      'focus 1',
      'create 2',
      'open 2 /b.hindsight',
      'focus 2',
    ]);
  });

  it('focuses the window that has a store instead of opening it twice', async () => {
    const { shell, coordinator } = setup();
    coordinator.start({ paths: ['/a.hindsight'] });
    await coordinator.idle();
    coordinator.request({ paths: ['/b.hindsight'] });
    await coordinator.idle();
    shell.log = [];
    coordinator.request({ paths: ['/a.hindsight'] });
    await coordinator.idle();
    expect(shell.log).toEqual(['focus 1']);
  });

  it('reuses an empty window for a file from the OS, then opens further files in new windows', async () => {
    const { shell, coordinator } = setup();
    coordinator.start();
    await coordinator.idle();
    coordinator.secondInstance({ paths: ['/a.hindsight', '/b.hindsight'] });
    await coordinator.idle();
    expect(shell.log).toEqual([
      'create 1',
      'open 1 /a.hindsight',
      'focus 1',
      'create 2',
      'open 2 /b.hindsight',
      'focus 2',
    ]);
  });

  it('brings the most recent window forward on a second launch without files', async () => {
    const { shell, coordinator } = setup();
    coordinator.start();
    await coordinator.idle();
    coordinator.request({ paths: ['/a.hindsight'] }); // reuses window 1
    await coordinator.idle();
    shell.createWindow(); // window 2
    coordinator.windows.touch(1);
    shell.log = [];
    coordinator.secondInstance({ paths: [] });
    await coordinator.idle();
    expect(shell.log).toEqual(['focus 1']);
  });

  it('makes a window on a second launch when none is open (macOS keeps running without windows)', async () => {
    const { shell, coordinator } = setup('darwin');
    coordinator.start();
    await coordinator.idle();
    shell.closeWindow(1);
    shell.log = [];
    coordinator.secondInstance({ paths: [] });
    await coordinator.idle();
    expect(shell.log).toEqual(['create 2']);
  });

  it('forwards a second launch’s files that arrive before ready to start', async () => {
    const { shell, coordinator } = setup();
    coordinator.secondInstance({ paths: ['/a.hindsight'] });
    await coordinator.idle();
    coordinator.secondInstance({ paths: [] });
    await coordinator.idle();
    expect(shell.log).toEqual([]);
    coordinator.start();
    await coordinator.idle();
    expect(shell.log).toEqual(['create 1', 'open 1 /a.hindsight', 'focus 1']);
  });

  it('opens a dropped file in the window it was dropped on, replacing its store', async () => {
    const { shell, coordinator } = setup();
    coordinator.start({ paths: ['/a.hindsight'] });
    await coordinator.idle();
    shell.log = [];
    coordinator.request({ paths: ['/c.hindsight', '/d.hindsight'] }, { kind: 'window', windowId: 1 });
    await coordinator.idle();
    expect(shell.log).toEqual(['open 1 /c.hindsight', 'focus 1', 'create 2', 'open 2 /d.hindsight', 'focus 2']);
    expect(coordinator.windows.pathOf(1)).toBe('/c.hindsight');
  });

  it('shows an error and keeps the only window when its file cannot be opened', async () => {
    const { shell, coordinator } = setup();
    coordinator.start({ paths: ['/bad.broken'] });
    await coordinator.idle();
    expect(shell.log).toEqual(['create 1', 'open 1 /bad.broken', 'focus 1']);
    expect(shell.errors).toEqual([
      { windowId: 1, title: 'Could not open the store', message: '/bad.broken is not a store' },
    ]);
    expect(coordinator.windows.size).toBe(1);
  });

  it('closes a window made only for a file that failed, when other windows exist', async () => {
    const { shell, coordinator } = setup();
    coordinator.start({ paths: ['/a.hindsight'] });
    await coordinator.idle();
    shell.log = [];
    coordinator.request({ paths: ['/bad.broken'] });
    await coordinator.idle();
    expect(shell.log).toEqual(['create 2', 'open 2 /bad.broken', 'close 2']);
    expect(shell.errors[0]?.windowId).toBe(1);
    expect(coordinator.windows.list().map((w) => w.id)).toEqual([1]);
  });

  it('refuses the page’s own open of a store that another window shows, and focuses that window', async () => {
    const { shell, coordinator } = setup();
    coordinator.start({ paths: ['/a.hindsight'] });
    await coordinator.idle();
    shell.createWindow();
    shell.log = [];
    expect(coordinator.claim(2, '/a.hindsight')).toBe(false);
    expect(shell.log).toEqual(['focus 1']);
    expect(coordinator.claim(1, '/a.hindsight')).toBe(true);
    expect(coordinator.claim(2, '/new.hindsight')).toBe(true);
  });

  it('File → Open…: the dialog on the focused window, then a new window when that one has a store', async () => {
    const { shell, coordinator } = setup();
    coordinator.start({ paths: ['/a.hindsight'] });
    await coordinator.idle();
    shell.log = [];
    shell.openPick = '/b.hindsight';
    await coordinator.openWithDialog();
    await coordinator.idle();
    expect(shell.log).toEqual(['open-dialog 1', 'create 2', 'open 2 /b.hindsight', 'focus 2']);
    shell.openPick = null;
    shell.log = [];
    await coordinator.openWithDialog();
    await coordinator.idle();
    expect(shell.log).toEqual(['open-dialog 2']);
  });

  it('File → New Store…: in the focused window when empty, else in a new window', async () => {
    const { shell, coordinator } = setup();
    coordinator.start();
    await coordinator.idle();
    shell.createPick = '/new.hindsight';
    await coordinator.newStore();
    await coordinator.idle();
    expect(shell.log).toEqual(['create 1', 'save-dialog 1', 'create-store 1 /new.hindsight', 'focus 1']);
    shell.log = [];
    shell.createPick = '/second.hindsight';
    await coordinator.newStore();
    await coordinator.idle();
    expect(shell.log).toEqual(['save-dialog 1', 'create 2', 'create-store 2 /second.hindsight', 'focus 2']);
    expect(coordinator.windows.pathOf(2)).toBe('/second.hindsight');
  });

  it('File → New Store…: a cancelled dialog does nothing; a refused create closes the extra window', async () => {
    const { shell, coordinator } = setup();
    coordinator.start({ paths: ['/a.hindsight'] });
    await coordinator.idle();
    shell.log = [];
    shell.createPick = null;
    await coordinator.newStore();
    await coordinator.idle();
    expect(shell.log).toEqual(['save-dialog 1']);
    shell.log = [];
    shell.createPick = '/a.exists';
    await coordinator.newStore();
    await coordinator.idle();
    expect(shell.log).toEqual(['save-dialog 1', 'create 2', 'create-store 2 /a.exists', 'close 2']);
    expect(shell.errors.map((e) => e.title)).toEqual(['Could not create the store']);
  });

  it('keeps the window of a SQLite file that can be mapped (it shows the mapping dialog), with no error box', async () => {
    const { shell, coordinator } = setup();
    coordinator.start({ paths: ['/a.hindsight'] });
    await coordinator.idle();
    shell.log = [];
    coordinator.request({ paths: ['/audit.sqlite'] });
    await coordinator.idle();
    expect(shell.log).toEqual(['create 2', 'open 2 /audit.sqlite', 'focus 2']);
    expect(shell.errors).toEqual([]);
    expect(coordinator.windows.list().map((w) => w.id)).toEqual([2, 1]);
  });
});
