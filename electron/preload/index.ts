// The whole renderer-facing surface of the shell: window.fsam3d = { invoke, onEvent }
// (renderer/src/client/bridge.ts). Every message is validated in the main process, so the bridge is a
// dumb, typed pipe. Sandboxed preloads may only require 'electron'; the channel names are inlined by
// the bundler.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Fsam3dBridge } from '../../renderer/src/client/bridge.ts';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../shared/channels.ts';

const bridge: Fsam3dBridge = {
  invoke: (request) => ipcRenderer.invoke(INVOKE_CHANNEL, request),
  onEvent(cb) {
    const listener = (_e: IpcRendererEvent, message: unknown) => cb(message);
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, listener);
  },
};

contextBridge.exposeInMainWorld('fsam3d', bridge);
