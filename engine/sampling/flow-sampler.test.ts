import { describe, expect, it } from 'vitest';
import { fullPolicy, type Fields, type StepPolicy } from '../accelerate/policy.ts';
import { CancelledError } from '../errors.ts';
import type { SamplerConfig } from '../pack/manifest.ts';
import { sampleFlow } from './flow-sampler.ts';
import { Rng, seededNoise } from './rng.ts';
import { timeGrid } from './schedule.ts';

const config: SamplerConfig = {
  steps: 25,
  rescaleT: 3,
  timeScale: 1000,
  cfg: { strength: 7, interval: [0, 500], outputs: 'all' },
  shortcutD: 0,
  uncondTokens: 1,
};

describe('flow sampler', () => {
  it('integrates a known velocity field exactly with Euler and applies CFG per modality', async () => {
    // v_cond = 2, v_uncond = 1 → guided v = (1+7)·2 − 7·1 = 9 inside the window, 2 outside.
    const calls: { t: number; branch: string }[] = [];
    const res = await sampleFlow({
      config,
      x0: { a: new Float32Array([0, 1]), b: new Float32Array([5]) },
      policy: fullPolicy(),
      setup: { tokens: 1 },
      evaluate: async (x, t, branch) => {
        calls.push({ t, branch });
        const c = branch === 'cond' ? 2 : 1;
        return { a: new Float32Array(x.a.length).fill(c), b: new Float32Array(x.b.length).fill(c) };
      },
    });
    const t = timeGrid(25, 3);
    let expected = 0;
    for (let k = 0; k < 25; k++) expected += (t[k + 1] - t[k]) * (t[k] * 1000 <= 500 ? 9 : 2);
    expect(res.x.a[0]).toBeCloseTo(expected, 5);
    expect(res.x.a[1]).toBeCloseTo(1 + expected, 5);
    expect(res.x.b[0]).toBeCloseTo(5 + expected, 5);
    expect(res.evaluations).toBe(44);
    expect(calls.filter((c) => c.branch === 'uncond').length).toBe(19);
    expect(res.trace.every((s) => s.computed)).toBe(true);
  });

  it('guides only the listed outputs', async () => {
    const res = await sampleFlow({
      config: { ...config, steps: 1, rescaleT: 1, cfg: { ...config.cfg, outputs: ['a'] } },
      x0: { a: new Float32Array(1), b: new Float32Array(1) },
      policy: fullPolicy(),
      setup: { tokens: 1 },
      evaluate: async (_x, _t, branch) => {
        const c = branch === 'cond' ? 2 : 1;
        return { a: Float32Array.of(c), b: Float32Array.of(c) };
      },
    });
    expect(res.x.a[0]).toBeCloseTo(9, 6);
    expect(res.x.b[0]).toBeCloseTo(2, 6);
  });

  it('asks the policy and uses its reused velocity without calling the network', async () => {
    let evaluated = 0;
    const policy: StepPolicy = {
      name: 'every-other',
      plan: (ctx) => ({ compute: ctx.k % 2 === 0 }),
      reuse: (ctx) => ({ a: new Float32Array(ctx.x.a.length).fill(100) }),
      observe: () => {},
    };
    const res = await sampleFlow({
      config: { ...config, steps: 4, rescaleT: 1, cfg: { ...config.cfg, strength: 0 } },
      x0: { a: new Float32Array(1) },
      policy,
      setup: { tokens: 1 },
      evaluate: async (): Promise<Fields> => {
        evaluated++;
        return { a: Float32Array.of(1) };
      },
    });
    expect(evaluated).toBe(2);
    expect(res.evaluations).toBe(2);
    expect(res.x.a[0]).toBeCloseTo(0.25 * (1 + 100 + 1 + 100), 5);
    expect(res.trace.map((s) => s.computed)).toEqual([true, false, true, false]);
  });

  it('stops at the next step when aborted', async () => {
    const ac = new AbortController();
    let steps = 0;
    const run = sampleFlow({
      config,
      x0: { a: new Float32Array(1) },
      policy: fullPolicy(),
      setup: { tokens: 1 },
      signal: ac.signal,
      onStep: () => {
        if (++steps === 3) ac.abort();
      },
      evaluate: async () => ({ a: Float32Array.of(1) }),
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(steps).toBe(3);
  });
});

describe('rng', () => {
  it('is deterministic per seed and standard normal in distribution', () => {
    const a = new Rng(42).normals(20000);
    const b = new Rng(42).normals(20000);
    const c = new Rng(43).normals(10);
    expect(Array.from(a.subarray(0, 10))).toEqual(Array.from(b.subarray(0, 10)));
    expect(Array.from(c)).not.toEqual(Array.from(a.subarray(0, 10)));
    const mean = a.reduce((s, x) => s + x, 0) / a.length;
    const variance = a.reduce((s, x) => s + (x - mean) ** 2, 0) / a.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});

describe('seeded noise', () => {
  it('gives each stage and modality its own reproducible stream', () => {
    const a = seededNoise(5);
    const b = seededNoise(5);
    expect(Array.from(a('ss', 'shape', 8))).toEqual(Array.from(b('ss', 'shape', 8)));
    expect(Array.from(a('ss', 'shape', 8))).not.toEqual(Array.from(a('ss', 'rot6d', 8)));
    expect(Array.from(a('slat', 'x', 8))).not.toEqual(Array.from(seededNoise(6)('slat', 'x', 8)));
    // A longer draw starts with the shorter one: stage-2 noise is stable in its prefix.
    expect(Array.from(a('slat', 'x', 16).subarray(0, 8))).toEqual(Array.from(a('slat', 'x', 8)));
  });
});
