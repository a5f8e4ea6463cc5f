// EasyCache baseline (Zhou et al. 2025, "Less is Enough: Training-Free Video Diffusion Acceleration via
// Runtime-Adaptive Caching"), on the post-CFG velocity of every field, so it serves both stages.
//
// Rule (as the paper and its public code define it; all norms are mean |·| over every element of every
// field):
// - steps k < warmup and the last step are always computed (the paper's ret_steps and its final-step
//   guard);
// - transformation rate, refreshed on each computed step n from the previous computed step f:
//     K = mean|v_n − v_f| / mean|x_n − x_f|
// - on every other step, once K exists: E += K · mean|x_k − x_{k−1}| / mean|v_f|; while E < threshold
//   the step is reused, otherwise computed and E resets to 0;
// - a reused step applies the cached output−input difference: v_k = x_k + (v_f − x_f).
// So K needs two computed steps: steps 0 and 1 are computed whatever the warm-up.
//
// Difference from the paper: it caches the cond and uncond outputs separately; CFG is linear, so one
// post-CFG difference gives the same velocity, except on a reused step just past the guidance window
// whose cached step was guided (the paper would reuse the cond difference alone there).
//
// Defaults threshold 0.1, warmup 3 [inferred]: the public code uses threshold 0.05 with 7 warm-up steps
// at 40–50 steps. Each increment is about K·dt, so 0.05 at dt ≈ 1/50 scales to 0.1 at 25 steps; 3 is
// the same ~12–14 % warm-up share (and Fast-SAM3D's README warm-up for its EasyCache-style stage 2).
import type { Fields, StepContext, StepPlan, StepPolicy } from '../policy.ts';
import { checkInt, checkReal, cloneFields, meanAbs, meanAbsDiff, withDefaults } from './common.ts';

export type EasyCacheKnobs = {
  /** Accumulated-change threshold below which a step is reused; 0 disables reuse. */
  threshold: number;
  /** Leading steps that are always computed. */
  warmup: number;
};

export const EASYCACHE_DEFAULTS: Readonly<EasyCacheKnobs> = Object.freeze({ threshold: 0.1, warmup: 3 });

export function parseEasyCacheKnobs(input: Partial<EasyCacheKnobs> = {}): EasyCacheKnobs {
  const k = withDefaults('easycache', EASYCACHE_DEFAULTS, input);
  return {
    threshold: checkReal('easycache', 'threshold', k.threshold, 0, 100),
    warmup: checkInt('easycache', 'warmup', k.warmup, 0, 1000),
  };
}

export function easyCache(
  options: Partial<EasyCacheKnobs> = {},
): StepPolicy & { readonly knobs: EasyCacheKnobs } {
  const knobs = parseEasyCacheKnobs(options);
  const { threshold, warmup } = knobs;

  let rate: number | null = null;
  let accumulated = 0;
  let prevX: Fields | null = null;
  /** Velocity and input of the last computed step. */
  let lastV: Fields | null = null;
  let lastX: Fields | null = null;

  const reset = () => {
    rate = null;
    accumulated = 0;
    prevX = lastV = lastX = null;
  };

  return {
    name: 'easycache',
    knobs,
    begin: reset,

    plan(ctx: StepContext): StepPlan {
      if (ctx.k === 0) reset();
      let compute: boolean;
      if (ctx.k < warmup || ctx.k === ctx.steps - 1) {
        compute = true;
        accumulated = 0;
      } else if (prevX && lastV && rate !== null) {
        const outNorm = meanAbs(lastV);
        accumulated += outNorm > 0 ? (rate * meanAbsDiff(ctx.x, prevX)) / outNorm : Infinity;
        compute = !(accumulated < threshold);
        if (compute) accumulated = 0;
      } else {
        compute = true;
      }
      prevX = cloneFields(ctx.x);
      return { compute };
    },

    reuse(ctx: StepContext): Fields {
      if (!lastV || !lastX) throw new Error('easycache: nothing cached to reuse');
      const out: Fields = {};
      for (const [name, x] of Object.entries(ctx.x)) {
        const v = lastV[name];
        const x0 = lastX[name];
        const o = new Float32Array(x.length);
        for (let i = 0; i < o.length; i++) o[i] = x[i] + (v[i] - x0[i]);
        out[name] = o;
      }
      return out;
    },

    observe(ctx: StepContext, v: Readonly<Fields>, computed: boolean): void {
      if (!computed) return;
      if (lastV && lastX) {
        const inChange = meanAbsDiff(ctx.x, lastX);
        if (inChange > 0) rate = meanAbsDiff(v, lastV) / inChange;
      }
      lastV = cloneFields(v);
      lastX = cloneFields(ctx.x);
    },
  };
}
