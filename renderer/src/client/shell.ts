// The desktop shell's own surface, next to the engine client: dialogs (shell.* requests on the same
// invoke channel) and shell events (menu actions, files opened from the menu, settings changed),
// both validated here. Only inside Electron (window.fsam3d); null in the browser. No Node imports.
import { z } from 'zod';
import {
  ShellEventMessageSchema,
  type ShellEvent,
  type ShellMethod,
  type ShellParams,
  type ShellResults,
} from '../../../electron/shared/shell-protocol.ts';
import { ResponseSchema, SettingsSchema } from '../../../engine/host/protocol.ts';
import { desktopBridge, type Fsam3dBridge } from './bridge.ts';
import { EngineError } from './rpc.ts';

export type { ShellEvent } from '../../../electron/shared/shell-protocol.ts';
export type ChosenFile = { name: string; bytes: Uint8Array };

const chosen = z
  .strictObject({ name: z.string(), bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array) })
  .nullable();
const RESULTS: { [M in ShellMethod]: z.ZodType<ShellResults[M]> } = {
  'shell.openPhoto': chosen,
  'shell.importMask': chosen,
  'shell.addPackFolder': SettingsSchema.nullable(),
  'shell.saveFile': z.strictObject({ name: z.string() }).nullable(),
  'shell.openExternal': z.strictObject({ opened: z.boolean() }),
};

export type ShellClient = {
  /** Open dialog → the photo's name and bytes, or null when cancelled. */
  openPhoto(): Promise<ChosenFile | null>;
  importMask(): Promise<ChosenFile | null>;
  /** Folder dialog → the engine's new settings, or null. */
  addPackFolder(): Promise<ShellResults['shell.addPackFolder']>;
  /** Save dialog + atomic write → the file name written, or null when cancelled. */
  saveFile(bytes: Uint8Array, suggestedName: string, format: 'glb' | 'ply'): Promise<string | null>;
  openExternal(url: string): Promise<boolean>;
  /** Validated shell events; engine events and anything malformed are skipped. */
  onEvent(cb: (e: ShellEvent) => void): () => void;
};

/** Parses one message from the bridge's onEvent: a shell event, or null. */
export function parseShellEvent(raw: unknown): ShellEvent | null {
  const m = ShellEventMessageSchema.safeParse(raw);
  return m.success ? m.data.event : null;
}

export function createShellClient(bridge: Fsam3dBridge | undefined = desktopBridge()): ShellClient | null {
  if (!bridge) return null;
  let nextId = 1;
  async function call<M extends ShellMethod>(method: M, params: ShellParams<M>): Promise<ShellResults[M]> {
    let raw: unknown;
    try {
      raw = await bridge!.invoke({ type: 'request', id: nextId++, method, params });
    } catch (e) {
      throw new EngineError(
        'disconnected',
        `the desktop shell did not answer: ${(e as Error)?.message ?? e}`,
      );
    }
    const res = ResponseSchema.safeParse(raw);
    if (!res.success) throw new EngineError('internal', `the shell sent a malformed reply to ${method}`);
    if (!res.data.ok) throw new EngineError(res.data.error.code, res.data.error.message);
    const out = RESULTS[method].safeParse(res.data.result ?? null);
    if (!out.success) throw new EngineError('internal', `the shell sent an unexpected ${method} result`);
    return out.data;
  }
  return {
    openPhoto: () => call('shell.openPhoto', {}),
    importMask: () => call('shell.importMask', {}),
    addPackFolder: () => call('shell.addPackFolder', {}),
    saveFile: async (bytes, suggestedName, format) =>
      (await call('shell.saveFile', { bytes: bytes as Uint8Array<ArrayBuffer>, suggestedName, format }))
        ?.name ?? null,
    openExternal: async (url) => (await call('shell.openExternal', { url })).opened,
    onEvent: (cb) =>
      bridge.onEvent((raw) => {
        const e = parseShellEvent(raw);
        if (e) cb(e);
      }),
  };
}
