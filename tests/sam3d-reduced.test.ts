// The reduced SAM 3D Objects pack (modeling/sam3d_export: the real-checkpoint module code at small
// width and depth, random weights, exported through the real exporter path with fp16 weights and
// com.microsoft.MultiHeadAttention): every stage against PyTorch, and one end-to-end engine run.
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPack } from '../engine/pack/load.ts';
import type { StageName } from '../engine/pack/manifest.ts';
import { SessionCache } from '../engine/pack/sessions.ts';
import { runPipeline } from '../engine/pipeline.ts';
import { maxAbsDiff, readSafetensors, type FixtureTensor } from './support/safetensors.ts';
import { SAMPLE_MASK, SAMPLE_PHOTO } from './support/paths.ts';

const PACK = fileURLToPath(new URL('../resources/fixtures/sam3d-reduced/pack', import.meta.url));
const FIXTURE = fileURLToPath(
  new URL('../resources/fixtures/sam3d-reduced/stages.safetensors', import.meta.url),
);

const fixtures = readSafetensors(FIXTURE);
const pack = loadPack(PACK, { verifyHashes: true });
const sessions = new SessionCache(pack, { threads: 1 });
afterAll(() => sessions.dispose());

const cases = new Map<
  string,
  { inputs: Record<string, FixtureTensor>; outputs: Record<string, FixtureTensor> }
>();
for (const [key, t] of Object.entries(fixtures)) {
  const [name, dir, ...rest] = key.split('.');
  if (dir !== 'in' && dir !== 'out') continue;
  const entry = cases.get(name) ?? { inputs: {}, outputs: {} };
  (dir === 'in' ? entry.inputs : entry.outputs)[rest.join('.')] = t;
  cases.set(name, entry);
}

function toTensor(t: FixtureTensor, dtype: string): ort.Tensor {
  if (dtype === 'bool') return new ort.Tensor('bool', Uint8Array.from(t.data), t.shape);
  if (dtype === 'int32') return new ort.Tensor('int32', Int32Array.from(t.data), t.shape);
  return new ort.Tensor('float32', Float32Array.from(t.data), t.shape);
}

describe('sam3d-reduced pack stages vs PyTorch', () => {
  it('declares fp16 weights and covers every stage', () => {
    const stages = new Set([...cases.keys()].map((c) => c.replace(/_uncond$/, '')));
    for (const [s, spec] of Object.entries(pack.manifest.stages)) {
      expect(stages).toContain(s);
      expect(spec.precision).toBe('fp16-weights');
    }
    expect(pack.manifest.ss.layout.map((l) => l.name)).toEqual([
      'rot6d',
      'translation',
      'scale',
      'translation_scale',
    ]);
  });

  for (const [name, c] of cases) {
    it(`${name}: max abs error ≤ 1e-3`, async () => {
      const stage = name.replace(/_uncond$/, '') as StageName;
      const spec = pack.manifest.stages[stage]!;
      const feeds: Record<string, ort.Tensor> = {};
      for (const input of spec.inputs) {
        const t = c.inputs[input.name];
        expect(t, `fixture input ${input.name}`).toBeDefined();
        feeds[input.name] = toTensor(t, input.dtype);
      }
      const out = await sessions.run(stage, feeds);
      for (const [oname, want] of Object.entries(c.outputs)) {
        expect(out[oname].dims).toEqual(want.shape);
        expect(maxAbsDiff(out[oname].data as Float32Array, want.data)).toBeLessThanOrEqual(1e-3);
      }
    });
  }
});

describe('sam3d-reduced pack end to end', () => {
  it('runs the whole pipeline on the sample and yields a mesh', async () => {
    const r = await runPipeline({ image: SAMPLE_PHOTO, mask: SAMPLE_MASK, pack, sessions, seed: 1 });
    expect(r.report.evaluations).toEqual({ stage1: 44, stage2: 38 });
    expect(r.coords.length / 3).toBeGreaterThan(0);
    expect(r.mesh.faces.length).toBeGreaterThan(0);
    expect(r.mesh.vertices.every((v) => Number.isFinite(v))).toBe(true);
  }, 300_000);
});
