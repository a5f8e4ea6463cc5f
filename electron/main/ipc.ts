// The one invoke channel. A message is answered only when it comes from the studio's own top frame
// (the main window's webContents, its main frame, at the studio's origin); then it must parse as an
// engine request (engine/host/protocol.ts) or a shell request (shared/shell-protocol.ts). Engine
// requests go to the supervisor; shell requests open dialogs here. Answers are response envelopes;
// only an untrusted sender gets a rejection.
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { z } from 'zod';
import {
  badRequest,
  errorResponse,
  parseRequest,
  type ResponseMessage,
  type WireError,
} from '../../engine/host/protocol.ts';
import type { Settings } from '../../renderer/src/client/api.ts';
import { isShellMethod, SHELL_PARAMS, type ShellMethod, type ShellParams } from '../shared/shell-protocol.ts';

/** scheme://host of a URL; URL.origin is "null" for non-special schemes such as app://. */
export function originOf(raw: string): string | null {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

export function isTrustedSender(
  event: SenderEvent,
  main: WebContents | null | undefined,
  expectedOrigin: string,
): boolean {
  if (!main || main.isDestroyed() || event.sender !== main) return false;
  const frame = event.senderFrame;
  if (!frame || frame !== main.mainFrame) return false; // no sub-frames
  return originOf(frame.url) === expectedOrigin;
}

export type ShellHandlers = { [M in ShellMethod]: (params: ShellParams<M>) => Promise<unknown> };

export type InvokeDeps = {
  isTrusted(event: SenderEvent): boolean;
  engine: { request(raw: unknown): Promise<ResponseMessage> };
  shell: ShellHandlers;
  /** Extra rule for updateSettings (pack folders only from the dialog); null = allowed. */
  checkSettings(patch: Partial<Settings>): WireError | null;
  /** Sees every successful engine answer (the shell tracks the current settings). */
  observe?(method: string, result: unknown): void;
  log?(message: string): void;
};

const ShellEnvelope = z.strictObject({
  type: z.literal('request'),
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  method: z.string(),
  params: z.unknown(),
});

export class UntrustedSenderError extends Error {
  override readonly name = 'UntrustedSenderError';
}

export function createInvokeHandler(deps: InvokeDeps) {
  const log = deps.log ?? (() => {});
  return async (event: SenderEvent, raw: unknown): Promise<ResponseMessage> => {
    if (!deps.isTrusted(event)) {
      log(`refused an IPC message from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
      throw new UntrustedSenderError('refused: the message did not come from the studio window');
    }
    const method = (raw as { method?: unknown } | null)?.method;
    if (isShellMethod(method)) return shellRequest(deps, raw, method);

    const req = parseRequest(raw);
    if (!req.ok) {
      log(`invalid engine request: ${req.error.message}`);
      return errorResponse(req.id ?? -1, req.error);
    }
    if (req.method === 'updateSettings') {
      const refused = deps.checkSettings(req.params as Partial<Settings>);
      if (refused) return errorResponse(req.id, refused);
    }
    const res = await deps.engine.request(raw);
    if (res.ok) deps.observe?.(req.method, res.result);
    return res;
  };
}

async function shellRequest(deps: InvokeDeps, raw: unknown, method: ShellMethod): Promise<ResponseMessage> {
  const env = ShellEnvelope.safeParse(raw);
  if (!env.success) return errorResponse(-1, badRequest('message', env.error));
  const params = SHELL_PARAMS[method].safeParse(env.data.params ?? {});
  if (!params.success) return errorResponse(env.data.id, badRequest(method, params.error));
  try {
    const handler = deps.shell[method] as (p: unknown) => Promise<unknown>;
    const result = await handler(params.data);
    return { type: 'response', id: env.data.id, ok: true, result: result ?? null };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return errorResponse(env.data.id, { code: 'user', message });
  }
}
