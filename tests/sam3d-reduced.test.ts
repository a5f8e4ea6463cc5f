// The reduced SAM 3D Objects pack (modeling/sam3d_export: the real-checkpoint module code at small
// width and depth, random weights, exported through the real exporter path with fp16 weights and
// com.microsoft.MultiHeadAttention): every stage against PyTorch, and one end-to-end engine run.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPack } from '../engine/pack/load.ts';
import { SessionCache } from '../engine/pack/sessions.ts';
import { runPipeline } from '../engine/pipeline.ts';
import { readSafetensors } from './support/safetensors.ts';
import { runStageCase, stageCases } from './support/stage-fixtures.ts';
import { SAMPLE_MASK, SAMPLE_PHOTO } from './support/paths.ts';

const PACK = fileURLToPath(new URL('../resources/fixtures/sam3d-reduced/pack', import.meta.url));
const FIXTURE = fileURLToPath(
  new URL('../resources/fixtures/sam3d-reduced/stages.safetensors', import.meta.url),
);

const fixtures = readSafetensors(FIXTURE);
const pack = loadPack(PACK, { verifyHashes: true });
const sessions = new SessionCache(pack, { threads: 1 });
afterAll(() => sessions.dispose());

const cases = stageCases(fixtures);

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
      const errors = await runStageCase(pack, sessions, name, c);
      expect(Object.keys(errors).length).toBeGreaterThan(0);
      for (const [output, err] of Object.entries(errors)) expect(err, output).toBeLessThanOrEqual(1e-3);
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
