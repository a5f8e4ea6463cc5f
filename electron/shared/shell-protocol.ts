// What the desktop shell adds to the engine protocol on the same IPC channel. Requests use the engine's
// envelope ({ type: 'request', id, method, params } → { type: 'response', id, ok, result | error }) with
// method names under 'shell.'; events travel with the engine's events on the event channel. Only the
// shell can open dialogs, so every file the studio sees came from the user's own choice.
// No Electron import: the renderer may import these types.
import { z } from 'zod';
import { LIMITS, SettingsSchema, type EngineEvent, type EventMessage } from '../../engine/host/protocol.ts';
import type { Settings } from '../../renderer/src/client/api.ts';

const bytes = (max: number) =>
  z.instanceof(Uint8Array).refine((b) => b.length <= max, `too large (limit ${max} bytes)`);

export const SHELL_PARAMS = {
  /** Open dialog for a photo → { name, bytes } or null when cancelled (also added to Open Recent). */
  'shell.openPhoto': z.strictObject({}),
  /** Open dialog for a PNG mask → { name, bytes } or null. */
  'shell.importMask': z.strictObject({}),
  /** Folder dialog for a model pack (a folder with manifest.json) → the new Settings, or null. */
  'shell.addPackFolder': z.strictObject({}),
  /** Save dialog, then an atomic write → { name } of the file written, or null when cancelled. */
  'shell.saveFile': z.strictObject({
    bytes: bytes(LIMITS.frameBytes),
    suggestedName: z.string().min(1).max(LIMITS.name),
    format: z.enum(['glb', 'ply']),
  }),
  /** Opens an allow-listed https link in the system browser → { opened: boolean }. */
  'shell.openExternal': z.strictObject({ url: z.string().min(1).max(2048) }),
} as const;

export type ShellMethod = keyof typeof SHELL_PARAMS;
export type ShellParams<M extends ShellMethod> = z.infer<(typeof SHELL_PARAMS)[M]>;
export const SHELL_METHODS = Object.keys(SHELL_PARAMS) as ShellMethod[];

export type ChosenFileResult = { name: string; bytes: Uint8Array } | null;
export type ShellResults = {
  'shell.openPhoto': ChosenFileResult;
  'shell.importMask': ChosenFileResult;
  'shell.addPackFolder': Settings | null;
  'shell.saveFile': { name: string } | null;
  'shell.openExternal': { opened: boolean };
};

export function isShellMethod(method: unknown): method is ShellMethod {
  return typeof method === 'string' && Object.hasOwn(SHELL_PARAMS, method);
}

export const MENU_ACTIONS = ['export-glb', 'undo', 'open-settings'] as const;
export type MenuAction = (typeof MENU_ACTIONS)[number];

/**
 * Events from the shell, besides the engine's. On the bridge's onEvent they arrive as
 * { type: 'shell', event } next to the engine's { type: 'event', event } messages.
 */
export const ShellEventSchema = z.discriminatedUnion('type', [
  /** A menu item the studio carries out (export needs its selection, undo its history). */
  z.strictObject({ type: z.literal('menu'), action: z.enum(MENU_ACTIONS) }),
  /** File › Open Photo…, Open Recent or Import Mask… chose a file: its bytes, never its path. */
  z.strictObject({
    type: z.literal('file-opened'),
    kind: z.enum(['photo', 'mask']),
    name: z.string(),
    bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'must be a Uint8Array'),
  }),
  /** Settings changed outside the studio's own calls (File › Add Model Pack Folder…). */
  z.strictObject({ type: z.literal('settings-changed'), settings: SettingsSchema }),
]);
export type ShellEvent = z.infer<typeof ShellEventSchema>;
export const ShellEventMessageSchema = z.strictObject({ type: z.literal('shell'), event: ShellEventSchema });
export type ShellEventMessage = z.infer<typeof ShellEventMessageSchema>;

const SHELL_EVENT_TYPES: ReadonlySet<string> = new Set(['menu', 'file-opened', 'settings-changed']);

/** The message the bridge delivers for an engine or shell event. */
export function eventMessage(event: ShellEvent | EngineEvent): ShellEventMessage | EventMessage {
  return SHELL_EVENT_TYPES.has(event.type)
    ? { type: 'shell', event: event as ShellEvent }
    : { type: 'event', event: event as EngineEvent };
}
