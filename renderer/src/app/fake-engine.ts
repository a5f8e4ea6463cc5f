// Test doubles for the studio's component tests: a scripted EngineClient and a fixed environment.
import type { EngineClient, EngineEvent, Hello, Point, RunRequest, RunResult } from '../client/api';
import type { StudioEnv } from '../lib/env';

export const HELLO: Hello = {
  version: 'test',
  packs: [{ id: 'test', name: 'Test pack', dir: '/p', builtIn: true, description: '' }],
  samples: [{ name: 'ball', width: 4, height: 3 }],
  providers: ['cpu'],
  settings: { packDirs: [], activePack: 'test', provider: 'cpu', threads: 0 },
  strategies: [
    { name: 'full', description: 'no acceleration', knobs: [] },
    {
      name: 'fast-sam3d',
      description: 'all three mechanisms',
      knobs: [
        { name: 'ss_cache_stride', value: 3, min: 1, max: 6, step: 1, help: 'engine help' },
        { name: 'ss_cache', value: true, help: '' },
        { name: 'slat_carving_ratio', value: 0.1, min: 0, max: 0.9, help: '' },
      ],
    },
  ],
};

export function fakeResult(runId: string, totalMs: number): RunResult {
  return {
    runId,
    mesh: {
      vertices: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]),
      faces: new Uint32Array([0, 1, 2]),
      colors: new Float32Array(9).fill(0.5),
    },
    pose: {
      rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      quaternion: [1, 0, 0, 0],
      translation: [0, 0, 2],
      scale: 1,
    },
    report: { totalMs, timings: [{ name: 'stage1', ms: totalMs / 2 }] },
    silhouetteIoU: 0.9,
  };
}

export type Deferred<T> = { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void };
export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Scripted engine: records calls, runs resolve when the test says so. */
export class FakeClient implements EngineClient {
  listeners = new Set<(e: EngineEvent) => void>();
  segmentCalls: Point[][] = [];
  runRequests: RunRequest[] = [];
  pendingRuns: Deferred<RunResult>[] = [];
  openImageCalls = 0;
  cancelled: (string | undefined)[] = [];

  helloValue: Hello = HELLO;
  async hello() {
    return this.helloValue;
  }
  async openSample(name: string) {
    return {
      imageId: `img-${name}`,
      width: 4,
      height: 3,
      name,
      bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
    };
  }
  async openImage(name: string) {
    this.openImageCalls++;
    return { imageId: `img-${name}-${this.openImageCalls}`, width: 4, height: 3, name };
  }
  async segment(_imageId: string, points: Point[]) {
    this.segmentCalls.push(points);
    return { mask: new Uint8Array(12).fill(1), width: 4, height: 3, method: 'fake' };
  }
  async importMask() {
    return { mask: new Uint8Array(12).fill(1), width: 4, height: 3 };
  }
  run(request: RunRequest) {
    this.runRequests.push(request);
    const d = deferred<RunResult>();
    this.pendingRuns.push(d);
    return d.promise;
  }
  async cancel(runId?: string) {
    this.cancelled.push(runId);
    this.pendingRuns.shift()?.reject(new Error('run cancelled'));
  }
  async metrics() {
    return { cdL1: 0.01, cdL2: 0.001, f1: 98.5, vIoU: 0.9, boxIoU: 0.95, distances: new Float32Array(3) };
  }
  async export() {
    return { bytes: new Uint8Array([1, 2, 3]), suggestedName: 'object.glb' };
  }
  async updateSettings(s: Partial<Hello['settings']>) {
    return { ...HELLO.settings, ...s };
  }
  on(listener: (e: EngineEvent) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(e: EngineEvent) {
    for (const l of this.listeners) l(e);
  }
}

export const env = (downloads: string[] = []): StudioEnv => ({
  now: () => Date.now(),
  random: () => 0.5,
  download: (_b, name) => void downloads.push(name),
  objectUrl: () => 'blob:test',
  revokeUrl: () => {},
});

type ShellReply = (params: Record<string, unknown>) => unknown;

/** The preload bridge (window.fsam3d) with scripted shell.* answers; engine requests are not used. */
export class FakeBridge {
  calls: { method: string; params: Record<string, unknown> }[] = [];
  replies: Record<string, ShellReply> = {};
  private listeners = new Set<(e: unknown) => void>();

  invoke = async (request: unknown) => {
    const { id, method, params } = request as { id: number; method: string; params: Record<string, unknown> };
    this.calls.push({ method, params });
    const reply = this.replies[method];
    if (!reply) return { type: 'response', id, ok: false, error: { code: 'user', message: `no ${method}` } };
    return { type: 'response', id, ok: true, result: reply(params) };
  };
  onEvent = (cb: (e: unknown) => void) => {
    this.listeners.add(cb);
    return () => void this.listeners.delete(cb);
  };
  /** Pushes a raw message, as main's webContents.send would. */
  push(message: unknown) {
    for (const l of this.listeners) l(message);
  }
  get listenerCount() {
    return this.listeners.size;
  }
}
