// The engine worker behind a message port: {post, onMessage}. Two adapters: a Node child process
// (process.send, forked with serialization 'advanced' so typed arrays are cloned, not JSON-mangled) and
// an Electron utility process (process.parentPort, a global there: no electron import).
import { dispatch } from './dispatch.ts';
import { EngineService, type ServiceOptions } from './service.ts';

export type Port = { post(msg: unknown): void; onMessage(cb: (msg: unknown) => void): void };

/** First message a worker sends once its service is up. */
export type ReadyMessage = { type: 'ready'; pid: number };

type ParentPort = {
  postMessage(msg: unknown): void;
  on(event: 'message', cb: (e: { data: unknown }) => void): void;
};

export function electronParentPort(): Port | null {
  const pp = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (!pp) return null;
  return { post: (m) => pp.postMessage(m), onMessage: (cb) => pp.on('message', (e) => cb(e.data)) };
}

export function nodeChildPort(): Port | null {
  if (!process.send) return null;
  return {
    post: (m) => void process.send?.(m),
    onMessage: (cb) => process.on('message', cb),
  };
}

/** Serves an EngineService on `port`; messages that arrive during start-up wait for it. */
export function serve(port: Port, opts: Omit<ServiceOptions, 'emit'>): Promise<EngineService> {
  const service = EngineService.create({
    ...opts,
    emit: (event) => port.post({ type: 'event', event }),
  });
  port.onMessage((msg) => {
    void service.then(async (s) => port.post(await dispatch(s, msg)));
  });
  return service.then((s) => {
    port.post({ type: 'ready', pid: process.pid } satisfies ReadyMessage);
    return s;
  });
}

/** Worker options from argv (`--settings-dir=…`, `--resources-dir=…`, `--temp-dir=…`) and env. */
export function workerOptions(argv: string[], env: NodeJS.ProcessEnv): Omit<ServiceOptions, 'emit'> {
  const arg = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const delay = Number(env.FSAM3D_DEBUG_DELAY_MS ?? 0);
  return {
    settingsDir: arg('settings-dir') ?? null,
    resourcesDir: arg('resources-dir'),
    tempDir: arg('temp-dir'),
    debugDelayMs: Number.isFinite(delay) ? delay : 0,
  };
}
