// The application menu. Platform conventions come from Electron's roles; our own items only add
// what the app does.
import { app, Menu, type MenuItemConstructorOptions, shell } from 'electron';

export function installMenu(actions: { open: () => void; create: () => void; isDev: boolean }): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Store…', accelerator: 'CmdOrCtrl+N', click: actions.create },
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: actions.open },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(actions.isDev
          ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }]
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        {
          label: 'Documentation',
          click: () => void shell.openExternal('https://github.com/hindsight-app/hindsight#readme'),
        },
        { label: `About ${app.getName()}`, role: 'about' },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
