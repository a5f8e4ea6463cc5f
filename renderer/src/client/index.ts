// The studio's one entry to the engine: Electron IPC inside the desktop app, else the browser-mode
// WebSocket. No Node imports anywhere under client/.
import './zod-setup.ts';
import type { EngineClient } from './api.ts';
import { desktopBridge } from './bridge.ts';
import { createIpcClient } from './ipc-client.ts';
import { createWsClient } from './ws-client.ts';

export type { EngineClient } from './api.ts';
export { EngineError } from './rpc.ts';

export function createClient(): EngineClient {
  const bridge = desktopBridge();
  return bridge ? createIpcClient(bridge) : createWsClient();
}
