// Fast-SAM3D Studio, main process: one instance, one window, the engine in a utility process.
import path from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  screen,
  session,
  shell,
  utilityProcess,
} from 'electron';
import { SettingsSchema, type EngineEvent } from '../../engine/host/protocol.ts';
import { Supervisor } from '../../engine/host/supervisor.ts';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../shared/channels.ts';
import { eventMessage, type ShellEvent } from '../shared/shell-protocol.ts';
import { ShellActions } from './actions.ts';
import { APP_INDEX_URL, APP_ORIGIN, handleAppProtocol, registerAppScheme } from './app-protocol.ts';
import { willDownloadHandler } from './downloads.ts';
import { utilityProcessSpawner } from './engine-process.ts';
import { createInvokeHandler, isTrustedSender, originOf } from './ipc.ts';
import { readJsonSync } from './json-store.ts';
import { buildMenuTemplate } from './menu.ts';
import { RecentFiles } from './recent-files.ts';
import {
  contentSecurityPolicy,
  denyAllPermissions,
  EXTERNAL_URL_ALLOW_LIST,
  hardenWebContents,
  installCsp,
  isAllowedExternalUrl,
} from './security.ts';
import { SettingsGuard } from './settings.ts';
import { APP_NAME, mainWindowOptions } from './window.ts';
import { loadWindowState, trackWindowState } from './window-state.ts';

const dev = !app.isPackaged;
/** Set by `electron-vite dev`; never honoured in a packaged app. */
const devServerUrl = dev ? process.env.ELECTRON_RENDERER_URL : undefined;
const expectedOrigin = (devServerUrl && originOf(devServerUrl)) || APP_ORIGIN;
const here = import.meta.dirname; // out/main
const log = (message: string) => console.log(`[fsam3d] ${message}`);

let mainWindow: BrowserWindow | null = null;

app.setName(APP_NAME);
registerAppScheme(protocol); // before 'ready'

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.whenReady().then(start, (err) => {
    console.error(err);
    app.exit(1);
  });
}

function send(event: ShellEvent | EngineEvent): void {
  if (mainWindow && !mainWindow.isDestroyed())
    mainWindow.webContents.send(EVENT_CHANNEL, eventMessage(event));
}

function openExternal(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const resourcesDir = app.isPackaged ? process.resourcesPath : path.join(app.getAppPath(), 'resources');

  // Security first: permissions, CSP, navigation rules for every web contents ever created.
  const ses = session.defaultSession;
  denyAllPermissions(ses);
  const csp = contentSecurityPolicy(dev, devServerUrl);
  if (devServerUrl) installCsp(ses, csp);
  handleAppProtocol(protocol, path.join(here, '../renderer'), csp);
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, openExternal, log));
  // Snapshots (and any <a download>) of the studio: always through a save dialog.
  ses.on(
    'will-download',
    willDownloadHandler({
      studio: () => mainWindow?.webContents,
      documentsDir: () => app.getPath('documents'),
      log,
    }),
  );

  // The engine: a supervised utility process; its settings.json lives in userData.
  const engine = new Supervisor({
    spawn: utilityProcessSpawner(utilityProcess.fork, {
      entry: path.join(here, 'engine-worker.cjs'),
      args: [`--settings-dir=${userData}`, `--resources-dir=${resourcesDir}`],
      log,
    }),
  });
  engine.on((msg) => send(msg.event));
  engine
    .start()
    .catch((err: Error) => send({ type: 'warning', message: `the engine did not start: ${err.message}` }));

  // The worker owns settings.json; the shell only reads it to know which pack folders were chosen.
  const saved = readJsonSync(path.join(userData, 'settings.json'), SettingsSchema.partial(), {}, log);
  const guard = new SettingsGuard(saved.packDirs ?? []);
  const recent = new RecentFiles({
    file: path.join(userData, 'recent-files.json'),
    addToOs: (f) => app.addRecentDocument(f),
    clearOs: () => app.clearRecentDocuments(),
    onChange: () => setMenu(),
    onError: (err) => log(`cannot save recent files: ${String(err)}`),
  });
  const actions = new ShellActions({
    dialog,
    window: () => mainWindow,
    recent,
    guard,
    engine,
    send,
    openExternal,
    documentsDir: () => app.getPath('documents'),
    about: () => ({
      name: APP_NAME,
      version: app.getVersion(),
      detail: `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
    }),
  });

  ipcMain.handle(
    INVOKE_CHANNEL,
    createInvokeHandler({
      isTrusted: (event) => isTrustedSender(event, mainWindow?.webContents, expectedOrigin),
      engine,
      shell: actions.handlers(),
      checkSettings: (patch) => guard.check(patch),
      observe: (method, result) => guard.observe(method, result),
      log,
    }),
  );

  function setMenu(): void {
    const template = buildMenuTemplate({
      dev,
      platform: process.platform,
      appName: APP_NAME,
      recent: recent.list(),
      actions: {
        openPhoto: actions.menuOpenPhoto,
        openRecent: actions.menuOpenRecent,
        clearRecent: () => void recent.clear(),
        importMask: actions.menuImportMask,
        exportGlb: () => send({ type: 'menu', action: 'export-glb' }),
        addPackFolder: actions.menuAddPackFolder,
        openSettings: () => send({ type: 'menu', action: 'open-settings' }),
        undo: () => send({ type: 'menu', action: 'undo' }),
        about: actions.menuAbout,
        openDocs: () => openExternal(EXTERNAL_URL_ALLOW_LIST[0]),
      },
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }
  setMenu();

  createWindow(userData);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(userData);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => void engine.close());
}

function createWindow(userData: string): void {
  const stateFile = path.join(userData, 'window-state.json');
  const state = loadWindowState(
    stateFile,
    screen.getAllDisplays().map((d) => d.workArea),
    log,
  );
  const win = new BrowserWindow(mainWindowOptions(state, path.join(here, '../preload/index.cjs'), dev));
  mainWindow = win;
  if (state.maximized) win.maximize();
  trackWindowState(win, stateFile, { onError: (err) => log(`cannot save window state: ${String(err)}`) });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(devServerUrl ?? APP_INDEX_URL);
}
