import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors.ts';
import type { Evaluate } from '../../sampling/flow-sampler.ts';
import { fullPolicy, type Fields } from '../policy.ts';
import { EASYCACHE_DEFAULTS, easyCache, parseEasyCacheKnobs } from './easycache.ts';
import { noise, run, spy, STAGE1, STAGE1_TOKENS, stage1State, STAGE2 } from './harness.ts';

/**
 * v = x + c (cond = uncond, so CFG leaves it as is). The output − input difference is the constant c, so
 * EasyCache's reuse x_k + (v_f − x_f) is exact, and everything is known by hand:
 * - K = mean|v_n − v_f| / mean|x_n − x_f| = 1;
 * - y = x + c grows as y_{k+1} = (1 + dt_k)·y_k, so the increment at step k after the computed step f is
 *   e_k = mean|x_k − x_{k−1}| / mean|v_f| = dt_{k−1} · Π_{j=f..k−2} (1 + dt_j).
 */
const affine: Evaluate = async (x) => {
  const v: Fields = {};
  for (const [n, a] of Object.entries(x)) v[n] = a.map((u) => u + 1);
  return v;
};

const computedSteps = (steps: { k: number; computed: boolean }[]) =>
  steps.filter((s) => s.computed).map((s) => s.k);

describe('easyCache', () => {
  it('exports its defaults and validates knobs', () => {
    expect(EASYCACHE_DEFAULTS).toEqual({ threshold: 0.1, warmup: 3 });
    expect(parseEasyCacheKnobs({ threshold: 0 })).toEqual({ threshold: 0, warmup: 3 });
    expect(() => easyCache({ threshold: -0.1 })).toThrow(UserError);
    expect(() => easyCache({ threshold: -0.1 })).toThrow(
      /threshold must be a number in \[0, 100\], got -0.1/,
    );
    expect(() => easyCache({ threshold: Number.POSITIVE_INFINITY })).toThrow(/threshold/);
    expect(() => easyCache({ warmup: -1 })).toThrow(/warmup must be an integer/);
    expect(() => easyCache({ warmup: 2.5 })).toThrow(/warmup/);
    expect(() => easyCache({ tau: 1 } as never)).toThrow(/unknown knob "tau"/);
  });

  it('stage 2 defaults: computes 0, 1, 2, every 3rd step, and the last — 17 evaluations instead of 38', async () => {
    // dt = 0.04: after a computed step, E = 0.04, 0.0816, 0.1249 ≥ 0.1 → two reused steps, then computed.
    // Computed: 0, 1, 2 (warm-up), 5, 8, 11, 14, 17, 20, 23, 24 (last step always computed).
    // Guided k ≤ 12: 0, 1, 2, 5, 8, 11 → 12 evaluations; 14, 17, 20, 23, 24 → 5. Total 17.
    const s = spy(easyCache());
    const x0 = { x: noise(40 * 8, 5) };
    const res = await run(STAGE2, x0, 40, s.policy, affine);
    expect(computedSteps(s.steps)).toEqual([0, 1, 2, 5, 8, 11, 14, 17, 20, 23, 24]);
    expect(res.evaluations).toBe(17);
    // The cached difference is exact for this field, so the result matches the full run.
    const full = await run(STAGE2, x0, 40, fullPolicy(), affine);
    for (let i = 0; i < 20; i++) expect(res.x.x[i]).toBeCloseTo(full.x.x[i], 3);
  });

  it('stage 1 defaults: the growing dt of the rescaled grid shortens reuse runs — 17 evaluations instead of 44', async () => {
    // dt_k grows from .0137 to .1111. Accumulated E at each reused/decided step (computed at ≥ 0.1):
    //   k3 .0153  k4 .0318  k5 .0495  k6 .0688  k7 .0896  k8 .1123 → compute
    //   k9 .0223  k10 .0468 k11 .0737 k12 .1035 → compute
    //   k13 .0300 k14 .0636 k15 .1013 → compute
    //   k16 .0388 k17 .0829 k18 .1337 → compute
    //   k19 .0520 k20 .1129 → compute;  k21 .0649 k22 .1430 → compute;  k23 .0834;  k24 last → compute
    // Computed: 0, 1, 2, 8, 12, 15, 18, 20, 22, 24. Guided (k ≤ 18): 7 × 2 = 14; 20, 22, 24 → 3. Total 17.
    const s = spy(easyCache());
    const res = await run(STAGE1, stage1State(2), STAGE1_TOKENS, s.policy, affine);
    expect(computedSteps(s.steps)).toEqual([0, 1, 2, 8, 12, 15, 18, 20, 22, 24]);
    expect(res.evaluations).toBe(17);
  });

  it('reuses x_k + (v_f − x_f) on every field', async () => {
    // A field whose difference is not constant: the reused velocity must still be x_k + (v_f − x_f).
    const ev: Evaluate = async (x, t) => ({ a: x.a.map((u) => 0.5 * u + t), b: x.b.map((u) => -u) });
    const s = spy(easyCache({ threshold: 100, warmup: 2 }));
    const xs: Fields[] = [];
    const policy = {
      ...s.policy,
      plan: (ctx: Parameters<typeof s.policy.plan>[0]) => (
        xs.push(structuredClone(ctx.x) as Fields),
        s.policy.plan(ctx)
      ),
    };
    await run(STAGE2, { a: noise(6, 1), b: noise(3, 2) }, 3, policy, ev);
    expect(computedSteps(s.steps)).toEqual([0, 1, 24]);
    for (const k of [2, 7, 23]) {
      for (const name of ['a', 'b']) {
        for (let i = 0; i < xs[k][name].length; i++) {
          const want = xs[k][name][i] + (s.steps[1].v[name][i] - xs[1][name][i]);
          expect(s.steps[k].v[name][i]).toBeCloseTo(want, 5);
        }
      }
    }
  });

  it('threshold 0 computes every step; threshold 100 keeps only steps 0, 1 and the last', async () => {
    const count = async (threshold: number, warmup: number) => {
      const s = spy(easyCache({ threshold, warmup }));
      const r = await run(STAGE2, { x: noise(16, 4) }, 2, s.policy, affine);
      return [computedSteps(s.steps), r.evaluations] as const;
    };
    expect((await count(0, 3))[1]).toBe(38);
    // Steps 0 and 1 are computed even with warm-up 0: the transformation rate needs two computed steps.
    expect(await count(100, 0)).toEqual([[0, 1, 24], 2 + 2 + 1]);
  });

  it('is deterministic and resets between runs', async () => {
    const policy = easyCache();
    const ev: Evaluate = async (x, t) => ({ x: x.x.map((v, i) => Math.tanh(v) * (1 + i * 0.01) + t) });
    const x0 = { x: noise(64, 11) };
    const a = await run(STAGE2, x0, 8, policy, ev);
    const b = await run(STAGE2, x0, 8, policy, ev);
    const c = await run(STAGE2, x0, 8, easyCache(), ev);
    expect(Array.from(b.x.x)).toEqual(Array.from(a.x.x));
    expect(Array.from(c.x.x)).toEqual(Array.from(a.x.x));
    expect(a.trace.map((s) => s.computed)).toEqual(c.trace.map((s) => s.computed));
  });
});
