// The application menu as a plain template (built from the current recent-files list and the dev
// flag), so it can be checked without Electron. Items that need the studio (export, undo, settings)
// become 'menu' events for the renderer; file choices are made here, in dialogs.
import type { MenuItemConstructorOptions } from 'electron';
import type { RecentEntry } from './recent-files.ts';

export type MenuActions = {
  openPhoto(): void;
  openRecent(file: string): void;
  clearRecent(): void;
  importMask(): void;
  exportGlb(): void;
  addPackFolder(): void;
  openSettings(): void;
  undo(): void;
  about(): void;
  openDocs(): void;
};

export type MenuOptions = {
  dev: boolean;
  platform: NodeJS.Platform;
  appName: string;
  recent: readonly RecentEntry[];
  actions: MenuActions;
};

/** Menu labels treat '&' as a mnemonic marker on Windows/Linux. */
const label = (s: string) => s.replace(/&/g, '&&');

export function buildMenuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const a = o.actions;
  const mac = o.platform === 'darwin';
  const recentItems: MenuItemConstructorOptions[] = o.recent.length
    ? [
        ...o.recent.map((r) => ({
          label: label(r.name),
          toolTip: r.path,
          click: () => a.openRecent(r.path),
        })),
        { type: 'separator' as const },
        { label: 'Clear Recent', click: () => a.clearRecent() },
      ]
    : [{ label: 'No Recent Photos', enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Open Photo…', accelerator: 'CmdOrCtrl+O', click: () => a.openPhoto() },
      { label: 'Open Recent', submenu: recentItems },
      { label: 'Import Mask…', accelerator: 'CmdOrCtrl+Shift+M', click: () => a.importMask() },
      { type: 'separator' },
      { label: 'Export GLB…', accelerator: 'CmdOrCtrl+E', click: () => a.exportGlb() },
      { type: 'separator' },
      { label: 'Add Model Pack Folder…', click: () => a.addPackFolder() },
      { label: mac ? 'Settings…' : 'Settings', accelerator: 'CmdOrCtrl+,', click: () => a.openSettings() },
      { type: 'separator' },
      mac ? { role: 'close' } : { label: 'Quit', role: 'quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      // The studio's own history (clicks, masks, runs); text fields keep their native undo.
      { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: () => a.undo() },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(o.dev
        ? ([
            { role: 'reload' },
            { role: 'toggleDevTools' },
            { type: 'separator' },
          ] as MenuItemConstructorOptions[])
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    label: '&Help',
    role: 'help',
    submenu: [
      { label: 'Documentation', click: () => a.openDocs() },
      ...(mac ? [] : [{ label: `About ${o.appName}`, click: () => a.about() }]),
    ],
  };
  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: o.appName,
          submenu: [
            { label: `About ${o.appName}`, click: () => a.about() },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  return [
    ...appMenu,
    file,
    edit,
    view,
    help,
    ...(mac ? [{ role: 'windowMenu' } as MenuItemConstructorOptions] : []),
  ];
}
