// Runs the engine worker in its own process and survives its crashes (onnxruntime can abort the process
// on a bad allocation). Requests are validated here, forwarded, and answered; when the worker dies every
// in-flight request fails with code 'engine-crashed', a new worker starts, and it is refilled with the
// photos and finished runs this side kept, under the same ids, so the client's image and run ids stay
// valid. Then 'engine-restarted' is broadcast. Transport-neutral: the worker comes from `spawn`, which is
// a Node fork here and an Electron utilityProcess in the desktop shell.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Api from '../../renderer/src/client/api.ts';
import {
  errorResponse,
  EventMessageSchema,
  parseRequest,
  ResponseSchema,
  type EngineEvent,
  type EventMessage,
  type Params,
  type ResponseMessage,
  type WireError,
} from './protocol.ts';

export type WorkerExit = { code: number | null; signal: string | null };
export type WorkerHandle = {
  post(msg: unknown): void;
  onMessage(cb: (msg: unknown) => void): void;
  onExit(cb: (info: WorkerExit) => void): void;
  kill(): void;
  readonly pid?: number;
};

export type SupervisorOptions = {
  spawn: () => WorkerHandle;
  /** Kept for refills; match the worker's own limits. */
  maxImages?: number;
  maxRuns?: number;
  /** Give up after this many crashes within `crashWindowMs` (until the window passes). */
  maxCrashes?: number;
  crashWindowMs?: number;
  readyTimeoutMs?: number;
};

type Pending = { method: string; resolve: (r: ResponseMessage) => void };

export class Supervisor {
  private worker: WorkerHandle | null = null;
  private ready: Promise<void> | null = null;
  /** Keyed by the id sent to the worker (the client's own id is restored in request()). */
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: EventMessage) => void>();
  private readonly images = new Map<string, { name: string; bytes: Uint8Array }>();
  private readonly runs = new Map<string, Api.RunResult>();
  private crashes: number[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly opts: SupervisorOptions) {}

  get pid(): number | undefined {
    return this.worker?.pid;
  }

  /** Starts the worker now (otherwise the first request does). */
  start(): Promise<void> {
    return this.ensure();
  }

  on(listener: (e: EventMessage) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Answers one client request (public methods only); never rejects. */
  async request(raw: unknown): Promise<ResponseMessage> {
    const req = parseRequest(raw);
    if (!req.ok) return errorResponse(req.id, req.error);
    try {
      await this.ensure();
    } catch (e) {
      return errorResponse(req.id, { code: 'engine-crashed', message: (e as Error).message });
    }
    const res = await this.forward(req.method, req.params);
    return { ...res, id: req.id };
  }

  /** Stops the worker and waits (up to `timeoutMs`) for it to exit and clean up. */
  async close(timeoutMs = 5000): Promise<void> {
    this.closed = true;
    this.failPending({ code: 'engine-crashed', message: 'the engine is shutting down' });
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => {
      worker.onExit(() => resolve());
      setTimeout(resolve, timeoutMs).unref?.();
    });
    worker.kill();
    await exited;
  }

  private forward(method: string, params: unknown): Promise<ResponseMessage> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      if (!this.worker)
        return resolve(
          errorResponse(id, { code: 'engine-crashed', message: 'the engine is restarting; try again' }),
        );
      this.pending.set(id, {
        method,
        resolve: (r) => {
          if (r.ok) this.remember(method, params, r.result);
          resolve(r);
        },
      });
      this.worker.post({ type: 'request', id, method, params });
    });
  }

  /** Keeps what a restarted worker needs: opened photos and finished runs. */
  private remember(method: string, params: unknown, result: unknown): void {
    const cap = <V>(m: Map<string, V>, n: number) => {
      while (m.size > n) m.delete(m.keys().next().value!);
    };
    if (method === 'openImage') {
      const p = params as Params<'openImage'>;
      this.images.set((result as Api.ImageRef).imageId, { name: p.name, bytes: p.bytes });
    } else if (method === 'openSample') {
      const r = result as Api.ImageRef & { bytes: Uint8Array };
      this.images.set(r.imageId, { name: r.name, bytes: r.bytes });
    } else if (method === 'run') {
      const r = result as Api.RunResult;
      this.runs.set(r.runId, r);
    }
    cap(this.images, this.opts.maxImages ?? 32);
    cap(this.runs, this.opts.maxRuns ?? 64);
  }

  private ensure(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the engine has been shut down'));
    return this.ready ?? this.startBoot();
  }

  private startBoot(restartReason?: string): Promise<void> {
    const p = this.boot(restartReason);
    this.ready = p;
    p.catch((e) => {
      if (this.ready === p) this.ready = null; // the next request tries again
      if (restartReason !== undefined) this.broadcast({ type: 'warning', message: (e as Error).message });
    });
    return p;
  }

  private async boot(restartReason?: string): Promise<void> {
    const window = this.opts.crashWindowMs ?? 60_000;
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < window);
    if (this.crashes.length >= (this.opts.maxCrashes ?? 5))
      throw new Error(
        `the engine crashed ${this.crashes.length} times in ${Math.round(window / 1000)} s; not restarting it yet (check the log, then try again in a minute)`,
      );
    const worker = this.opts.spawn();
    this.worker = worker;
    let readyResolve!: () => void;
    let readyReject!: (e: Error) => void;
    const up = new Promise<void>((res, rej) => ((readyResolve = res), (readyReject = rej)));
    const timer = setTimeout(
      () => readyReject(new Error('the engine did not start within the time limit')),
      this.opts.readyTimeoutMs ?? 60_000,
    );
    let isUp = false;
    worker.onMessage((msg) => {
      if (worker !== this.worker) return;
      if ((msg as { type?: unknown })?.type === 'ready') {
        isUp = true;
        return readyResolve();
      }
      this.onWorkerMessage(msg);
    });
    worker.onExit((info) => {
      if (worker !== this.worker) return;
      if (isUp) return this.onWorkerExit(info);
      // Died before it was up: fail this start only; the next request tries again (no restart loop).
      this.worker = null;
      this.crashes.push(Date.now());
      readyReject(new Error(`the engine process exited while starting (${describeExit(info)})`));
    });
    try {
      await up;
    } catch (e) {
      if (this.worker === worker) {
        this.worker = null; // detach first, so its exit is not taken for a crash
        worker.kill();
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
    if (restartReason !== undefined) {
      await this.refill();
      this.broadcast({ type: 'engine-restarted', reason: restartReason });
    }
  }

  private async refill(): Promise<void> {
    const failures: string[] = [];
    const send = async (method: string, params: unknown, what: string) => {
      const r = await this.forward(method, params);
      if (!r.ok) failures.push(`${what}: ${r.error.message}`);
    };
    for (const [imageId, img] of this.images)
      await send('restoreImage', { imageId, ...img }, `photo ${img.name}`);
    for (const run of this.runs.values()) await send('restoreRun', run, `run ${run.runId}`);
    if (failures.length)
      this.broadcast({
        type: 'warning',
        message: `after the restart, could not restore ${failures.join('; ')}`,
      });
  }

  private onWorkerMessage(msg: unknown): void {
    const ev = EventMessageSchema.safeParse(msg);
    if (ev.success) return this.broadcast(ev.data.event);
    const res = ResponseSchema.safeParse(msg);
    const id = (msg as { id?: unknown })?.id;
    const p = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!p) return; // a late answer for a request already failed by a crash
    this.pending.delete(id as number);
    p.resolve(
      res.success
        ? res.data
        : errorResponse(id as number, {
            code: 'internal',
            message: `engine sent a malformed reply to ${p.method}`,
          }),
    );
  }

  private onWorkerExit(info: WorkerExit): void {
    this.worker = null;
    if (this.closed) return;
    this.crashes.push(Date.now());
    const why = describeExit(info);
    const inFlight = [...new Set([...this.pending.values()].map((p) => p.method))].filter(
      (m) => m !== 'restoreImage' && m !== 'restoreRun',
    );
    this.failPending({
      code: 'engine-crashed',
      message: `the engine process stopped unexpectedly (${why})${inFlight.length ? ` during ${inFlight.join(', ')}` : ''}; it is restarting, your photos and finished results are kept: try again`,
    });
    void this.startBoot(`the engine process stopped (${why}) and was restarted`);
  }

  private failPending(error: WireError): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.resolve(errorResponse(-1, error));
  }

  private broadcast(event: EngineEvent): void {
    for (const l of this.listeners) {
      try {
        l({ type: 'event', event });
      } catch {
        // A listener's bug must not stop the others.
      }
    }
  }
}

