// Installs the application menu. What is in it, per platform, is decided by the pure `menuTemplate`
// (menuTemplate.ts, unit-tested); this file only hands the template to Electron.
import { Menu } from 'electron';
import { type MenuActions, type MenuState, menuTemplate } from './menuTemplate';

export function installMenu(platform: string, state: MenuState, actions: MenuActions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(platform, state, actions)));
}
