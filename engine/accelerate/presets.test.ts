import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.ts';
import { sampleFlow } from '../sampling/flow-sampler.ts';
import type { SamplerConfig } from '../pack/manifest.ts';
import { FAST_SAM3D_CLI, FAST_SAM3D_README } from './knobs.ts';
import { knobFlags, resolveStrategy, STRATEGY_NAMES } from './presets.ts';
import { spectralAggregation, type SpectralDecision } from './spectral-aggregation.ts';
import type { AggregationInput } from './aggregation.ts';

const SS: SamplerConfig = {
  steps: 25,
  rescaleT: 3,
  timeScale: 1000,
  cfg: { strength: 7, interval: [0, 500], outputs: 'all' },
  shortcutD: 0,
  uncondTokens: 1,
};

async function stage1Evaluations(policy: ReturnType<ReturnType<typeof resolveStrategy>['build']>['stage1']) {
  const res = await sampleFlow({
    config: SS,
    x0: { shape: new Float32Array(8), rot6d: new Float32Array(6) },
    policy,
    setup: { tokens: 1 },
    evaluate: async (x) => ({ shape: x.shape.map((v) => v + 1), rot6d: x.rot6d.map((v) => v + 1) }),
  });
  return res.evaluations;
}

describe('strategy presets', () => {
  it('offers the published presets, two of our own and every baseline', () => {
    expect(STRATEGY_NAMES).toEqual(
      expect.arrayContaining([
        'full',
        'fast-sam3d',
        'fast-sam3d-cli',
        'fast-sam3d-turbo',
        'fast-sam3d-safe',
        'taylorseer',
        'easycache',
        'fast3dcache',
        'random-drop',
        'uniform-merge',
      ]),
    );
    for (const name of STRATEGY_NAMES) {
      const s = resolveStrategy(name);
      const p = s.build();
      expect(p.stage1.name && p.stage2.name && p.aggregation.name).toBeTruthy();
    }
  });

  it('fast-sam3d uses the README values and fast-sam3d-cli the argparse defaults', () => {
    expect(resolveStrategy('fast-sam3d').knobs).toMatchObject(FAST_SAM3D_README);
    expect(resolveStrategy('fast-sam3d-cli').knobs).toMatchObject(FAST_SAM3D_CLI);
    const p = resolveStrategy('fast-sam3d').build();
    expect([p.stage1.name, p.stage2.name, p.aggregation.name]).toEqual([
      'ss-step-cache',
      'slat-carving',
      'spectral-aggregation',
    ]);
  });

  it('full runs every evaluation; fast-sam3d runs the 17 of the reference schedule', async () => {
    expect(await stage1Evaluations(resolveStrategy('full').build().stage1)).toBe(44);
    expect(await stage1Evaluations(resolveStrategy('fast-sam3d').build().stage1)).toBe(17);
    expect(
      await stage1Evaluations(resolveStrategy('fast-sam3d', { ss_cache_stride: 1 }).build().stage1),
    ).toBe(44);
  });

  it('the enable switches select mechanisms as the published CLI does', () => {
    const only = resolveStrategy('full', { enable_ss_cache: true }).build();
    expect([only.stage1.name, only.stage2.name, only.aggregation.name]).toEqual([
      'ss-step-cache',
      'full',
      'reference-cap',
    ]);
    const all = resolveStrategy('full', { enable_acceleration: true }).build();
    expect([all.stage1.name, all.stage2.name, all.aggregation.name]).toEqual([
      'ss-step-cache',
      'slat-carving',
      'spectral-aggregation',
    ]);
    expect(resolveStrategy('full', { enable_acceleration: true }).knobs).toMatchObject(FAST_SAM3D_CLI);
  });

  it('builds fresh policies for every run', () => {
    const s = resolveStrategy('fast-sam3d');
    expect(s.build().stage2).not.toBe(s.build().stage2);
  });

  it('rejects bad names and knobs with a message that says what is valid', () => {
    expect(() => resolveStrategy('turbo')).toThrow(/unknown strategy "turbo"; choose from full, fast-sam3d/);
    expect(() => resolveStrategy('fast-sam3d', { slat_carving_ratio: 1.2 })).toThrow(UserError);
    expect(() => resolveStrategy('fast-sam3d', { ss_warmup: 0 })).toThrow(/ss_warmup must be an integer ≥ 1/);
    expect(() => resolveStrategy('full', { slat_thresh: 2 })).toThrow(/no effect with --preset full/);
    expect(() => resolveStrategy('taylorseer', { taylorseer_interval: 0 })).toThrow(/interval/);
    expect(() => resolveStrategy('uniform-merge', { uniform_merge_factor: 0.5 })).toThrow(UserError);
    expect(() => resolveStrategy('taylorseer', { enable_ss_cache: true })).toThrow(/fast-sam3d presets/);
  });

  it('exposes every published knob as a flag with its published name', () => {
    const flags = knobFlags().map((k) => k.flag);
    for (const k of Object.keys(FAST_SAM3D_CLI)) expect(flags).toContain(k);
    expect(flags).toContain('taylorseer_interval');
    expect(flags).toContain('random_drop_ratio');
  });
});

