// Which window a file opens in. One store per window, several windows at once; a store that is
// already open in a window is focused instead of opened twice. Every way a file reaches the app goes
// through here: the command line, a second instance, macOS's `open-file`, the menu, drag & drop.
// Pure: what only Electron can do (make, focus and close windows, show dialogs) comes in as ports, so
// the rules are unit-tested with fakes.
import type { OpenMode } from '../../shared/types';
import { type OpenRequest, pathKey } from './openRequest';

export interface WindowInfo {
  id: number;
  /** The store open in the window, or null when it shows the welcome screen. */
  path: string | null;
}

/** Where a request should land: the best window for it, or a named window (a file dropped on it). */
export type OpenTarget = { kind: 'any' } | { kind: 'window'; windowId: number };

export type OpenPlan =
  | { kind: 'focus'; windowId: number }
  | { kind: 'open-in'; windowId: number }
  | { kind: 'new-window' };

/** Which windows exist, what each shows, and which was focused last. */
export class WindowRegistry {
  private readonly paths = new Map<number, string | null>();
  /** Window ids, most recently focused first. */
  private order: number[] = [];

  constructor(private readonly platform: string) {}

  add(id: number): void {
    if (!this.paths.has(id)) this.paths.set(id, null);
    this.touch(id);
  }

  remove(id: number): void {
    this.paths.delete(id);
    this.order = this.order.filter((other) => other !== id);
  }

  /** Records what a window shows now (null: no store). Unknown windows are ignored. */
  setPath(id: number, path: string | null): void {
    if (this.paths.has(id)) this.paths.set(id, path);
  }

  /** Marks a window as the most recently focused. */
  touch(id: number): void {
    if (!this.paths.has(id)) return;
    this.order = [id, ...this.order.filter((other) => other !== id)];
  }

  has(id: number): boolean {
    return this.paths.has(id);
  }

  pathOf(id: number): string | null {
    return this.paths.get(id) ?? null;
  }

  get size(): number {
    return this.paths.size;
  }

  /** Windows, most recently focused first. */
  list(): WindowInfo[] {
    return this.order.map((id) => ({ id, path: this.paths.get(id) ?? null }));
  }

  /** The window that has `path` open (compared as the OS compares paths), if any. */
  windowWith(path: string): number | null {
    const key = pathKey(path, this.platform);
    for (const { id, path: open } of this.list()) {
      if (open !== null && pathKey(open, this.platform) === key) return id;
    }
    return null;
  }
}

/** Decides where `path` goes. `focusedId` is the window the user is looking at, if any. */
export function planOpen(
  path: string,
  registry: WindowRegistry,
  target: OpenTarget,
  focusedId: number | null,
): OpenPlan {
  const existing = registry.windowWith(path);
  if (existing !== null) return { kind: 'focus', windowId: existing };
  return placeNew(registry, target, focusedId);
}

/** A window for something new: the named one, else the focused window if empty, else any empty one, else a new one. */
export function placeNew(registry: WindowRegistry, target: OpenTarget, focusedId: number | null): OpenPlan {
  if (target.kind === 'window' && registry.has(target.windowId)) return { kind: 'open-in', windowId: target.windowId };
  if (focusedId !== null && registry.has(focusedId) && registry.pathOf(focusedId) === null) {
    return { kind: 'open-in', windowId: focusedId };
  }
  const empty = registry.list().find((window) => window.path === null);
  return empty ? { kind: 'open-in', windowId: empty.id } : { kind: 'new-window' };
}

export interface ShellPorts {
  /** The focused window's id, or null when the app has no focused window. */
  focusedId(): number | null;
  /** Makes a window (which registers itself in the registry) and returns its id. */
  createWindow(): number;
  /** Shows, restores and focuses a window. */
  focus(windowId: number): void;
  closeWindow(windowId: number): void;
  /** Opens `path` in the window's services; resolves to the path the store reports; rejects when it cannot be opened. */
  openIn(windowId: number, path: string, mode: OpenMode | undefined): Promise<string>;
  /** Creates a new store at `path` in the window; returns its path; rejects when it cannot. */
  createIn(windowId: number, path: string): Promise<string>;
  /** The open dialog, attached to the window if one is given; null when cancelled. */
  pickOpenPath(parentId: number | null): Promise<string | null>;
  /** The save dialog for a new store; null when cancelled. */
  pickCreatePath(parentId: number | null): Promise<string | null>;
  /** Tells the user a file could not be opened or created (a message box on the window, if any). */
  showError(windowId: number | null, title: string, error: unknown): void;
}

interface Pending {
  request: OpenRequest;
  target: OpenTarget;
}

