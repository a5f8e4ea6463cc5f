// Fast-SAM3D mechanism 2 for the stage-2 (SLaT) sampler: dynamic step reuse plus token carving.
// - Reuse: an error k·mean|x − x_prev|/mean|v_prev| accumulates over steps (k is an EMA of how fast the
//   velocity changes relative to the state); while it stays below slat_thresh the step reuses
//   v = x + (v_f − x_f) from the last computed step f, at no network cost.
// - Carving: on computed steps from step 2 on, the lowest-saliency fraction of tokens is left out of
//   the network input (stage 2 then really runs on the subset) and keeps its previous velocity.
// Default mode also computes the last `protectLastSteps` steps (the reference may reuse step 24, which
// sets the final latent); referenceCompat turns that off and is otherwise the same algorithm.
import { parseSlatCarvingKnobs, type SlatCarvingKnobs } from './knobs.ts';
import type { Fields, SamplingSetup, StepContext, StepPlan, StepPolicy } from './policy.ts';
import { CarvingTracker } from './token-select.ts';

export type SlatCarvingOptions = SlatCarvingKnobs & {
  /** Final steps that are never reused (default 2; 0 in referenceCompat). */
  protectLastSteps?: number;
  referenceCompat?: boolean;
};

/** One record per step, for reports and tests. */
export type SlatStepInfo = {
  k: number;
  computed: boolean;
  carved: number;
  kEstimate: number | null;
  error: number;
};

export type SlatCarvingPolicy = StepPolicy & { readonly history: readonly SlatStepInfo[] };

/** Hard-coded in the reference (f3cLeader forces it whatever slat_warmup is). */
export const CARVING_START_STEP = 2;
const K_EMA_OLD = 0.7;
const EPS_K = 1e-8;
const EPS_V = 1e-6;

function copy(f: Readonly<Fields>): Fields {
  return Object.fromEntries(Object.entries(f).map(([k, v]) => [k, Float32Array.from(v)]));
}

/** mean|a − b| over every element of every field (b absent: mean|a|). */
function meanAbs(a: Readonly<Fields>, b?: Readonly<Fields>): number {
  let s = 0;
  let n = 0;
  for (const [key, x] of Object.entries(a)) {
    const y = b?.[key];
    for (let i = 0; i < x.length; i++) s += Math.abs(y ? x[i] - y[i] : x[i]);
    n += x.length;
  }
  return n ? s / n : 0;
}

export function slatCarving(options: SlatCarvingOptions): SlatCarvingPolicy {
  const { slat_thresh: tau, slat_warmup: W, slat_carving_ratio: rho } = parseSlatCarvingKnobs(options);
  const compat = options.referenceCompat ?? false;
  const protect = options.protectLastSteps ?? (compat ? 0 : 2);
  if (!Number.isInteger(protect) || protect < 0)
    throw new RangeError(`protectLastSteps must be an integer ≥ 0, got ${protect}`);

  let N = 0;
  let spatial: Float32Array | undefined;
  let tracker = new CarvingTracker(0);
  let k: number | null = null;
  let error = 0;
  let prevX: Fields | null = null;
  let prevPrevX: Fields | null = null;
  let prevV: Fields | null = null;
  let easy: Fields | null = null;
  let carvedNow = 0;
  const history: SlatStepInfo[] = [];

  return {
    name: compat ? 'slat-carving/reference' : 'slat-carving',
    history,

    begin(setup: SamplingSetup) {
      N = setup.tokens;
      spatial = setup.spatialScores;
      if (spatial && spatial.length !== N)
        throw new Error(`spatial scores have ${spatial.length} entries for ${N} tokens`);
      tracker = new CarvingTracker(N);
      k = null;
      error = 0;
      prevX = prevPrevX = prevV = easy = null;
      history.length = 0;
    },

    plan(ctx: StepContext): StepPlan {
      const i = ctx.k;
      let compute = true;
      if (i >= W && prevX && prevV && prevPrevX && k !== null) {
        error += (k * meanAbs(ctx.x, prevX)) / (meanAbs(prevV) + EPS_V);
        compute = !(error < tau);
      }
      if (i >= ctx.steps - protect) compute = true;
      if (compute) error = 0;
      carvedNow = 0;
      const kSkip = Math.floor(rho * N);
      if (compute && prevV && i >= CARVING_START_STEP && kSkip > 0 && kSkip < N) {
        const sel = tracker.select(prevV, kSkip, spatial);
        carvedNow = sel.carved.length;
        // Every token forced back by its streak: an ordinary full evaluation.
        if (carvedNow > 0) return { compute: true, tokens: sel.active };
      }
      return { compute };
    },

    reuse(ctx: StepContext): Fields {
      if (!easy) throw new Error('slat-carving: no computed step to reuse');
      const out: Fields = {};
      for (const [key, x] of Object.entries(ctx.x)) {
        const e = easy[key];
        const v = new Float32Array(x.length);
        for (let n = 0; n < v.length; n++) v[n] = x[n] + e[n];
        out[key] = v;
      }
      return out;
    },

    expand(_ctx: StepContext, partial: Fields, tokens: Int32Array): Fields {
      if (!prevV) throw new Error('slat-carving: carved a step with no previous velocity');
      const out = copy(prevV); // carved rows keep their last velocity
      for (const [key, p] of Object.entries(partial)) {
        const o = out[key];
        if (!o) throw new Error(`slat-carving: unexpected output "${key}"`);
        const C = o.length / N;
        if (p.length !== tokens.length * C)
          throw new Error(`slat-carving: "${key}" has ${p.length / C} rows for ${tokens.length} tokens`);
        for (let r = 0; r < tokens.length; r++) o.set(p.subarray(r * C, r * C + C), tokens[r] * C);
      }
      return out;
    },

    observe(ctx: StepContext, v: Readonly<Fields>, computed: boolean) {
      if (computed) {
        if (prevX && prevPrevX && prevV) {
          const kNow = meanAbs(v, prevV) / (meanAbs(prevX, prevPrevX) + EPS_K);
          k = k === null ? kNow : K_EMA_OLD * k + (1 - K_EMA_OLD) * kNow;
        }
        if (prevX) prevPrevX = prevX;
        easy = {};
        for (const [key, vk] of Object.entries(v)) {
          const x = ctx.x[key];
          const e = new Float32Array(vk.length);
          for (let n = 0; n < e.length; n++) e[n] = vk[n] - x[n];
          easy[key] = e;
        }
      }
      // On reused steps prev_prev_x stays: k's denominator then spans the whole reuse run (reference).
      prevX = copy(ctx.x);
      prevV = copy(v);
      history.push({ k: ctx.k, computed, carved: computed ? carvedNow : 0, kEstimate: k, error });
    },
  };
}
