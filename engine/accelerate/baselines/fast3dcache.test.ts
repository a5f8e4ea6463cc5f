import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors.ts';
import type { Evaluate } from '../../sampling/flow-sampler.ts';
import type { Fields } from '../policy.ts';
import {
  FAST3DCACHE_DEFAULTS,
  fast3dBudget,
  fast3dCache,
  fast3dPhases,
  parseFast3dCacheKnobs,
  sscSelect,
} from './fast3dcache.ts';
import { noise, run, spy, STAGE1, STAGE1_TOKENS, stage1State, STAGE2 } from './harness.ts';

const C = 2;
const N = 100;
const D = FAST3DCACHE_DEFAULTS;

/**
 * A "perfect denoiser" towards target(t): v = (target − x)/(1 − t), so the predicted clean latent
 * x̂₁ = x + (1 − t)·v equals target(t) on every evaluated step. Tokens < `moving` have a target that
 * drifts with t (1 + 10t per channel); the others a fixed target of 1. Evaluates only the given rows.
 */
function denoiser(moving: number): Evaluate {
  return async (x, t, _branch, tokens) => {
    const rows = tokens ?? Int32Array.from({ length: x.x.length / C }, (_, i) => i);
    const out = new Float32Array(rows.length * C);
    for (let j = 0; j < rows.length; j++) {
      const r = rows[j];
      const target = r < moving ? 1 + 10 * t : 1;
      for (let c = 0; c < C; c++) out[j * C + c] = (target - x.x[r * C + c]) / (1 - t);
    }
    return { x: out } as Fields;
  };
}