export class OpenCoordinator {
  readonly windows: WindowRegistry;
  private ready = false;
  private readonly pending: Pending[] = [];
  /** Opens run one after another (a foreign file takes a while to read), in the order they were asked for. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ports: ShellPorts,
    platform: string,
  ) {
    this.windows = new WindowRegistry(platform);
  }

  get isReady(): boolean {
    return this.ready;
  }

  /**
   * Opens the files of a request, or keeps them until the app is ready (macOS sends `open-file`
   * before `ready` when the app is started by a double-click on a file).
   */
  request(request: OpenRequest, target: OpenTarget = { kind: 'any' }): void {
    if (request.paths.length === 0) return;
    if (!this.ready) {
      this.pending.push({ request, target });
      return;
    }
    this.run(request, target);
  }

  /** At `ready`: opens the command line's files and whatever arrived before, and makes sure a window exists. */
  start(initial: OpenRequest = { paths: [] }): void {
    this.ready = true;
    const queued = [{ request: initial, target: { kind: 'any' } as OpenTarget }, ...this.pending.splice(0)];
    for (const { request, target } of queued) if (request.paths.length > 0) this.run(request, target);
    this.queue = this.queue.then(() => {
      if (this.windows.size === 0) this.ports.createWindow();
    });
  }

  /** Resolves when every open asked for so far has finished (succeeded or been reported). */
  idle(): Promise<void> {
    return this.queue;
  }

  /** A second launch of the app: open its files, or (with none) bring a window forward. */
  secondInstance(request: OpenRequest): void {
    if (request.paths.length > 0) {
      this.request(request);
      return;
    }
    if (!this.ready) return;
    const latest = this.windows.list()[0];
    if (latest) this.ports.focus(latest.id);
    else this.ports.createWindow();
  }

  /**
   * Called before a window opens a file its page asked for (the page's own Open dialog): when another
   * window already shows that file, that window is focused and the open is refused.
   */
  claim(windowId: number, path: string): boolean {
    const existing = this.windows.windowWith(path);
    if (existing === null || existing === windowId) return true;
    this.ports.focus(existing);
    return false;
  }

  /** File → Open…: the dialog, then the usual placement (a new window when the focused one shows a store). */
  async openWithDialog(): Promise<void> {
    const path = await this.ports.pickOpenPath(this.ports.focusedId());
    if (path !== null) this.request({ paths: [path] });
  }

  /** File → New Store…: the save dialog, then a new store in the focused window if it is empty, else in a new one. */
  async newStore(): Promise<void> {
    const focusedId = this.ports.focusedId();
    const path = await this.ports.pickCreatePath(focusedId);
    if (path === null) return;
    const plan = placeNew(this.windows, { kind: 'any' }, this.ports.focusedId());
    const windowId = plan.kind === 'open-in' ? plan.windowId : this.ports.createWindow();
    try {
      this.windows.setPath(windowId, await this.ports.createIn(windowId, path));
      this.ports.focus(windowId);
    } catch (error) {
      this.failed(plan, windowId, 'Could not create the store', error);
    }
  }

  private run(request: OpenRequest, target: OpenTarget): void {
    let first = true;
    for (const path of request.paths) {
      const pathTarget = first ? target : ({ kind: 'any' } as OpenTarget);
      this.queue = this.queue.then(() => this.openOne(path, request.mode, pathTarget));
      first = false;
    }
  }

  private async openOne(path: string, mode: OpenMode | undefined, target: OpenTarget): Promise<void> {
    const plan = planOpen(path, this.windows, target, this.ports.focusedId());
    if (plan.kind === 'focus') {
      this.ports.focus(plan.windowId);
      return;
    }
    const windowId = plan.kind === 'open-in' ? plan.windowId : this.ports.createWindow();
    try {
      this.windows.setPath(windowId, await this.ports.openIn(windowId, path, mode));
      this.ports.focus(windowId);
    } catch (error) {
      this.failed(plan, windowId, 'Could not open the store', error);
    }
  }

  /** A window made only for a file that then failed goes away again, unless it is the only one. */
  private failed(plan: OpenPlan, windowId: number, title: string, error: unknown): void {
    if (needsMapping(error)) {
      // A SQLite file whose tables can be mapped: the window shows the column-mapping dialog; keep it.
      this.ports.focus(windowId);
      return;
    }
    if (plan.kind === 'new-window' && this.windows.size > 1 && this.windows.pathOf(windowId) === null) {
      this.ports.closeWindow(windowId);
      this.ports.showError(this.ports.focusedId(), title, error);
      return;
    }
    this.ports.focus(windowId);
    this.ports.showError(windowId, title, error);
  }
}

/** An open refused with `not_a_store` that the column-mapping dialog can resolve (see StoreSession.open). */
function needsMapping(error: unknown): boolean {
  const details = (error as { details?: { mappable?: unknown } } | null)?.details;
  return typeof details === 'object' && details !== null && details.mappable === true;
}
