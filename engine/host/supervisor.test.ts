import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageRef, RunResult } from '../../renderer/src/client/api.ts';
import type { EngineEvent, ResponseMessage } from './protocol.ts';
import { nodeSpawner, Supervisor } from './supervisor.ts';

let sup: Supervisor;
let settingsDir: string;
const events: EngineEvent[] = [];
let nextId = 1;

async function call<T = unknown>(method: string, params: unknown): Promise<ResponseMessage & { result?: T }> {
  return (await sup.request({ type: 'request', id: nextId++, method, params })) as ResponseMessage & {
    result?: T;
  };
}
function ok<T>(r: ResponseMessage & { result?: T }): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.result as T;
}
function waitFor(pred: (e: EngineEvent) => boolean, ms = 30_000): Promise<EngineEvent> {
  return new Promise((resolve, reject) => {
    const hit = events.find(pred);
    if (hit) return resolve(hit);
    const timer = setTimeout(() => reject(new Error('event never came')), ms);
    const off = sup.on(({ event }) => {
      if (pred(event)) {
        clearTimeout(timer);
        off();
        resolve(event);
      }
    });
  });
}

beforeAll(async () => {
  settingsDir = mkdtempSync(path.join(os.tmpdir(), 'fsam3d-sup-'));
  sup = new Supervisor({
    // The delay makes each network call slow enough that the kill lands mid-run.
    spawn: nodeSpawner({
      args: [`--settings-dir=${settingsDir}`],
      env: { ...process.env, FSAM3D_DEBUG_DELAY_MS: '5' },
    }),
  });
  sup.on(({ event }) => events.push(event));
  await sup.start();
});

afterAll(async () => {
  await sup?.close();
  rmSync(settingsDir, { recursive: true, force: true });
});

describe('worker', () => {
  it('answers malformed messages with errors and keeps running', async () => {
    const worker = nodeSpawner({ args: [`--settings-dir=${settingsDir}`] })();
    const inbox: unknown[] = [];
    const next = () =>
      new Promise<unknown>((resolve) => {
        const poll = () => (inbox.length ? resolve(inbox.shift()) : setTimeout(poll, 10));
        poll();
      });
    worker.onMessage((m) => inbox.push(m));
    expect(await next()).toMatchObject({ type: 'ready' });
    worker.post('garbage');
    expect(await next()).toMatchObject({ id: -1, ok: false, error: { code: 'bad-request' } });
    worker.post({ type: 'request', id: 2, method: 'nope', params: {} });
    expect(await next()).toMatchObject({
      id: 2,
      ok: false,
      error: { message: expect.stringContaining('unknown method') },
    });
    worker.post({ type: 'request', id: 3, method: 'openImage', params: { name: 'x', bytes: 'not bytes' } });
    expect(await next()).toMatchObject({ id: 3, ok: false, error: { code: 'bad-request' } });
    worker.post({ type: 'request', id: 4, method: 'hello', params: {} });
    expect(await next()).toMatchObject({ id: 4, ok: true });
    worker.kill();
  });
});

describe('Supervisor', () => {
  it('validates requests before forwarding them', async () => {
    expect(await sup.request({ type: 'request', id: 5, method: 'restoreRun', params: {} })).toMatchObject({
      id: 5,
      ok: false,
      error: { code: 'bad-request', message: expect.stringContaining('unknown method') },
    });
    expect(await sup.request('garbage')).toMatchObject({ id: -1, ok: false, error: { code: 'bad-request' } });
    expect(await sup.request({ type: 'request', id: 6, method: 'hello', params: {} })).toMatchObject({
      id: 6,
      ok: true,
    });
  });

  it('restarts a killed worker; the in-flight run fails clearly, photos and results survive', async () => {
    const sample = ok(await call<ImageRef & { mask: Uint8Array }>('openSample', { name: 'test' }));
    const run = (runId: string) =>
      call<RunResult>('run', {
        imageId: sample.imageId,
        mask: sample.mask,
        strategy: 'full',
        knobs: {},
        seed: 0,
        runId,
      });
    const first = ok(await run('before'));
    const firstPid = sup.pid!;

    const inFlight = run('doomed');
    await waitFor(
      (e) => e.type === 'progress' && e.progress.runId === 'doomed' && e.progress.stage === 'stage1',
    );
    process.kill(firstPid, 'SIGKILL');
    const failed = await inFlight;
    expect(failed).toMatchObject({ ok: false, error: { code: 'engine-crashed' } });
    expect(!failed.ok && failed.error.message).toMatch(/stopped unexpectedly \(signal SIGKILL\) during run/);

    const restarted = await waitFor((e) => e.type === 'engine-restarted');
    expect(restarted).toMatchObject({ reason: expect.stringContaining('SIGKILL') });
    expect(sup.pid).not.toBe(firstPid);

    // The finished run and the opened photo are back under the same ids.
    const m = ok(await call<{ distances: Float32Array }>('metrics', { runA: 'before', runB: 'before' }));
    expect(m.distances.length).toBe(first.mesh.vertices.length / 3);
    const glb = ok(
      await call<{ bytes: Uint8Array }>('export', { runIds: ['before'], format: 'glb', scene: false }),
    );
    expect(glb.bytes.length).toBeGreaterThan(1000);
    const again = ok(await run('after'));
    expect(Array.from(again.mesh.vertices.subarray(0, 30))).toEqual(
      Array.from(first.mesh.vertices.subarray(0, 30)),
    );
  });
});
