// Dialog-backed file access. The renderer never names a path: it asks for a dialog and receives
// bytes and a display name (photo, mask), or hands bytes over to be written where the user chose
// (export). Only a pack folder's path is returned, because the user picked it and the settings show it.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';
import { atomicWrite } from '../../engine/export/atomic-write.ts';
import { LIMITS } from '../../engine/host/protocol.ts';

export const PHOTO_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp', 'tif', 'tiff', 'avif'] as const;
export const MASK_EXTENSIONS = ['png'] as const;
export const EXPORT_FORMATS = { glb: 'glTF binary', ply: 'PLY' } as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

export type ChosenFile = { name: string; bytes: Uint8Array };

/** Reads a file the user chose (dialog, recent list), refusing folders and oversize files. */
export async function readChosenFile(file: string, maxBytes = LIMITS.imageBytes): Promise<ChosenFile> {
  const st = await stat(file);
  if (!st.isFile()) throw new Error(`${path.basename(file)} is not a file`);
  if (st.size > maxBytes)
    throw new Error(
      `${path.basename(file)} is ${(st.size / 2 ** 20).toFixed(0)} MiB; the limit is ${maxBytes / 2 ** 20} MiB`,
    );
  const buf = await readFile(file);
  return { name: path.basename(file), bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) };
}

/** A name safe to offer as a default file name: no folders, no reserved characters. */
export function safeFileName(suggested: string, format: ExportFormat): string {
  const base = path
    .basename(suggested.replace(/\\/g, '/'))
    .replace(/[<>:"/\\|?*\p{Cc}]/gu, '_')
    .replace(/^\.+/, '')
    .slice(0, 120);
  const stem = base.replace(/\.(glb|ply)$/i, '') || 'object';
  return `${stem}.${format}`;
}

type DialogHost = Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>;

async function pickFile(
  dialog: DialogHost,
  win: BrowserWindow | null,
  title: string,
  filters: Electron.FileFilter[],
): Promise<string | null> {
  const opts: Electron.OpenDialogOptions = { title, filters, properties: ['openFile'] };
  const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
}

export function pickPhoto(dialog: DialogHost, win: BrowserWindow | null): Promise<string | null> {
  return pickFile(dialog, win, 'Open Photo', [{ name: 'Images', extensions: [...PHOTO_EXTENSIONS] }]);
}

export function pickMask(dialog: DialogHost, win: BrowserWindow | null): Promise<string | null> {
  return pickFile(dialog, win, 'Import Mask', [{ name: 'PNG mask', extensions: [...MASK_EXTENSIONS] }]);
}

/** A pack folder is any folder with a manifest.json; the engine checks the rest when it loads it. */
export function isPackFolder(dir: string): boolean {
  return existsSync(path.join(dir, 'manifest.json'));
}

export async function pickPackFolder(dialog: DialogHost, win: BrowserWindow | null): Promise<string | null> {
  const opts: Electron.OpenDialogOptions = {
    title: 'Add Model Pack Folder (a folder with manifest.json)',
    properties: ['openDirectory'],
  };
  const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  if (r.canceled || r.filePaths.length === 0) return null;
  const dir = r.filePaths[0];
  if (!isPackFolder(dir))
    throw new Error(
      `${dir} has no manifest.json; choose the folder that holds the pack's manifest and ONNX files`,
    );
  return dir;
}

/** Save dialog, then an atomic write. Returns the chosen file's name, or null when cancelled. */
export async function saveBytes(
  dialog: DialogHost,
  win: BrowserWindow | null,
  bytes: Uint8Array,
  suggestedName: string,
  format: ExportFormat,
  defaultDir: string,
): Promise<string | null> {
  const opts: Electron.SaveDialogOptions = {
    title: `Export ${format.toUpperCase()}`,
    defaultPath: path.join(defaultDir, safeFileName(suggestedName, format)),
    filters: [{ name: EXPORT_FORMATS[format], extensions: [format] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
  const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
  if (r.canceled || !r.filePath) return null;
  const target = path.extname(r.filePath) ? r.filePath : `${r.filePath}.${format}`;
  await atomicWrite(target, bytes);
  return path.basename(target);
}
