import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NodeIO } from '@gltf-transform/core';
import { validateBytes } from 'gltf-validator';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hello, RunResult } from '../../renderer/src/client/api.ts';
import { autoProviders } from '../pack/sessions.ts';
import { dispatch } from './dispatch.ts';
import type { EngineEvent } from './protocol.ts';
import { EngineService } from './service.ts';

let service: EngineService;
let settingsDir: string;
const events: EngineEvent[] = [];
let onEvent: ((e: EngineEvent) => void) | undefined;
let hello: Hello;
let sample: Awaited<ReturnType<EngineService['openSample']>>;
let full: RunResult;
let fast: RunResult;

const knobsOf = (name: string) =>
  Object.fromEntries(hello.strategies.find((s) => s.name === name)!.knobs.map((k) => [k.name, k.value]));

async function validGlb(bytes: Uint8Array) {
  const report = await validateBytes(bytes);
  expect(report.issues.numErrors, JSON.stringify(report.issues.messages.slice(0, 3))).toBe(0);
  return new NodeIO().readBinary(bytes);
}

beforeAll(async () => {
  settingsDir = mkdtempSync(path.join(os.tmpdir(), 'fsam3d-settings-'));
  service = await EngineService.create({
    emit: (e) => {
      events.push(e);
      onEvent?.(e);
    },
    settingsDir,
  });
  hello = await service.hello();
  // The shipped nano pack is the default; these tests run on the tiny test pack to stay fast.
  await service.updateSettings({ activePack: 'test-tiny' });
  sample = await service.openSample('test');
  full = await service.runJob({
    imageId: sample.imageId,
    mask: sample.mask!,
    strategy: 'full',
    knobs: {},
    seed: 0,
  });
  fast = await service.runJob({
    imageId: sample.imageId,
    mask: sample.mask!,
    strategy: 'fast-sam3d',
    knobs: knobsOf('fast-sam3d'),
    seed: 0,
    runId: 'fast-1',
  });
});

afterAll(async () => {
  await service?.dispose();
  rmSync(settingsDir, { recursive: true, force: true });
});

