// Fast-SAM3D mechanism 1: modality-aware step caching for the stage-1 (sparse structure) sampler.
// Steps 0..warmup-1, every stride-th step and the steps from `endEnhance` on run the network; the
// others extrapolate the post-CFG velocity of the last full steps by finite differences over
// step-index distance (not over t: the rescaled grid is non-uniform and the reference counts steps).
//
// β convention (ss_momentum_beta): on cached steps every layout modality (every key but 'shape') is
//   v = β·v_prev + (1 − β)·v_extrapolated,
// where v_prev is the velocity actually used on the previous step (computed or cached). β weights the
// anchor, as in the reference's (dead) code; β = 0 is plain extrapolation, β = 1 holds the previous
// velocity. The README figure puts β on the other term; the two agree only at β = 0.5.
//
// Default mode vs referenceCompat (which reproduces the published code exactly):
// - momentum: applied here; the reference computes it and overwrites it, so β has no effect there;
// - order 2: Newton divided differences over the last three full-step indices (exact on a velocity
//   that is quadratic in the step index); the reference divides every difference by the latest gap
//   and sums F_i·m^i/i!, which is not exact. Orders 0 and 1 are identical in both modes;
// - endEnhance defaults to the last step index (steps − 1); the reference hard-codes 24.
// Both modes keep the reference's cut-off that stops forming differences once k ≥ steps − warmup + 1.
import { parseSsCacheKnobs, type SsCacheKnobs } from './knobs.ts';
import type { Fields, SamplingSetup, StepContext, StepPlan, StepPolicy } from './policy.ts';

export type SsStepCacheOptions = SsCacheKnobs & {
  referenceCompat?: boolean;
  /** Steps with index ≥ endEnhance are always computed (default steps − 1; compat 24). */
  endEnhance?: number;
};

const SHAPE_KEY = 'shape';
const REFERENCE_END_ENHANCE = 24;

export function ssStepCache(options: SsStepCacheOptions): StepPolicy {
  const knobs = parseSsCacheKnobs(options);
  const compat = options.referenceCompat ?? false;
  if (
    options.endEnhance !== undefined &&
    !(Number.isInteger(options.endEnhance) && options.endEnhance >= 0)
  ) {
    throw new RangeError(`endEnhance must be an integer ≥ 0, got ${options.endEnhance}`);
  }
  const { ss_cache_stride: P, ss_warmup: W, ss_order: O, ss_momentum_beta: beta } = knobs;

  let cycle = 0;
  /** Indices of the full steps so far (the reference's activated-step list). */
  let full: number[] = [];
  /** Per modality: difference terms from the last full step ([0] is its velocity). */
  let factors = new Map<string, Float32Array[]>();
  let prevV: Fields | null = null;

  const reset = (): void => {
    cycle = 0;
    full = [];
    factors = new Map();
    prevV = null;
  };

  return {
    name: compat ? 'ss-step-cache/reference' : 'ss-step-cache',

    begin(_setup: SamplingSetup) {
      reset();
    },

    plan(ctx: StepContext): StepPlan {
      if (ctx.k === 0) reset(); // tolerate a caller that never calls begin()
      const end = options.endEnhance ?? (compat ? REFERENCE_END_ENHANCE : ctx.steps - 1);
      if (ctx.k < W || cycle === P - 1 || ctx.k >= end) {
        cycle = 0;
        full.push(ctx.k);
        return { compute: true };
      }
      cycle++;
      return { compute: false };
    },

    reuse(ctx: StepContext): Fields {
      const f = full[full.length - 1];
      const m = ctx.k - f;
      const out: Fields = {};
      for (const [key, terms] of factors) {
        const v = new Float32Array(terms[0].length);
        // Basis weight of term i: reference m^i/i!; Newton Π_{j<i} (k − full[−1−j]).
        const w = new Float64Array(terms.length);
        for (let i = 0; i < terms.length; i++) {
          if (i === 0) w[i] = 1;
          else if (compat) w[i] = (w[i - 1] * m) / i;
          else w[i] = w[i - 1] * (ctx.k - full[full.length - i]);
        }
        const prev = !compat && key !== SHAPE_KEY && prevV ? prevV[key] : undefined;
        for (let n = 0; n < v.length; n++) {
          let s = 0;
          for (let i = 0; i < terms.length; i++) s += w[i] * terms[i][n];
          v[n] = prev ? beta * prev[n] + (1 - beta) * s : s;
        }
        out[key] = v;
      }
      return out;
    },

    observe(ctx: StepContext, v: Readonly<Fields>, computed: boolean) {
      if (computed) {
        const last = full.length - 1;
        const derivatives = ctx.k < ctx.steps - W + 1;
        const next = new Map<string, Float32Array[]>();
        for (const [key, vk] of Object.entries(v)) {
          const old = factors.get(key) ?? [];
          const terms = [Float32Array.from(vk)];
          for (let i = 0; i < O && i < old.length && derivatives; i++) {
            // Reference: latest gap for every order. Newton: span of the i+2 nodes involved.
            const gap = compat ? full[last] - full[last - 1] : full[last] - full[last - 1 - i];
            const d = new Float32Array(vk.length);
            for (let n = 0; n < d.length; n++) d[n] = (terms[i][n] - old[i][n]) / gap;
            terms.push(d);
          }
          next.set(key, terms);
        }
        factors = next;
      }
      prevV = Object.fromEntries(Object.entries(v).map(([key, vk]) => [key, Float32Array.from(vk)]));
    },
  };
}
