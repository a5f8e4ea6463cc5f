// The preload bridge the Electron shell exposes as window.fsam3d (electron/preload/index.ts). invoke
// takes a protocol request ({ type: 'request', id, method, params }) and resolves with the protocol
// response; onEvent delivers protocol event messages ({ type: 'event', event }). Both sides validate.
export type Fsam3dBridge = {
  invoke(request: unknown): Promise<unknown>;
  onEvent(cb: (e: unknown) => void): () => void;
};

declare global {
  interface Window {
    fsam3d?: Fsam3dBridge;
  }
}

/** The bridge when running inside the desktop app (window === globalThis in a page). */
export function desktopBridge(): Fsam3dBridge | undefined {
  return (globalThis as { fsam3d?: Fsam3dBridge }).fsam3d;
}