describe('fast3dCache', () => {
  it('exports its defaults and validates knobs', () => {
    expect(D).toEqual({
      fullRatio: 0.2,
      anchorRatio: 0.2,
      slope: -0.07,
      endRatio: 0.75,
      finalRatio: 0.7,
      correctionEvery: 3,
      streakLimit: 3,
      accelWeight: 0.7,
      changeTolerance: 0.1,
    });
    expect(parseFast3dCacheKnobs({ finalRatio: 0.5 }).finalRatio).toBe(0.5);
    expect(() => fast3dCache({ finalRatio: 1 })).toThrow(UserError);
    expect(() => fast3dCache({ finalRatio: 1 })).toThrow(/finalRatio must be a number in \[0, 1\), got 1/);
    expect(() => fast3dCache({ slope: 0.1 })).toThrow(/slope/);
    expect(() => fast3dCache({ fullRatio: 1.2 })).toThrow(/fullRatio/);
    expect(() => fast3dCache({ fullRatio: 0.8, endRatio: 0.75 })).toThrow(
      /endRatio \(0.75\) must be ≥ fullRatio/,
    );
    expect(() => fast3dCache({ streakLimit: 0 })).toThrow(/streakLimit/);
    expect(() => fast3dCache({ correctionEvery: 1.5 })).toThrow(/correctionEvery/);
    expect(() => fast3dCache({ accelWeight: 2 })).toThrow(/accelWeight/);
    expect(() => fast3dCache({ changeTolerance: -1 })).toThrow(/changeTolerance/);
    expect(() => fast3dCache({ budget: 1 } as never)).toThrow(/unknown knob "budget"/);
  });

  it('phases and PCSC budget on 25 steps, by hand', () => {
    // full = floor(0.2·25) = 5, anchor = max(1, floor(0.2·25)) = 5, end = ceil(0.75·25) = 19.
    expect(fast3dPhases(25, D)).toEqual({ full: 5, anchor: 5, end: 19 });
    // Phase 1 and the anchor step itself (A unknown yet): nothing cached.
    for (let k = 0; k <= 5; k++) expect(fast3dBudget(k, 25, N, null, D)).toBe(0);
    expect(fast3dBudget(10, 25, N, null, D)).toBe(0);
    // A = 20: cache trunc(100 − 20·e^{−0.07(k−5)}).
    expect(fast3dBudget(6, 25, N, 20, D)).toBe(81); // 20·e^−0.07 = 18.65
    expect(fast3dBudget(10, 25, N, 20, D)).toBe(85); // 20·e^−0.35 = 14.09
    expect(fast3dBudget(15, 25, N, 20, D)).toBe(90); // 20·e^−0.70 = 9.93
    expect(fast3dBudget(18, 25, N, 20, D)).toBe(91); // 20·e^−0.91 = 8.05
    // Phase 3: 70 cached, full correction when (k − 19 + 1) mod 3 = 0, i.e. k = 21 and 24.
    expect([19, 20, 21, 22, 23, 24].map((k) => fast3dBudget(k, 25, N, 20, D))).toEqual([
      70, 70, 0, 70, 70, 0,
    ]);
    expect(fast3dBudget(21, 25, N, 20, { ...D, correctionEvery: 0 })).toBe(70);
  });

  it('SSC caches the lowest 0.7·acceleration + 0.3·magnitude scores, except stale tokens', () => {
    // One channel. |v| = 0,1,2,3,4 → magnitude norm 0, .25, .5, .75, 1; |v − v_prev| = 0,0,0,3,0 → 0,0,0,1,0.
    // Scores 0, .075, .15, .925, .3: the lowest three are tokens 0, 1, 2.
    const widths = new Map([['x', 1]]);
    const vPrev = { x: Float32Array.of(0, 1, 2, 3, 4) };
    const vPrev2 = { x: Float32Array.of(0, 1, 2, 0, 4) };
    const streak = new Int32Array(5);
    expect(Array.from(sscSelect(vPrev, vPrev2, widths, 5, 3, streak, D))).toEqual([1, 1, 1, 0, 0]);
    expect(Array.from(streak)).toEqual([1, 1, 1, 0, 0]);
    // Token 0 already cached twice (τ − 1 = 2): forced back in and not replaced by token 4.
    streak.set([2, 0, 0, 0, 0]);
    expect(Array.from(sscSelect(vPrev, vPrev2, widths, 5, 3, streak, D))).toEqual([0, 1, 1, 0, 0]);
    expect(Array.from(streak)).toEqual([0, 1, 1, 0, 0]);
  });

  it('stage 2 defaults: 38 evaluations; full-token steps 0–5, 21, 24; the anchor counts the moving tokens', async () => {
    // Every step runs the network (Fast3Dcache caches tokens, not steps): 13 guided × 2 + 12 = 38.
    // At the anchor (step 5) the 20 drifting tokens moved by 0.4·√2 against a limit 0.1·√(2.6·2) = 0.23,
    // so A = 20 and the budgets are 81, 82, 83, … 91 on steps 6–18 (see the budget test).
    // A cached token holds v, so its acceleration is 0 and it stays among the lowest scores until stale:
    //   step 6: 81 cached → 19 evaluated;  step 7: the 81 (streak 1) + 1 → 82 cached → 18;
    //   step 8: the 81 now have streak 2 → forced back, not replaced; 2 cached → 98.
    // The same 3-step cycle repeats (a few tokens cached on its third step carry a streak into the next):
    //   9–11: 84−1, 85−1, 4 cached → 17, 16, 96;  12–14: 87−2, 88−2, 6 → 15, 14, 94;
    //   15–17: 90−3, 90−3, 7 → 13, 13, 93;  18: 91−3 → 12.
    // Phase 3: 19 caches 70 → 30; at 20 the lowest 70 are exactly those, cached on 18 and 19, all stale →
    // every token evaluated; 21 and 24 are corrections; 22, 23 cache 70 → 30.
    const policy = fast3dCache();
    const s = spy(policy);
    const res = await run(STAGE2, { x: noise(N * C, 1) }, N, s.policy, denoiser(20));
    expect(res.evaluations).toBe(38);
    expect(policy.anchorActive).toBe(20);
    // prettier-ignore
    expect(res.trace.map((st) => st.tokens)).toEqual([
      null, null, null, null, null, null,
      19, 18, 98, 17, 16, 96, 15, 14, 94, 13, 13, 93, 12,
      30, null, null, 30, 30, null,
    ]);

    // Cached rows hold the previous step's velocity; no row is cached on 3 consecutive steps (τ = 3).
    const run3 = new Int32Array(N);
    for (let k = 1; k < 25; k++) {
      const kept = s.steps[k].tokens ? new Set(s.steps[k].tokens) : null;
      for (let r = 0; r < N; r++) {
        const cached = kept !== null && !kept.has(r);
        run3[r] = cached ? run3[r] + 1 : 0;
        expect(run3[r]).toBeLessThanOrEqual(2);
        if (cached) expect(s.steps[k].v.x[r * C]).toBe(s.steps[k - 1].v.x[r * C]);
      }
    }
  });

  it('with nothing changing at the anchor, only phase 3 caches: 30 tokens on 19, 20, 22, 23', async () => {
    // A = 0 disables PCSC (as a zero flip count does). Phase 3 caches trunc(0.7·100) = 70; no token
    // reaches a streak of 2 between the full steps 18, 21 and 24, so exactly 30 are evaluated.
    const policy = fast3dCache();
    const res = await run(STAGE2, { x: noise(N * C, 2) }, N, policy, denoiser(0));
    expect(policy.anchorActive).toBeNull();
    expect(res.trace.map((st) => st.tokens)).toEqual([...Array(19).fill(null), 30, 30, null, 30, 30, null]);
    expect(res.evaluations).toBe(38);
  });

  it('stage 1: caches shape rows only, keeps layout whole, 44 evaluations', async () => {
    // A dense network (as stage1.ts runs today) returns every row; the policy still holds cached rows.
    const dense: Evaluate = async (x, t) =>
      Object.fromEntries(
        Object.entries(x).map(([n, a]) => [
          n,
          a.map((u, i) => (n === 'shape' && i < 8 * 512 ? 50 * t : 1) - u),
        ]),
      ) as Fields;
    const policy = fast3dCache();
    const s = spy(policy);
    const res = await run(STAGE1, stage1State(4), STAGE1_TOKENS, s.policy, dense);
    expect(res.evaluations).toBe(44);
    expect(policy.anchorActive).toBe(512); // the 512 tokens with a drifting target
    const trace = res.trace.map((st) => st.tokens);
    // Phase 1 and the corrections run every token; phase 3 caches trunc(0.7·4096) = 2867 → 1229 evaluated,
    // except step 20 where the lowest scorers are the tokens cached on 18 and 19, all stale.
    for (const k of [0, 1, 2, 3, 4, 5, 20, 21, 24]) expect(trace[k]).toBeNull();
    for (const k of [19, 22, 23]) expect(trace[k]).toBe(1229);
    for (let k = 6; k <= 18; k++)
      expect(trace[k]).toBeGreaterThanOrEqual(
        STAGE1_TOKENS - fast3dBudget(k, 25, STAGE1_TOKENS, policy.anchorActive, D),
      );
    const k = 19;
    const kept = new Set(s.steps[k].tokens!);
    const cached = [...Array(STAGE1_TOKENS).keys()].find((r) => !kept.has(r))!;
    expect(s.steps[k].v.shape[cached * 8]).toBe(s.steps[k - 1].v.shape[cached * 8]);
    expect(s.steps[k].v.translation[0]).not.toBe(s.steps[k - 1].v.translation[0]);
  });

  it('is deterministic and resets between runs', async () => {
    const policy = fast3dCache();
    const x0 = { x: noise(N * C, 3) };
    const a = await run(STAGE2, x0, N, policy, denoiser(30));
    const b = await run(STAGE2, x0, N, policy, denoiser(30));
    const c = await run(STAGE2, x0, N, fast3dCache(), denoiser(30));
    expect(Array.from(b.x.x)).toEqual(Array.from(a.x.x));
    expect(Array.from(c.x.x)).toEqual(Array.from(a.x.x));
    expect(b.trace).toEqual(a.trace);
  });
});
