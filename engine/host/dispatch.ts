// One request → one EngineService call → one response. Never throws: every failure becomes an error
// reply with a code the client can act on.
import { z } from 'zod';
import { CancelledError, UserError } from '../errors.ts';
import {
  describe,
  errorResponse,
  INTERNAL_PARAMS,
  PARAMS,
  parseRequest,
  type ResponseMessage,
  type WireError,
} from './protocol.ts';
import { NotFoundError, type EngineService } from './service.ts';

type P<T extends z.ZodType> = z.infer<T>;

export function toWireError(e: unknown): WireError {
  if (e instanceof UserError) return { code: 'user', message: e.message };
  if (e instanceof CancelledError) return { code: 'cancelled', message: 'cancelled' };
  if (e instanceof NotFoundError) return { code: 'not-found', message: e.message };
  if (e instanceof z.ZodError) return { code: 'bad-request', message: describe(e) };
  const msg = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: `internal error: ${msg.split('\n')[0]}` };
}

export async function dispatch(service: EngineService, raw: unknown): Promise<ResponseMessage> {
  const req = parseRequest(raw, { internal: true });
  if (!req.ok) return errorResponse(req.id, req.error);
  try {
    const result = await call(service, req.method, req.params);
    return { type: 'response', id: req.id, ok: true, result: result ?? null };
  } catch (e) {
    return errorResponse(req.id, toWireError(e));
  }
}

async function call(s: EngineService, method: string, params: unknown): Promise<unknown> {
  switch (method) {
    case 'hello':
      return s.hello();
    case 'openSample':
      return s.openSample((params as P<typeof PARAMS.openSample>).name);
    case 'openImage': {
      const p = params as P<typeof PARAMS.openImage>;
      return s.openImage(p.name, p.bytes);
    }
    case 'segment': {
      const p = params as P<typeof PARAMS.segment>;
      return s.segment(p.imageId, p.points, p.previous);
    }
    case 'importMask': {
      const p = params as P<typeof PARAMS.importMask>;
      return s.importMask(p.imageId, p.png);
    }
    case 'run':
      return s.runJob(params as P<typeof PARAMS.run>);
    case 'cancel':
      return s.cancel((params as P<typeof PARAMS.cancel>).runId);
    case 'metrics': {
      const p = params as P<typeof PARAMS.metrics>;
      return s.metrics(p.runA, p.runB);
    }
    case 'export':
      return s.export(params as P<typeof PARAMS.export>);
    case 'updateSettings':
      return s.updateSettings(params as P<typeof PARAMS.updateSettings>);
    case 'restoreImage': {
      const p = params as P<typeof INTERNAL_PARAMS.restoreImage>;
      return s.restoreImage(p.imageId, p.name, p.bytes);
    }
    case 'restoreRun':
      return s.restoreRun(params as P<typeof INTERNAL_PARAMS.restoreRun>);
    default:
      throw new Error(`no handler for ${method}`);
  }
}
