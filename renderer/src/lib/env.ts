// What the studio needs from its host page: a clock, downloads and object URLs. Tests pass their own.
import type { ShellClient } from '../client/shell';

export type StudioEnv = {
  /** The desktop shell's dialogs when running inside Electron; absent in the browser. */
  shell?: ShellClient | null;
  now(): number;
  random(): number;
  /** Save bytes as a file: a browser download (in Electron, exports use shell.saveFile instead). */
  download(bytes: Uint8Array, name: string, mime: string): void;
  objectUrl(bytes: Uint8Array, mime: string): string;
  revokeUrl(url: string): void;
};

function blobOf(bytes: Uint8Array, mime: string): Blob {
  // Copy into a plain ArrayBuffer: a view over a SharedArrayBuffer or a larger buffer is not a BlobPart.
  return new Blob([bytes.slice().buffer as ArrayBuffer], { type: mime });
}

export const browserEnv: StudioEnv = {
  now: () => Date.now(),
  random: () => Math.random(),
  download(bytes, name, mime) {
    const url = URL.createObjectURL(blobOf(bytes, mime));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
  objectUrl: (bytes, mime) => URL.createObjectURL(blobOf(bytes, mime)),
  revokeUrl: (url) => URL.revokeObjectURL(url),
};

/** Save a data: URL (screenshots) through the same download path. */
export function downloadDataUrl(dataUrl: string, name: string): void {
  const a = document.createElement('a');
  a.href = dataUrl;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
}
