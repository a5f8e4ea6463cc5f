// EngineClient for the desktop app: requests and events go through the preload bridge (window.fsam3d);
// Electron's structured clone carries the typed arrays, so no codec is needed.
import type { EngineClient } from './api.ts';
import { desktopBridge, type Fsam3dBridge } from './bridge.ts';
import { EngineError, rpcClient } from './rpc.ts';

export function createIpcClient(bridge: Fsam3dBridge | undefined = desktopBridge()): EngineClient {
  if (!bridge) throw new Error('window.fsam3d is missing: not running inside the desktop app');
  return rpcClient({
    send: async (request) => {
      try {
        return await bridge.invoke(request);
      } catch (e) {
        // Main answers with response messages; a throw here means the IPC channel itself failed.
        throw new EngineError(
          'disconnected',
          `lost the connection to the engine: ${(e as Error)?.message ?? e}`,
        );
      }
    },
    subscribe: (cb) => bridge.onEvent(cb),
  });
}
