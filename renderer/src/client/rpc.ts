// EngineClient over any request/response transport: builds protocol requests, validates every reply and
// event against the shared schemas, and turns error replies into EngineError.
import {
  EventMessageSchema,
  parseResult,
  ResponseSchema,
  type ErrorCode,
  type Method,
  type Params,
  type RequestMessage,
  type Result,
} from '../../../engine/host/protocol.ts';
import type { EngineClient, EngineEvent } from './api.ts';

/** A failed engine call; `code` says whether the user can fix it, it was cancelled, the engine crashed… */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type Transport = {
  /** Sends one request; resolves with the raw response message. */
  send(request: RequestMessage): Promise<unknown>;
  /** Raw event messages as they arrive. */
  subscribe(cb: (raw: unknown) => void): () => void;
};

export function rpcClient(transport: Transport): EngineClient {
  let nextId = 1;
  const listeners = new Set<(e: EngineEvent) => void>();
  let unsubscribe: (() => void) | null = null;

  async function call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    const id = nextId++;
    const raw = await transport.send({ type: 'request', id, method, params });
    const res = ResponseSchema.safeParse(raw);
    if (!res.success) throw new EngineError('internal', `engine sent a malformed reply to ${method}`);
    if (!res.data.ok) throw new EngineError(res.data.error.code, res.data.error.message);
    try {
      return parseResult(method, res.data.result);
    } catch (e) {
      throw new EngineError('internal', (e as Error).message);
    }
  }

  const onRaw = (raw: unknown) => {
    const msg = EventMessageSchema.safeParse(raw);
    if (!msg.success) return; // not ours, or malformed: never let it reach the UI
    for (const l of [...listeners]) {
      try {
        l(msg.data.event);
      } catch (e) {
        console.error('engine event listener failed', e);
      }
    }
  };

  return {
    hello: () => call('hello', {}),
    openSample: (name) => call('openSample', { name }),
    openImage: (name, bytes) => call('openImage', { name, bytes }),
    segment: (imageId, points, previous) =>
      call('segment', previous ? { imageId, points, previous } : { imageId, points }),
    importMask: (imageId, png) => call('importMask', { imageId, png }),
    run: (request) => call('run', request),
    cancel: async (runId) => {
      await call('cancel', runId === undefined ? {} : { runId });
    },
    metrics: (runA, runB) => call('metrics', { runA, runB }),
    export: (request) => call('export', request),
    updateSettings: (settings) => call('updateSettings', settings),
    on(listener) {
      listeners.add(listener);
      unsubscribe ??= transport.subscribe(onRaw);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          unsubscribe?.();
          unsubscribe = null;
        }
      };
    },
  };
}
