// The main process wired together, with Electron mocked: window, IPC, engine restarts, menu, files.
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../shared/channels.ts';
import { FakeUtilityProcess, until } from './test-fakes.ts';

const h = vi.hoisted(() => ({
  userData: '',
  handlers: new Map<string, (event: unknown, raw: unknown) => Promise<unknown>>(),
  appEvents: new Map<string, ((...args: unknown[]) => void)[]>(),
  windows: [] as unknown[],
  openDialogResult: { canceled: true, filePaths: [] as string[] },
}));

vi.mock('electron', async () => {
  const { EventEmitter: EE } = await import('node:events');
  const { forkFake } = await import('./test-fakes.ts');
  const fn = vi.fn;
  class FakeWebContents extends EE {
    mainFrame = { url: '' };
    send = fn();
    openHandler?: (d: { url: string }) => unknown;
    setWindowOpenHandler(hd: (d: { url: string }) => unknown) {
      this.openHandler = hd;
    }
    isDestroyed = () => false;
  }
  class BrowserWindow extends EE {
    webContents = new FakeWebContents();
    loadURL = fn(async (url: string) => {
      this.webContents.mainFrame.url = url;
    });
    maximize = fn();
    show = fn();
    focus = fn();
    restore = fn();
    isMinimized = () => false;
    isMaximized = () => false;
    isDestroyed = () => false;
    getNormalBounds = () => ({ x: 0, y: 0, width: 1440, height: 900 });
    constructor(readonly options: unknown) {
      super();
      h.windows.push(this);
      // As Electron does, announce the new web contents.
      for (const l of h.appEvents.get('web-contents-created') ?? []) l({}, this.webContents);
    }
    static getAllWindows = () => h.windows;
  }
  const on = (name: string, l: (...a: unknown[]) => void) => {
    h.appEvents.set(name, [...(h.appEvents.get(name) ?? []), l]);
  };
  return {
    app: {
      isPackaged: false,
      setName: fn(),
      getName: () => 'Fast-SAM3D Studio',
      getVersion: () => '0.1.0',
      getPath: (name: string) => (name === 'userData' ? h.userData : os.tmpdir()),
      getAppPath: () => process.cwd(),
      requestSingleInstanceLock: () => true,
      whenReady: () => Promise.resolve(),
      on,
      quit: fn(),
      exit: fn(),
      addRecentDocument: fn(),
      clearRecentDocuments: fn(),
    },
    BrowserWindow,
    dialog: {
      showOpenDialog: fn(async () => h.openDialogResult),
      showSaveDialog: fn(async () => ({ canceled: true })),
      showMessageBox: fn(async () => ({ response: 0 })),
    },
    ipcMain: {
      handle: fn((ch: string, f: (e: unknown, r: unknown) => Promise<unknown>) => h.handlers.set(ch, f)),
    },
    Menu: { buildFromTemplate: fn((t: unknown) => t), setApplicationMenu: fn() },
    protocol: { registerSchemesAsPrivileged: fn(), handle: fn() },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 2560, height: 1440 } }] },
    session: {
      defaultSession: {
        setPermissionRequestHandler: fn(),
        setPermissionCheckHandler: fn(),
        setDevicePermissionHandler: fn(),
        webRequest: { onHeadersReceived: fn() },
        on: fn(),
      },
    },
    shell: { openExternal: fn(async () => {}) },
    utilityProcess: { fork: fn(forkFake) },
  };
});

type Win = EventEmitter & {
  options: { webPreferences: Record<string, unknown> };
  webContents: EventEmitter & {
    mainFrame: { url: string };
    send: ReturnType<typeof vi.fn>;
    openHandler: (d: { url: string }) => unknown;
  };
  loadURL: ReturnType<typeof vi.fn>;
  focus: ReturnType<typeof vi.fn>;
};

let electron: typeof import('electron');
let win: Win;
const invoke = (
  raw: unknown,
  sender: unknown = { sender: win.webContents, senderFrame: win.webContents.mainFrame },
) => h.handlers.get(INVOKE_CHANNEL)!(sender, raw);
const sent = () => win.webContents.send.mock.calls.filter((c) => c[0] === EVENT_CHANNEL).map((c) => c[1]);

beforeAll(async () => {
  h.userData = mkdtempSync(path.join(os.tmpdir(), 'fsam3d-main-'));
  delete process.env.ELECTRON_RENDERER_URL;
  electron = await import('electron');
  await import('./index.ts');
  await until(() => h.windows.length === 1);
  win = h.windows[0] as Win;
});
afterAll(() => rmSync(h.userData, { recursive: true, force: true }));

