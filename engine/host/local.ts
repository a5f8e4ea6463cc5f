// The engine in this process, behind the same request/event surface as the Supervisor (tests, and the
// web server's --in-process mode where crash isolation is not wanted).
import { dispatch } from './dispatch.ts';
import { errorResponse, parseRequest, type EventMessage, type ResponseMessage } from './protocol.ts';
import { EngineService, type ServiceOptions } from './service.ts';

/** What a transport (web server, Electron main) needs from an engine host. */
export type EngineHost = {
  request(raw: unknown): Promise<ResponseMessage>;
  on(listener: (e: EventMessage) => void): () => void;
  close(): Promise<void>;
};

export function localEngine(opts: Omit<ServiceOptions, 'emit'> = {}): EngineHost {
  const listeners = new Set<(e: EventMessage) => void>();
  const service = EngineService.create({
    ...opts,
    emit: (event) => listeners.forEach((l) => l({ type: 'event', event })),
  });
  return {
    async request(raw) {
      // Public methods only, as through the supervisor.
      const req = parseRequest(raw);
      if (!req.ok) return errorResponse(req.id, req.error);
      return dispatch(await service, raw);
    },
    on(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      await (await service).dispose();
    },
  };
}