describe('EngineService on the bundled test pack', () => {
  it('says hello with packs, samples, strategies and providers', () => {
    expect(hello.packs).toContainEqual(expect.objectContaining({ id: 'test-tiny', builtIn: true }));
    expect(hello.packs[0]).toMatchObject({ id: 'nano', builtIn: true }); // resources/models first
    expect(hello.samples).toContainEqual({ name: 'test', width: 96, height: 72 });
    expect(hello.strategies.map((s) => s.name)).toEqual(
      expect.arrayContaining(['full', 'fast-sam3d', 'taylorseer']),
    );
    const stride = hello.strategies
      .find((s) => s.name === 'fast-sam3d')!
      .knobs.find((k) => k.name === 'ss_cache_stride')!;
    expect(stride).toMatchObject({ value: 3, min: 1, step: 1 });
    expect(stride.help.length).toBeGreaterThan(10);
    expect(hello.providers).toContain('cpu');
    expect(hello.settings.activePack).toBe('nano');
  });

  it("runs on provider 'auto' by default and reports what each stage used; a CPU fallback is info", () => {
    expect(hello.providers).toEqual(expect.arrayContaining(['cpu', 'auto']));
    expect(hello.settings.provider).toBe('auto');
    const provider = full.report.provider as { requested: string; used: Record<string, string> };
    expect(provider.requested).toBe('auto');
    const used = Object.values(provider.used);
    expect(used.length).toBeGreaterThan(3);
    for (const p of used) expect(['cpu', ...autoProviders()]).toContain(p);
    expect(events.some((e) => e.type === 'warning' && /execution provider/.test(e.message))).toBe(false);
    if (used.includes('cpu') && autoProviders().length)
      expect(events).toContainEqual({
        type: 'info',
        message: expect.stringMatching(/^execution provider "auto": .*running on CPU$/),
      });
  });

  it('opens the sample with its mask', () => {
    expect(sample).toMatchObject({ width: 96, height: 72, name: 'photo.png' });
    expect(sample.mask!.length).toBe(96 * 72);
    expect(sample.mask!.some((v) => v === 1)).toBe(true);
  });

  it('runs full and fast-sam3d with progress and occupancy previews', () => {
    expect(fast.runId).toBe('fast-1');
    for (const r of [full, fast]) {
      expect(r.mesh.vertices.length).toBeGreaterThan(0);
      expect(r.mesh.faces.length % 3).toBe(0);
      expect(r.pose.rotation).toHaveLength(9);
      expect(r.report.totalMs).toBeGreaterThan(0);
      expect(r.silhouetteIoU).toBeGreaterThanOrEqual(0);
      expect(r.silhouetteIoU).toBeLessThanOrEqual(1);
    }
    expect(fast.report.preset).toBe('fast-sam3d');
    expect((fast.report.evaluations as { stage1: number }).stage1).toBeLessThan(
      (full.report.evaluations as { stage1: number }).stage1,
    );
    const progress = events.flatMap((e) =>
      e.type === 'progress' && e.progress.runId === full.runId ? [e.progress] : [],
    );
    expect(progress.map((p) => p.stage)).toEqual(
      expect.arrayContaining(['preprocess', 'stage1', 'stage2', 'decode']),
    );
    for (let i = 1; i < progress.length; i++)
      expect(progress[i].elapsedMs).toBeGreaterThanOrEqual(progress[i - 1].elapsedMs);
    const previews = events.flatMap((e) =>
      e.type === 'preview' && e.preview.runId === full.runId ? [e.preview] : [],
    );
    expect(previews.length).toBeGreaterThanOrEqual(2); // some mid-run, and the final one
    const last = previews.at(-1)!;
    expect(last.step).toBe(25);
    expect(last.coords.length % 3).toBe(0);
    expect(last.coords.length).toBeGreaterThan(0);
    expect(Math.max(...last.coords)).toBeLessThan(last.res);
  });

  it("keeps an upload's EXIF focal length for the run's camera (the PNG it hands the pipeline has none)", async () => {
    const photo = path.resolve('resources/samples/test/photo.png');
    const jpeg = await sharp(photo)
      .jpeg()
      .withExif({ IFD2: { FocalLengthIn35mmFilm: '26' } })
      .toBuffer();
    const ref = await service.openImage('phone.jpg', new Uint8Array(jpeg));
    const r = await service.runJob({
      imageId: ref.imageId,
      mask: sample.mask!,
      strategy: 'full',
      knobs: {},
      seed: 0,
    });
    const sil = r.report.silhouette as { fovDeg: number; fovSource: string };
    expect(sil.fovSource).toBe('exif');
    expect(sil.fovDeg).toBeCloseTo(
      2 * Math.atan((21.633 * 96) / Math.hypot(96, 72) / 26) * (180 / Math.PI),
      1,
    );
  });

  it("passes the mask-guide switch to the pipeline (the run's report says whether it ran)", async () => {
    const r = await service.runJob({
      imageId: sample.imageId,
      mask: sample.mask!,
      strategy: 'full',
      knobs: {},
      seed: 0,
      maskGuide: false,
    });
    expect((r.report.voxels as { maskGuide: unknown }).maskGuide).toBeNull();
    expect((full.report.voxels as { maskGuide: unknown }).maskGuide).not.toBeNull();
  });

  it('compares two runs with per-vertex distances', () => {
    const m = service.metrics(fast.runId, full.runId);
    expect(m.distances).toBeInstanceOf(Float32Array);
    expect(m.distances.length).toBe(fast.mesh.vertices.length / 3);
    expect(m.distances.every((d) => Number.isFinite(d) && d >= 0)).toBe(true);
    expect(m.f1).toBeGreaterThan(0);
    expect(m.boxIoU).toBeGreaterThan(0);
    const self = service.metrics(full.runId, full.runId);
    expect(self.cdL1).toBe(0);
    expect(self.f1).toBe(100);
    expect(Math.max(...self.distances)).toBeLessThan(1e-9);
  });

  it('exports one canonical GLB, a two-object scene, and PLY', async () => {
    const one = await service.export({ runIds: [full.runId], format: 'glb', scene: false });
    expect(one.suggestedName).toBe('photo-full.glb');
    await validGlb(one.bytes);

    const scene = await service.export({
      runIds: [full.runId, fast.runId],
      format: 'glb',
      scene: true,
      targetFaces: 500,
    });
    const doc = await validGlb(scene.bytes);
    const nodes = doc.getRoot().listScenes()[0].listChildren();
    expect(nodes.map((n) => n.getName())).toEqual(['photo-full', 'photo-fast-sam3d']);
    expect(nodes[0].getMatrix()).not.toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(doc.getRoot().listBuffers()).toHaveLength(1);

    const side = await validGlb(
      (await service.export({ runIds: [full.runId, fast.runId], format: 'glb', scene: false })).bytes,
    );
    const [a, b] = side.getRoot().listScenes()[0].listChildren();
    expect(b.getTranslation()[0] - a.getTranslation()[0]).toBeCloseTo(1.2);

    const ply = await service.export({ runIds: [full.runId, fast.runId], format: 'ply', scene: true });
    const header = new TextDecoder().decode(ply.bytes.subarray(0, 200));
    const nv = (full.mesh.vertices.length + fast.mesh.vertices.length) / 3;
    expect(header).toContain(`element vertex ${nv}`);
  });

  it('imports a mask file and segments by clicks', async () => {
    const png = new Uint8Array(readFileSync(path.resolve('resources/samples/test/mask.png')));
    const imported = await service.importMask(sample.imageId, png);
    expect(imported).toMatchObject({ width: 96, height: 72 });
    expect(Array.from(imported.mask)).toEqual(Array.from(sample.mask!));
    // Click the centre of the sample mask's object.
    let sx = 0,
      sy = 0,
      n = 0;
    sample.mask!.forEach((v, i) => v && ((sx += i % 96), (sy += Math.floor(i / 96)), n++));
    const seg = await service.segment(sample.imageId, [
      { x: Math.round(sx / n), y: Math.round(sy / n), positive: true },
    ]);
    expect(seg).toMatchObject({ width: 96, height: 72 });
    expect(seg.mask.length).toBe(96 * 72);
    expect(seg.method).toMatch(/grabcut|sam/);
    expect(seg.mask.some((v) => v === 1)).toBe(true);
  });

  it('answers bad requests with clear error codes', async () => {
    const call = (method: string, params: unknown) =>
      dispatch(service, { type: 'request', id: 1, method, params });
    const wrongMask = await call('run', {
      imageId: sample.imageId,
      mask: new Uint8Array(5),
      strategy: 'full',
      knobs: {},
      seed: 0,
    });
    expect(wrongMask).toMatchObject({
      ok: false,
      error: { code: 'user', message: expect.stringMatching(/96x72/) },
    });
    const unknown = await call('metrics', { runA: 'nope', runB: full.runId });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const strategy = await call('run', {
      imageId: sample.imageId,
      mask: sample.mask,
      strategy: 'magic',
      knobs: {},
      seed: 0,
    });
    expect(strategy).toMatchObject({
      ok: false,
      error: { code: 'user', message: expect.stringMatching(/unknown strategy/) },
    });
    const knob = await call('run', {
      imageId: sample.imageId,
      mask: sample.mask,
      strategy: 'taylorseer',
      knobs: { interval: 0 },
      seed: 0,
    });
    expect(knob).toMatchObject({
      ok: false,
      error: { code: 'user', message: expect.stringMatching(/interval/) },
    });
    const notImage = await call('openImage', {
      name: 'x.png',
      bytes: new TextEncoder().encode('not an image'),
    });
    expect(notImage).toMatchObject({
      ok: false,
      error: { code: 'user', message: expect.stringContaining('"x.png"') },
    });
    expect(JSON.stringify(notImage)).not.toContain(os.tmpdir());
    const big = await call('importMask', {
      imageId: sample.imageId,
      png: readFileSync(path.resolve('resources/samples/test/photo.png')).subarray(0, 10),
    });
    expect(big).toMatchObject({ ok: false, error: { code: 'user' } });
  });

  it('cancels a queued run before it starts', async () => {
    const a = service.runJob({
      imageId: sample.imageId,
      mask: sample.mask!,
      strategy: 'full',
      knobs: {},
      seed: 1,
      runId: 'q-a',
    });
    const b = service.runJob({
      imageId: sample.imageId,
      mask: sample.mask!,
      strategy: 'full',
      knobs: {},
      seed: 2,
      runId: 'q-b',
    });
    service.cancel('q-b');
    await expect(b).rejects.toThrow(/cancel/);
    await expect(a).resolves.toMatchObject({ runId: 'q-a' });
    const c = service.runJob({
      imageId: sample.imageId,
      mask: sample.mask!,
      strategy: 'full',
      knobs: {},
      seed: 3,
      runId: 'q-c',
    });
    // Cancel once stage 1 is under way (a timer would race a fast machine).
    onEvent = (e) => {
      if (e.type === 'progress' && e.progress.runId === 'q-c' && e.progress.stage === 'stage1')
        service.cancel();
    };
    await expect(c).rejects.toThrow(/cancel/);
    onEvent = undefined;
  });

  it('persists settings atomically and rejects bad ones', async () => {
    const s = await service.updateSettings({ threads: 2 });
    expect(s.threads).toBe(2);
    expect((await service.updateSettings({ provider: 'cpu' })).provider).toBe('cpu');
    expect((await service.updateSettings({ provider: 'auto' })).provider).toBe('auto');
    const file = JSON.parse(readFileSync(path.join(settingsDir, 'settings.json'), 'utf8'));
    expect(file.threads).toBe(2);
    const bad = await dispatch(service, {
      type: 'request',
      id: 2,
      method: 'updateSettings',
      params: { provider: 'tpu' },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const again = await EngineService.create({ emit: () => {}, settingsDir });
    expect(again.settings.value.threads).toBe(2);
    await again.dispose();
    await service.updateSettings({ threads: 0 });
  });
});