describe('spectral aggregation on small grids', () => {
  // A shell of ~300 voxels on a 16³ grid: a normal object there, and a smooth (factor 2) crop.
  const coords: number[] = [];
  for (let x = 0; x < 16; x++)
    for (let y = 0; y < 16; y++)
      for (let z = 0; z < 16; z++) {
        const r = Math.hypot(x - 7.5, y - 7.5, z - 7.5);
        if (r > 4.5 && r <= 5.5) coords.push(x, y, z);
      }
  const logits = new Float32Array(16 ** 3);
  for (let i = 0; i < coords.length; i += 3)
    logits[(coords[i] * 16 + coords[i + 1]) * 16 + coords[i + 2]] = 5;
  const input: AggregationInput = {
    coords: Int32Array.from(coords),
    logits,
    res: 16,
    maxVoxels: 4000,
    downsampleFactor: 2,
    imageCrop: new Float32Array(3 * 32 * 32).fill(0.5),
    maskCrop: new Float32Array(32 * 32).fill(1),
    imageSize: 32,
    uniform: () => 0.5,
  };

  it('keep the 64³ resolution of the factor rule: a 16³ pack is left as is, compat applies the raw factor', () => {
    // Every factor of the rule (≤ 2, i.e. ≥ 64/2 = 32 voxels across) leaves a 16³ grid as it is, so the
    // rule is not even measured; compat measures it (the smooth crop gives 2) and applies it raw.
    const decisions: SpectralDecision[] = [];
    const scaled = spectralAggregation({ onDecision: (d) => decisions.push(d) }).aggregate(input);
    expect(decisions[0]).toMatchObject({ hfer2d: null, requestedFactor: 1, factor: 1 });
    expect(scaled.downsampleFactor).toBe(1);
    expect(scaled.coords).toEqual(input.coords);
    // Compat: the raw factor, and the fixed 2048 minimum keeps this ~300-voxel set at 1 as well.
    const compatDecisions: SpectralDecision[] = [];
    const compat = spectralAggregation({
      referenceCompat: true,
      onDecision: (d) => compatDecisions.push(d),
    }).aggregate(input);
    expect(compatDecisions[0].requestedFactor).toBe(2);
    expect(compat.downsampleFactor).toBe(1);
    expect(compat.coords.length).toBe(input.coords.length);
  });

  it('scale the 42000 cap by (res/64)²: a large set on a small grid is still forced to the pack factor', () => {
    const solid: number[] = [];
    for (let x = 0; x < 16; x++)
      for (let y = 0; y < 16; y++) for (let z = 0; z < 16; z++) if (x + y + z < 40) solid.push(x, y, z);
    // 42000·(16/64)² = 2625 voxels or more force factor 2 (the reference's memory guard), whatever the rule says.
    expect(solid.length / 3).toBeGreaterThan(2625);
    const out = spectralAggregation().aggregate({ ...input, coords: Int32Array.from(solid) });
    expect(out.downsampleFactor).toBe(2);
    expect(out.coords.length).toBeLessThan(solid.length);
  });
});