describe('main process', () => {
  it('opens one secure window on the app:// origin, with state saved in userData', () => {
    const w = win.options.webPreferences;
    expect(w).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(String(w.preload)).toMatch(/preload[\\/]index\.cjs$/);
    expect(win.loadURL).toHaveBeenCalledWith('app://studio/index.html');
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalled();
    expect(electron.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
  });

  it('blocks navigation and new windows in the window it created', () => {
    const ev = { url: 'https://evil.example/', preventDefault: vi.fn() };
    win.webContents.emit('will-navigate', ev);
    expect(ev.preventDefault).toHaveBeenCalled();
    expect(win.webContents.openHandler({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('listens on exactly one IPC channel and relays engine requests through the utility process', async () => {
    expect([...h.handlers.keys()]).toEqual([INVOKE_CHANNEL]);
    const res = await invoke({ type: 'request', id: 5, method: 'hello', params: {} });
    expect(res).toEqual({ type: 'response', id: 5, ok: true, result: { method: 'hello' } });
    expect(electron.utilityProcess.fork).toHaveBeenCalledWith(
      expect.stringMatching(/engine-worker\.cjs$/),
      [`--settings-dir=${h.userData}`, `--resources-dir=${path.join(process.cwd(), 'resources')}`],
      expect.any(Object),
    );
  });

  it('refuses messages from other senders and invalid messages', async () => {
    const stranger = new EventEmitter();
    await expect(
      invoke(
        { type: 'request', id: 1, method: 'hello', params: {} },
        { sender: stranger, senderFrame: { url: 'app://studio/index.html' } },
      ),
    ).rejects.toThrow(/refused/);
    const bad = await invoke({
      type: 'request',
      id: 2,
      method: 'openImage',
      params: { name: 'x', bytes: 'no' },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('restarts a crashed engine and tells the studio', async () => {
    const before = (electron.utilityProcess.fork as ReturnType<typeof vi.fn>).mock.calls.length;
    FakeUtilityProcess.all.at(-1)!.crash(134);
    await until(() =>
      sent().some((m) => (m as { event: { type: string } }).event.type === 'engine-restarted'),
    );
    expect(sent()).toContainEqual({
      type: 'event',
      event: { type: 'engine-restarted', reason: expect.stringContaining('exit code 134') },
    });
    expect((electron.utilityProcess.fork as ReturnType<typeof vi.fn>).mock.calls.length).toBe(before + 1);
    expect(await invoke({ type: 'request', id: 6, method: 'hello', params: {} })).toMatchObject({ ok: true });
  });

  it('File › Open Photo… sends the bytes (not the path) and records the photo in Open Recent', async () => {
    const photo = path.join(h.userData, 'my cat.png');
    writeFileSync(photo, new Uint8Array([137, 80, 78, 71]));
    h.openDialogResult = { canceled: false, filePaths: [photo] };
    const setMenu = electron.Menu.setApplicationMenu as ReturnType<typeof vi.fn>;
    const template = setMenu.mock.calls.at(-1)![0] as {
      label: string;
      submenu: { label?: string; click?: () => void }[];
    }[];
    template.find((m) => m.label === '&File')!.submenu.find((i) => i.label === 'Open Photo…')!.click!();
    await until(() => sent().some((m) => (m as { type: string }).type === 'shell'));
    expect(sent()).toContainEqual({
      type: 'shell',
      event: {
        type: 'file-opened',
        kind: 'photo',
        name: 'my cat.png',
        bytes: new Uint8Array([137, 80, 78, 71]),
      },
    });
    expect(JSON.stringify(sent())).not.toContain(h.userData);
    await until(() => existsSync(path.join(h.userData, 'recent-files.json')));
    expect(JSON.parse(readFileSync(path.join(h.userData, 'recent-files.json'), 'utf8'))[0].path).toBe(photo);
    expect(electron.app.addRecentDocument).toHaveBeenCalledWith(photo);
    // The menu is rebuilt with the photo under Open Recent.
    const latest = setMenu.mock.calls.at(-1)![0] as typeof template;
    const recent = latest
      .find((m) => m.label === '&File')!
      .submenu.find((i) => i.label === 'Open Recent') as unknown as {
      submenu: { label: string }[];
    };
    expect(recent.submenu[0].label).toBe('my cat.png');
  });

  it("routes the studio's downloads through a save dialog (will-download)", () => {
    const on = electron.session.defaultSession.on as unknown as ReturnType<typeof vi.fn>;
    const [, listener] = on.mock.calls.find((c) => c[0] === 'will-download')!;
    const item = (url: string) => ({
      getURL: () => url,
      getFilename: () => 'shot.png',
      cancel: vi.fn(),
      setSaveDialogOptions: vi.fn(),
    });
    const ours = item('blob:app://studio/1');
    listener({}, ours, win.webContents);
    expect(ours.setSaveDialogOptions).toHaveBeenCalledWith(
      expect.objectContaining({ defaultPath: path.join(os.tmpdir(), 'shot.png') }),
    );
    const theirs = item('https://evil.example/x.png');
    listener({}, theirs, win.webContents);
    expect(theirs.cancel).toHaveBeenCalled();
  });

  it('focuses the existing window when a second instance starts', () => {
    for (const l of h.appEvents.get('second-instance') ?? []) l();
    expect(win.focus).toHaveBeenCalled();
  });
});