function describeExit(info: WorkerExit): string {
  return info.signal ? `signal ${info.signal}` : `exit code ${info.code}`;
}

export type NodeSpawnOptions = {
  /** Worker arguments, e.g. ['--settings-dir=/path']. */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Entry file; default worker-entry.mjs (tsx) from the sources, or worker.js beside a compiled build. */
  entry?: string;
};

/** Forks the worker as a Node child process with structured-clone IPC. Each worker gets its own scratch
 *  folder, removed when it exits however it died. */
export function nodeSpawner(opts: NodeSpawnOptions = {}): () => WorkerHandle {
  const entry = opts.entry ?? defaultEntry();
  return () => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'fsam3d-worker-'));
    const child = fork(entry, [...(opts.args ?? []), `--temp-dir=${scratch}`], {
      serialization: 'advanced',
      env: opts.env ?? process.env,
      execArgv: [], // the entry loads tsx itself; the parent's flags (--inspect, loaders) are not for it
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
    return {
      pid: child.pid,
      post: (m) => {
        if (child.connected) child.send(m as never);
      },
      onMessage: (cb) => child.on('message', cb),
      onExit: (cb) => {
        if (child.exitCode !== null || child.signalCode !== null)
          queueMicrotask(() => cb({ code: child.exitCode, signal: child.signalCode }));
        else child.once('exit', (code, signal) => cb({ code, signal }));
      },
      kill: () => child.kill(),
    };
  };
}

function defaultEntry(): string {
  const compiled = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (!import.meta.url.endsWith('.ts') && existsSync(compiled)) return compiled;
  return fileURLToPath(new URL('./worker-entry.mjs', import.meta.url));
}
