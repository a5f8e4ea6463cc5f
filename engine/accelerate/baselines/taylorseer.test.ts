import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors.ts';
import type { Evaluate } from '../../sampling/flow-sampler.ts';
import { fullPolicy, type Fields } from '../policy.ts';
import { noise, run, spy, STAGE1, STAGE1_TOKENS, stage1State, STAGE2, stepOf } from './harness.ts';
import { parseTaylorSeerKnobs, TAYLORSEER_DEFAULTS, taylorSeer } from './taylorseer.ts';

/** Velocity p(k) on every element, cond = uncond so CFG leaves it unchanged. */
function fieldOfStep(config: typeof STAGE1, p: (k: number) => number): Evaluate {
  return async (x, t) => {
    const v = p(stepOf(config, t));
    return Object.fromEntries(
      Object.entries(x).map(([n, a]) => [n, new Float32Array(a.length).fill(v)]),
    ) as Fields;
  };
}

const computedSteps = (steps: { k: number; computed: boolean }[]) =>
  steps.filter((s) => s.computed).map((s) => s.k);

describe('taylorSeer', () => {
  it('exports its defaults and validates knobs', () => {
    expect(TAYLORSEER_DEFAULTS).toEqual({ interval: 3, order: 1, warmup: 2 });
    expect(parseTaylorSeerKnobs({ order: 2 })).toEqual({ interval: 3, order: 2, warmup: 2 });
    expect(() => taylorSeer({ interval: 0 })).toThrow(UserError);
    expect(() => taylorSeer({ interval: 0 })).toThrow(/interval must be an integer in \[1, 1000\], got 0/);
    expect(() => taylorSeer({ order: 1.5 })).toThrow(/order/);
    expect(() => taylorSeer({ order: 5 })).toThrow(/order/);
    expect(() => taylorSeer({ warmup: 0 })).toThrow(/warmup/);
    expect(() => taylorSeer({ interval: Number.NaN })).toThrow(/interval/);
    expect(() => taylorSeer({ intervals: 3 } as never)).toThrow(/unknown knob "intervals"/);
  });

  it('stage 1 defaults: 9 full steps, 16 evaluations instead of 44', async () => {
    // Full: k < 2, then every 3rd step: 0, 1, 4, 7, 10, 13, 16, 19, 22 (steps 23, 24 are forecast).
    // Guidance covers k = 0..18 (t_18 = .4615 ≤ .5 < t_19 = .5135): 7 guided full steps × 2 + 19, 22 → 16.
    const s = spy(taylorSeer());
    const res = await run(
      STAGE1,
      stage1State(),
      STAGE1_TOKENS,
      s.policy,
      fieldOfStep(STAGE1, (k) => 1 + 0.1 * k),
    );
    expect(computedSteps(s.steps)).toEqual([0, 1, 4, 7, 10, 13, 16, 19, 22]);
    expect(res.evaluations).toBe(16);
    // Forecast steps return every field (shape and the four layout modalities).
    const forecast = s.steps.find((st) => !st.computed)!;
    expect(Object.keys(forecast.v).sort()).toEqual(Object.keys(stage1State()).sort());
  });

  it('stage 2 defaults: 9 full steps, 14 evaluations instead of 38', async () => {
    // Same full steps; guidance covers k = 0..12: 0, 1, 4, 7, 10 guided (10) + 13, 16, 19, 22 (4) → 14.
    const s = spy(taylorSeer());
    const res = await run(
      STAGE2,
      { x: noise(50 * 8, 3) },
      50,
      s.policy,
      fieldOfStep(STAGE2, (k) => 2 - 0.05 * k),
    );
    expect(computedSteps(s.steps)).toEqual([0, 1, 4, 7, 10, 13, 16, 19, 22]);
    expect(res.evaluations).toBe(14);
  });

  it('order 0 holds, order 1 is exact on a velocity linear in the step index (both grids)', async () => {
    for (const config of [STAGE1, STAGE2]) {
      const lin = (k: number) => 0.5 + 0.25 * k;
      const s = spy(taylorSeer({ order: 1 }));
      const res = await run(config, { x: new Float32Array(4) }, 4, s.policy, fieldOfStep(config, lin));
      for (const st of s.steps) expect(st.v.x[0]).toBeCloseTo(lin(st.k), 5);
      const full = await run(config, { x: new Float32Array(4) }, 4, fullPolicy(), fieldOfStep(config, lin));
      expect(res.x.x[0]).toBeCloseTo(full.x.x[0], 5);

      const hold = spy(taylorSeer({ order: 0 }));
      await run(config, { x: new Float32Array(4) }, 4, hold.policy, fieldOfStep(config, lin));
      // Order 0 reuses the last full step's velocity: step 3 uses step 1's value.
      expect(hold.steps[3].v.x[0]).toBeCloseTo(lin(1), 6);
    }
  });

  it('order 2 on a quadratic: backward differences leave exactly −gap·a·m error (order 1: −a·m·(gap+m))', async () => {
    // v = a·k². With full steps f−3 and f (gap 3) and the pair before also 3 apart (f ≥ 7):
    // F1 = (p(f) − p(f−3))/3 = a(2f − 3), F2 = (F1(f) − F1(f−3))/3 = 2a, so
    // v̂(f+m) = a·f² + a(2f − 3)·m + a·m² = p(f+m) − 3a·m. Order 1 drops the a·m² term as well.
    const a = 0.01;
    const quad = (k: number) => a * k * k;
    const o2 = spy(taylorSeer({ order: 2 }));
    await run(STAGE2, { x: new Float32Array(2) }, 2, o2.policy, fieldOfStep(STAGE2, quad));
    const o1 = spy(taylorSeer({ order: 1 }));
    await run(STAGE2, { x: new Float32Array(2) }, 2, o1.policy, fieldOfStep(STAGE2, quad));
    for (const k of [8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 23, 24]) {
      const f = [7, 10, 13, 16, 19, 22].filter((g) => g < k).pop()!;
      const m = k - f;
      expect(o2.steps[k].computed).toBe(false);
      expect(o2.steps[k].v.x[0]).toBeCloseTo(quad(k) - 3 * a * m, 4);
      expect(o1.steps[k].v.x[0]).toBeCloseTo(quad(k) - a * m * (3 + m), 4);
    }
  });

  it('warm-up and interval shape the schedule; interval 1 computes every step', async () => {
    const sched = async (interval: number, warmup: number) => {
      const s = spy(taylorSeer({ interval, warmup }));
      await run(
        STAGE2,
        { x: new Float32Array(1) },
        1,
        s.policy,
        fieldOfStep(STAGE2, () => 1),
      );
      return computedSteps(s.steps);
    };
    expect(await sched(1, 1)).toHaveLength(25);
    expect(await sched(5, 3)).toEqual([0, 1, 2, 7, 12, 17, 22]);
    expect(await sched(3, 1)).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24]);
  });

  it('is deterministic and resets between runs', async () => {
    const policy = taylorSeer({ order: 2 });
    const ev: Evaluate = async (x, t) => ({ x: x.x.map((v, i) => Math.sin(v + i) * (1 + t)) });
    const x0 = { x: noise(64, 9) };
    const a = await run(STAGE2, x0, 8, policy, ev);
    const b = await run(STAGE2, x0, 8, policy, ev);
    const c = await run(STAGE2, x0, 8, taylorSeer({ order: 2 }), ev);
    expect(Array.from(b.x.x)).toEqual(Array.from(a.x.x));
    expect(Array.from(c.x.x)).toEqual(Array.from(a.x.x));
  });
});
