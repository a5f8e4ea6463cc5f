import { describe, expect, it } from 'vitest';
import type { SamplerConfig } from '../pack/manifest.ts';
import { sampleFlow } from '../sampling/flow-sampler.ts';
import { Rng } from '../sampling/rng.ts';
import { timeGrid } from '../sampling/schedule.ts';
import type { Fields, StepPolicy } from './policy.ts';
import { ssStepCache } from './ss-step-cache.ts';

// The real stage-1 sampler: 25 steps, rescale_t 3, CFG 7 on all outputs while t·1000 ∈ [0, 500].
const SS: SamplerConfig = {
  steps: 25,
  rescaleT: 3,
  timeScale: 1000,
  cfg: { strength: 7, interval: [0, 500], outputs: 'all' },
  shortcutD: 0,
  uncondTokens: 1,
};
const SIZES = { shape: 16, rot6d: 6, translation: 3, scale: 3, translation_scale: 1 };
const KNOBS = { ss_cache_stride: 3, ss_warmup: 2, ss_order: 1, ss_momentum_beta: 0.5 };

type VelocityFn = (key: string, i: number, k: number, t: number) => number;

/** Runs the policy through the real sampler on a velocity that depends on (step, t) only; cond and
 *  uncond agree, so the post-CFG velocity is exactly that function. Records the velocity of every step. */
async function run(policy: StepPolicy, velocity: VelocityFn, config: SamplerConfig = SS) {
  const times = timeGrid(config.steps, config.rescaleT);
  const used: Fields[] = [];
  const spy: StepPolicy = {
    name: policy.name,
    begin: (s) => policy.begin?.(s),
    plan: (ctx) => policy.plan(ctx),
    reuse: (ctx) => policy.reuse(ctx),
    observe: (ctx, v, computed) => {
      used[ctx.k] = Object.fromEntries(Object.entries(v).map(([k, a]) => [k, Float32Array.from(a)]));
      policy.observe(ctx, v, computed);
    },
  };
  const x0: Fields = Object.fromEntries(Object.entries(SIZES).map(([k, n]) => [k, new Float32Array(n)]));
  const res = await sampleFlow({
    config,
    x0,
    policy: spy,
    setup: { tokens: SIZES.shape },
    evaluate: async (x, t) => {
      const k = times.indexOf(t);
      return Object.fromEntries(
        Object.keys(x).map((key) => [key, Float32Array.from(x[key], (_, i) => velocity(key, i, k, t))]),
      );
    },
  });
  const schedule = res.trace.map((s) => (s.computed ? 'F' : 'c')).join(' ');
  const full = res.trace.filter((s) => s.computed).map((s) => s.k);
  return { ...res, schedule, full, used };
}

/** Per-element random polynomial in the step index: a + b·k + c·k². */
function polynomial(degree: number, seed = 7): VelocityFn {
  const rng = new Rng(seed);
  const coef = new Map<string, Float64Array[]>();
  for (const [key, n] of Object.entries(SIZES))
    coef.set(
      key,
      [0, 1, 2].map((d) =>
        Float64Array.from({ length: n }, () => (d <= degree ? rng.normal() / (1 + 10 * d) : 0)),
      ),
    );
  return (key, i, k) => {
    const [a, b, c] = coef.get(key)!;
    return a[i] + b[i] * k + c[i] * k * k;
  };
}

const smooth: VelocityFn = (key, i, _k, t) => Math.cos(3 * t + i + key.length) + (i % 3) * t * t;

