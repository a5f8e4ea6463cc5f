// TaylorSeer baseline (Liu et al. 2025, "From Reusing to Forecasting: Accelerating Diffusion Models with
// TaylorSeers"), applied to the post-CFG velocity of every field, so it serves both stages.
//
// Rule (the paper's cache_interval / max_order / first_enhance):
// - step k is FULL when k < warmup, or when `interval − 1` steps have been forecast since the last full
//   step (one full step + interval−1 forecast steps per cycle); every full step resets the cycle;
// - on a full step the Taylor factors are rebuilt from the new velocity: G0 = v and, for i < order,
//   G_{i+1} = (G_i − F_i) / Δ, where F is the previous full step's factors and Δ the step-index gap
//   between the last two full steps (distances in step indices, not in t, as TaylorSeer counts them);
//   a higher order appears only once the previous full step stored the lower one, and differences are
//   formed only from step warmup − 1 on (TaylorSeer's "step > first_enhance − 2");
// - a forecast step m steps after the last full step uses v̂ = Σ_i F_i · m^i / i!  (no network call, so
//   neither CFG branch runs).
// Unlike Fast-SAM3D's stage-1 cache (ss-step-cache.ts), the last step is not forced full: TaylorSeer has
// no end-of-trajectory rule.
//
// Defaults interval 3, order 1, warmup 2: the TaylorSeer settings Fast-SAM3D's fork ships with its
// TaylorSeer-layout cache code (cache_init(…, cache_interval=3, max_order=1, first_enhance=2)), which the
// paper's TaylorSeer row most likely used on both generators [inferred]. TaylorSeer's own FLUX "fast"
// mode (interval 5, order 2, first_enhance 3) targets 50 steps.
// Full steps on 25 steps: 0, 1, 4, 7, 10, 13, 16, 19, 22 (9 of 25).
import type { Fields, StepContext, StepPlan, StepPolicy } from '../policy.ts';
import { checkInt, withDefaults } from './common.ts';

export type TaylorSeerKnobs = {
  /** One full step + (interval − 1) forecast steps per cycle; 1 disables forecasting. */
  interval: number;
  /** Taylor order: 0 holds the last velocity, 1 extrapolates linearly, 2 quadratically. */
  order: number;
  /** Leading steps that are always computed (≥ 1: step 0 has nothing to forecast from). */
  warmup: number;
};

export const TAYLORSEER_DEFAULTS: Readonly<TaylorSeerKnobs> = Object.freeze({
  interval: 3,
  order: 1,
  warmup: 2,
});

export function parseTaylorSeerKnobs(input: Partial<TaylorSeerKnobs> = {}): TaylorSeerKnobs {
  const k = withDefaults('taylorseer', TAYLORSEER_DEFAULTS, input);
  return {
    interval: checkInt('taylorseer', 'interval', k.interval, 1, 1000),
    order: checkInt('taylorseer', 'order', k.order, 0, 4),
    warmup: checkInt('taylorseer', 'warmup', k.warmup, 1, 1000),
  };
}

export function taylorSeer(
  options: Partial<TaylorSeerKnobs> = {},
): StepPolicy & { readonly knobs: TaylorSeerKnobs } {
  const knobs = parseTaylorSeerKnobs(options);
  const { interval, order, warmup } = knobs;

  let counter = 0;
  let activated: number[] = [];
  /** Taylor factors of the last full step, per field: [F0, F1, …]. */
  let factors = new Map<string, Float32Array[]>();

  const reset = () => {
    counter = 0;
    activated = [];
    factors = new Map();
  };

  return {
    name: 'taylorseer',
    knobs,
    begin: reset,

    plan(ctx: StepContext): StepPlan {
      if (ctx.k === 0) reset();
      // No factors yet can only happen if begin was skipped mid-run; computing is the safe answer.
      if (ctx.k < warmup || counter === interval - 1 || activated.length === 0) {
        counter = 0;
        return { compute: true };
      }
      counter++;
      return { compute: false };
    },

    reuse(ctx: StepContext): Fields {
      const m = ctx.k - activated[activated.length - 1];
      const out: Fields = {};
      for (const [name, F] of factors) {
        const v = new Float32Array(F[0].length);
        let coef = 1; // m^i / i!
        for (let i = 0; i < F.length; i++) {
          if (i > 0) coef *= m / i;
          const Fi = F[i];
          for (let j = 0; j < v.length; j++) v[j] += coef * Fi[j];
        }
        out[name] = v;
      }
      return out;
    },

    observe(ctx: StepContext, v: Readonly<Fields>, computed: boolean): void {
      if (!computed) return;
      activated.push(ctx.k);
      const gap =
        activated.length >= 2 ? activated[activated.length - 1] - activated[activated.length - 2] : 1;
      const next = new Map<string, Float32Array[]>();
      for (const [name, vs] of Object.entries(v)) {
        const G: Float32Array[] = [Float32Array.from(vs)];
        const F = factors.get(name);
        for (let i = 0; i < order; i++) {
          if (!F || F[i] === undefined || ctx.k < warmup - 1) break;
          const d = new Float32Array(vs.length);
          const gi = G[i];
          const fi = F[i];
          for (let j = 0; j < d.length; j++) d[j] = (gi[j] - fi[j]) / gap;
          G.push(d);
        }
        next.set(name, G);
      }
      factors = next;
    },
  };
}
