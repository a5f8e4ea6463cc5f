// Downloads the studio starts itself (<a download> of a blob: or data: URL: snapshots, and exports in
// a build that does not use shell.saveFile) always go through a save dialog, in Documents by default.
// Anything else (another web contents, an http(s) URL) is cancelled.
import path from 'node:path';
import type { DownloadItem, Event, WebContents } from 'electron';

const FILTERS: Record<string, Electron.FileFilter> = {
  '.glb': { name: 'glTF binary', extensions: ['glb'] },
  '.ply': { name: 'PLY', extensions: ['ply'] },
  '.png': { name: 'PNG image', extensions: ['png'] },
};

export type DownloadDeps = {
  /** The studio window's web contents (null when it is closed). */
  studio(): WebContents | null | undefined;
  documentsDir(): string;
  log?(message: string): void;
};

/** A file name safe to offer: no folders, no reserved characters. */
export function downloadName(raw: string): string {
  const base = path
    .basename(raw.replace(/\\/g, '/'))
    .replace(/[<>:"/\\|?*\p{Cc}]/gu, '_')
    .replace(/^\.+/, '')
    .slice(0, 120);
  return base || 'download';
}

/** The session's 'will-download' listener. */
export function willDownloadHandler(d: DownloadDeps) {
  return (_event: Event, item: DownloadItem, contents: WebContents | undefined): void => {
    const url = item.getURL();
    if (!contents || contents !== d.studio() || !/^(blob|data):/i.test(url)) {
      d.log?.(`cancelled a download of ${url.slice(0, 80)}`);
      return item.cancel();
    }
    const name = downloadName(item.getFilename());
    const filter = FILTERS[path.extname(name).toLowerCase()];
    // No setSavePath: Electron shows the save dialog with these options; cancelling it cancels the item.
    item.setSaveDialogOptions({
      title: 'Save',
      defaultPath: path.join(d.documentsDir(), name),
      filters: filter ? [filter, { name: 'All files', extensions: ['*'] }] : [],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
  };
}