describe('ss step cache: schedules', () => {
  it('runs the reference default schedule: 10 full steps, 17 evaluations instead of 44', async () => {
    for (const referenceCompat of [false, true]) {
      const r = await run(ssStepCache({ ...KNOBS, referenceCompat }), smooth);
      expect(r.schedule).toBe('F F c c F c c F c c F c c F c c F c c F c c F c F');
      expect(r.full).toEqual([0, 1, 4, 7, 10, 13, 16, 19, 22, 24]);
      expect(r.evaluations).toBe(17);
    }
  });

  it('gives 25/14/10/8/7 full steps for strides 1–5', async () => {
    const counts = [];
    for (let P = 1; P <= 5; P++)
      counts.push((await run(ssStepCache({ ...KNOBS, ss_cache_stride: P }), smooth)).full.length);
    expect(counts).toEqual([25, 14, 10, 8, 7]);
    const r1 = await run(ssStepCache({ ...KNOBS, ss_cache_stride: 1 }), smooth);
    expect(r1.evaluations).toBe(44); // stride 1 is the unaccelerated sampler
  });

  it('gives 9/10/11/12 full steps for warm-up 1/2/3/5 and always computes step 0', async () => {
    const counts = [];
    for (const W of [1, 2, 3, 5]) {
      const r = await run(ssStepCache({ ...KNOBS, ss_warmup: W }), smooth);
      expect(r.full.slice(0, W)).toEqual(Array.from({ length: W }, (_, i) => i));
      counts.push(r.full.length);
    }
    expect(counts).toEqual([9, 10, 11, 12]);
    expect(() => ssStepCache({ ...KNOBS, ss_warmup: 0 })).toThrow(
      'ss_warmup must be an integer ≥ 1 (0 crashes the reference), got 0',
    );
  });

  it('computes the last step by default whatever the step count; compat keeps the hard-coded 24', async () => {
    const cfg30 = { ...SS, steps: 30 };
    const own = await run(ssStepCache(KNOBS), smooth, cfg30);
    expect(own.full.at(-1)).toBe(29);
    expect(own.full.filter((k) => k >= 24)).toEqual([25, 28, 29]);
    const ref = await run(ssStepCache({ ...KNOBS, referenceCompat: true }), smooth, cfg30);
    expect(ref.full.filter((k) => k >= 24)).toEqual([24, 25, 26, 27, 28, 29]);
    const cfg20 = { ...SS, steps: 20 };
    expect((await run(ssStepCache({ ...KNOBS, referenceCompat: true }), smooth, cfg20)).full.at(-1)).toBe(19); // on the stride cadence
    expect(
      (await run(ssStepCache({ ...KNOBS, referenceCompat: true }), smooth, { ...SS, steps: 21 })).full.at(-1),
    ).toBe(19);
    expect((await run(ssStepCache(KNOBS), smooth, { ...SS, steps: 21 })).full.at(-1)).toBe(20);
    expect(
      (await run(ssStepCache({ ...KNOBS, endEnhance: 20 }), smooth)).full.filter((k) => k >= 19),
    ).toEqual([19, 20, 21, 22, 23, 24]);
  });
});

describe('ss step cache: extrapolation', () => {
  const close = (a: ArrayLike<number>, b: ArrayLike<number>, digits = 4) =>
    Array.from(a).forEach((v, i) => expect(v).toBeCloseTo(b[i], digits));

  it('order 0 holds the last full velocity', async () => {
    const f = polynomial(2);
    const r = await run(ssStepCache({ ...KNOBS, ss_order: 0 }), f);
    for (const [k, src] of [
      [2, 1],
      [3, 1],
      [5, 4],
      [23, 22],
    ])
      expect(r.used[k]).toEqual(r.used[src]);
  });

  it('order 1 is exact on a velocity linear in the step index (non-uniform gaps included)', async () => {
    const f = polynomial(1);
    for (const referenceCompat of [false, true]) {
      const r = await run(ssStepCache({ ...KNOBS, ss_momentum_beta: 0, referenceCompat }), f);
      for (let k = 0; k < 25; k++)
        close(
          r.used[k].shape,
          Float32Array.from(r.used[k].shape, (_, i) => f('shape', i, k, 0)),
        );
      // Closed form: v_f + m·(v_f − v_f')/(f − f').
      const [v1, v4] = [r.used[1].translation, r.used[4].translation];
      close(
        r.used[6].translation,
        v4.map((v, i) => v + (2 * (v - v1[i])) / 3),
      );
    }
  });

  it('order 2 is exact on a quadratic in the step index; compat reproduces the reference Taylor sum', async () => {
    const f = polynomial(2);
    const own = await run(ssStepCache({ ...KNOBS, ss_order: 2, ss_momentum_beta: 0 }), f);
    // Steps 2 and 3 follow only two full steps (0, 1), so they are linear; exact from step 4 on.
    for (let k = 4; k < 25; k++) {
      for (const key of Object.keys(SIZES))
        close(
          own.used[k][key],
          Float32Array.from(own.used[k][key], (_, i) => f(key, i, k, 0)),
          3,
        );
    }
    const ref = await run(ssStepCache({ ...KNOBS, ss_order: 2, referenceCompat: true }), f);
    // Reference after full steps 0, 1, 4: F1 = (v4 − v1)/3, F2 = (F1 − (v1 − v0)/1)/3, v̂ = v4 + m·F1 + m²/2·F2.
    const v = (k: number) => Float64Array.from({ length: SIZES.shape }, (_, i) => f('shape', i, k, 0));
    const [v0, v1, v4] = [v(0), v(1), v(4)];
    const F1 = v4.map((x, i) => (x - v1[i]) / 3);
    const F2 = F1.map((x, i) => (x - (v1[i] - v0[i])) / 3);
    for (const m of [1, 2])
      close(
        ref.used[4 + m].shape,
        v4.map((x, i) => x + m * F1[i] + ((m * m) / 2) * F2[i]),
      );
    expect(Math.max(...Array.from(ref.used[5].shape, (x, i) => Math.abs(x - v(5)[i])))).toBeGreaterThan(1e-3);
  });

  it('stops forming differences once k ≥ steps − warmup + 1 (reference cut-off)', async () => {
    const r = await run(ssStepCache({ ...KNOBS, ss_warmup: 5 }), polynomial(1));
    expect(r.full).toContain(22); // 22 ≥ 25 − 5 + 1: the cached step 23 holds v22
    expect(r.used[23]).toEqual(r.used[22]);
  });

  it('reproduces the Appendix A.1 worked example (v = A·cos 3t + B·t², first shape component)', async () => {
    const A = -1.1258398;
    const r = await run(ssStepCache({ ...KNOBS, referenceCompat: true }), (key, i, _k, t) =>
      key === 'shape' && i === 0 ? A * Math.cos(3 * t) + A * t * t : 0,
    );
    const got = [0, 1, 2, 3, 4].map((k) => r.used[k].shape[0]);
    [-1.12584, -1.1251, -1.124361, -1.123622, -1.111842].forEach((want, k) =>
      expect(got[k]).toBeCloseTo(want, 5),
    );
    expect(got[2]).toBeCloseTo(2 * got[1] - got[0], 6);
    expect(got[3]).toBeCloseTo(got[1] + 2 * (got[1] - got[0]), 6);
  });
});

