// What the menu and the shell.* requests do: dialogs, reading the chosen file, recent files, adding a
// pack folder. Results go back as a request's answer or, from the menu, as events to the studio.
import type { BrowserWindow, Dialog } from 'electron';
import type { Settings } from '../../renderer/src/client/api.ts';
import type { EngineEvent, ResponseMessage } from '../../engine/host/protocol.ts';
import type { ShellEvent, ShellResults } from '../shared/shell-protocol.ts';
import {
  pickMask,
  pickPackFolder,
  pickPhoto,
  readChosenFile,
  saveBytes,
  type ChosenFile,
  type ExportFormat,
} from './files.ts';
import type { RecentFiles } from './recent-files.ts';
import type { ShellHandlers } from './ipc.ts';
import { isAllowedExternalUrl } from './security.ts';
import type { SettingsGuard } from './settings.ts';

export type ActionDeps = {
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog' | 'showMessageBox'>;
  window(): BrowserWindow | null;
  recent: RecentFiles;
  guard: SettingsGuard;
  engine: { request(raw: unknown): Promise<ResponseMessage> };
  send(event: ShellEvent | EngineEvent): void;
  openExternal(url: string): Promise<void> | void;
  documentsDir(): string;
  about(): { name: string; version: string; detail: string };
};

export class ShellActions {
  constructor(private readonly d: ActionDeps) {}

  /** Reads a photo the user chose (dialog or recent list) and records it in Open Recent. */
  async readPhoto(file: string): Promise<ChosenFile> {
    try {
      const chosen = await readChosenFile(file);
      await this.d.recent.add(file);
      return chosen;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        await this.d.recent.remove(file);
        throw new Error(`${file} no longer exists; it was removed from Open Recent`);
      }
      throw err;
    }
  }

  async openPhoto(): Promise<ShellResults['shell.openPhoto']> {
    const file = await pickPhoto(this.d.dialog, this.d.window());
    return file ? this.readPhoto(file) : null;
  }

  async importMask(): Promise<ShellResults['shell.importMask']> {
    const file = await pickMask(this.d.dialog, this.d.window());
    return file ? readChosenFile(file) : null;
  }

  async addPackFolder(): Promise<Settings | null> {
    const dir = await pickPackFolder(this.d.dialog, this.d.window());
    if (!dir) return null;
    this.d.guard.allow(dir);
    const res = await this.d.engine.request({
      type: 'request',
      id: 0,
      method: 'updateSettings',
      params: this.d.guard.withPackDir(dir),
    });
    if (!res.ok) throw new Error(res.error.message);
    this.d.guard.observe('updateSettings', res.result);
    return res.result as Settings;
  }

  saveFile(bytes: Uint8Array, suggestedName: string, format: ExportFormat) {
    return saveBytes(
      this.d.dialog,
      this.d.window(),
      bytes,
      suggestedName,
      format,
      this.d.documentsDir(),
    ).then((name) => (name ? { name } : null));
  }

  async openExternal(url: string): Promise<{ opened: boolean }> {
    if (!isAllowedExternalUrl(url)) return { opened: false };
    await this.d.openExternal(url);
    return { opened: true };
  }

  /** The shell.* request handlers for the IPC channel. */
  handlers(): ShellHandlers {
    return {
      'shell.openPhoto': () => this.openPhoto(),
      'shell.importMask': () => this.importMask(),
      'shell.addPackFolder': () => this.addPackFolder(),
      'shell.saveFile': (p) => this.saveFile(p.bytes, p.suggestedName, p.format),
      'shell.openExternal': (p) => this.openExternal(p.url),
    };
  }

  // ── Menu entry points: errors become a warning event in the studio. ──

  private async fromMenu(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.d.send({ type: 'warning', message: err instanceof Error ? err.message : String(err) });
    }
  }

  menuOpenPhoto = () =>
    this.fromMenu(async () => {
      const f = await this.openPhoto();
      if (f) this.d.send({ type: 'file-opened', kind: 'photo', ...f });
    });

  menuOpenRecent = (file: string) =>
    this.fromMenu(async () => {
      this.d.send({ type: 'file-opened', kind: 'photo', ...(await this.readPhoto(file)) });
    });

  menuImportMask = () =>
    this.fromMenu(async () => {
      const f = await this.importMask();
      if (f) this.d.send({ type: 'file-opened', kind: 'mask', ...f });
    });

  menuAddPackFolder = () =>
    this.fromMenu(async () => {
      const settings = await this.addPackFolder();
      if (settings) this.d.send({ type: 'settings-changed', settings });
    });

  menuAbout = () =>
    this.fromMenu(async () => {
      const a = this.d.about();
      const win = this.d.window();
      const opts = {
        type: 'info' as const,
        title: `About ${a.name}`,
        message: `${a.name} ${a.version}`,
        detail: a.detail,
        buttons: ['OK'],
      };
      await (win ? this.d.dialog.showMessageBox(win, opts) : this.d.dialog.showMessageBox(opts));
    });
}