describe('ss step cache: layout momentum', () => {
  const layout = ['rot6d', 'translation', 'scale', 'translation_scale'];

  it('blends layout as β·v_prev + (1 − β)·v_extrapolated on cached steps and leaves shape alone', async () => {
    const f = polynomial(2, 11);
    const plain = await run(ssStepCache({ ...KNOBS, ss_momentum_beta: 0 }), f);
    for (const beta of [0.5, 0.9, 1]) {
      const r = await run(ssStepCache({ ...KNOBS, ss_momentum_beta: beta }), f);
      expect(r.x.shape).toEqual(plain.x.shape); // bit-identical: shape never blends
      for (const key of layout) {
        expect(r.x[key]).not.toEqual(plain.x[key]);
        // Step 2 (cached, previous step 1 full): β·v1 + (1 − β)·(2·v1 − v0).
        const [v0, v1] = [r.used[0][key], r.used[1][key]];
        Array.from(r.used[2][key]).forEach((v, i) =>
          expect(v).toBeCloseTo(beta * v1[i] + (1 - beta) * (2 * v1[i] - v0[i]), 5),
        );
        // Step 3 anchors on the blended velocity of step 2.
        Array.from(r.used[3][key]).forEach((v, i) =>
          expect(v).toBeCloseTo(beta * r.used[2][key][i] + (1 - beta) * (3 * v1[i] - 2 * v0[i]), 5),
        );
      }
      if (beta === 1) for (const key of layout) expect(r.used[3][key]).toEqual(r.used[1][key]); // pure hold
    }
  });

  it('referenceCompat ignores β entirely (bit-identical), like the published code', async () => {
    const f = polynomial(2, 12);
    const outs = [];
    for (const beta of [0, 0.5, 0.9])
      outs.push((await run(ssStepCache({ ...KNOBS, ss_momentum_beta: beta, referenceCompat: true }), f)).x);
    expect(outs[1]).toEqual(outs[0]);
    expect(outs[2]).toEqual(outs[0]);
    // With β = 0 and order ≤ 1 the default mode is the reference, bit for bit.
    expect((await run(ssStepCache({ ...KNOBS, ss_momentum_beta: 0 }), f)).x).toEqual(outs[0]);
  });
});

describe('ss step cache: state', () => {
  it('is deterministic and resets between generations when the policy object is reused', async () => {
    const policy = ssStepCache({ ...KNOBS, ss_order: 2 });
    const a = await run(policy, smooth);
    const b = await run(policy, smooth);
    const c = await run(ssStepCache({ ...KNOBS, ss_order: 2 }), smooth);
    expect(b.x).toEqual(a.x);
    expect(c.x).toEqual(a.x);
    expect(b.schedule).toBe(a.schedule);
  });
});
