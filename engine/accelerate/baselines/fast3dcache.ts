// Fast3Dcache baseline (Yang et al. 2025, "Fast3Dcache: Training-free 3D Geometry Synthesis
// Acceleration", CVPR 2026), per-token velocity caching in three phases over T steps:
// 1. Full sampling: steps k < floor(fullRatio·T) evaluate every token.
// 2. Dynamic caching, PCSC (predictive caching scheduler constraint): at the anchor step
//    a = max(1, floor(anchorRatio·T)) the number of still-changing tokens A is measured once; from then
//    on the predicted active count decays log-linearly, active(k) = A·exp(slope·(k − a)), and
//    trunc(N − active(k)) tokens are cached. Until A is known (the anchor step itself included) every
//    token is evaluated, as in the reference.
// 3. From k ≥ ceil(endRatio·T): a fixed trunc(finalRatio·N) tokens are cached, except every
//    correctionEvery-th step of the phase ((k − end + 1) mod f = 0), which evaluates every token. These
//    steps are past SAM 3D's guidance window, i.e. the paper's "CFG-free refinement".
// SSC (spatiotemporal stability criterion) picks which tokens to cache: the lowest
//    score = w·norm(‖v_{k−1} − v_{k−2}‖) + (1 − w)·norm(‖v_{k−1}‖)   (per-token L2 over channels,
//    min-max normalised with ε = 1e-6), ties by index; a token already cached on streakLimit − 1
//    consecutive steps is forced back in and not replaced. Cached tokens keep v_{k−1} (zero-order
//    hold); the rest are evaluated (plan.tokens, ascending) and scattered back by expand().
// Constants are the paper's / public code's defaults: 0.2, 0.2, −0.07, 0.75, 0.7, 3, τ = 3, w = 0.7.
// On 25 steps: steps 0–5 full, PCSC on 6–18, phase 3 on 19–24 with full corrections at 21 and 24.
//
// Differences from the public code, and why:
// - A (changing tokens at the anchor): the code decodes the predicted clean latents of steps a−1 and a
//   with the SS decoder and counts flipped 64³ occupancy voxels, divided by 64 (voxels per 16³ token).
//   Policies are synchronous and see only latents, so A is a latent-space proxy: tokens whose
//   predicted clean latent x̂₁ = x + (1 − t)·v moved between steps a−1 and a by more than
//   changeTolerance × the RMS token norm of x̂₁ at step a [inferred]. A = 0 disables phase 2 caching,
//   as a zero flip count does in the code.
// - Acceleration compares the last two steps' velocities and a full-token step resets the streaks (the
//   paper's definitions); the code compares with the velocity of its previous selection call and keeps
//   streaks across full-token steps.
//
// Stage: the paper applies it to TRELLIS's sparse-structure stage (a 16³×8 latent, like SAM 3D's stage-1
// 'shape'); Fast-SAM3D adapted the same tracker to stage 2. This policy works on either: per-token fields
// are those with a whole number of values per token (stage 1 'shape', stage 2 'x'); other fields
// (stage-1 layout) are always evaluated. Stage 1 saves compute only if its evaluate honours the subset.
import { UserError } from '../../errors.ts';
import type { Fields, SamplingSetup, StepContext, StepPlan, StepPolicy } from '../policy.ts';
import {
  checkInt,
  checkReal,
  cloneFields,
  keptRows,
  scatterRows,
  tokenWidths,
  withDefaults,
} from './common.ts';

export type Fast3dCacheKnobs = {
  /** Phase 1 covers the first floor(fullRatio·T) steps. */
  fullRatio: number;
  /** PCSC anchor step max(1, floor(anchorRatio·T)). */
  anchorRatio: number;
  /** PCSC log-linear slope of the active-token count per step (≤ 0). */
  slope: number;
  /** Phase 3 starts at ceil(endRatio·T). */
  endRatio: number;
  /** Phase 3 cache ratio ξ. */
  finalRatio: number;
  /** Every correctionEvery-th phase-3 step evaluates every token; 0 never. */
  correctionEvery: number;
  /** τ: a token cached on τ − 1 consecutive steps is forced back in. */
  streakLimit: number;
  /** SSC weight of the acceleration term (1 − w weights the magnitude). */
  accelWeight: number;
  /** Anchor proxy: relative x̂₁ movement that counts a token as changing. */
  changeTolerance: number;
};

export const FAST3DCACHE_DEFAULTS: Readonly<Fast3dCacheKnobs> = Object.freeze({
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

const P = 'fast3dcache';
const MINMAX_EPS = 1e-6;

export function parseFast3dCacheKnobs(input: Partial<Fast3dCacheKnobs> = {}): Fast3dCacheKnobs {
  const k = withDefaults(P, FAST3DCACHE_DEFAULTS, input);
  const out: Fast3dCacheKnobs = {
    fullRatio: checkReal(P, 'fullRatio', k.fullRatio, 0, 1),
    anchorRatio: checkReal(P, 'anchorRatio', k.anchorRatio, 0, 1),
    slope: checkReal(P, 'slope', k.slope, -10, 0),
    endRatio: checkReal(P, 'endRatio', k.endRatio, 0, 1),
    finalRatio: checkReal(P, 'finalRatio', k.finalRatio, 0, 1, true),
    correctionEvery: checkInt(P, 'correctionEvery', k.correctionEvery, 0, 1000),
    streakLimit: checkInt(P, 'streakLimit', k.streakLimit, 1, 1000),
    accelWeight: checkReal(P, 'accelWeight', k.accelWeight, 0, 1),
    changeTolerance: checkReal(P, 'changeTolerance', k.changeTolerance, 0, 100),
  };
  if (out.endRatio < out.fullRatio) {
    throw new UserError(`${P}: endRatio (${out.endRatio}) must be ≥ fullRatio (${out.fullRatio})`);
  }
  return out;
}

export type Fast3dPhases = { full: number; anchor: number; end: number };

export function fast3dPhases(steps: number, knobs: Fast3dCacheKnobs): Fast3dPhases {
  return {
    full: Math.floor(knobs.fullRatio * steps),
    anchor: Math.max(1, Math.floor(knobs.anchorRatio * steps)),
    end: Math.ceil(knobs.endRatio * steps),
  };
}

/** Tokens to cache at step k (before streak filtering); `anchorActive` is A, null until measured. */
export function fast3dBudget(
  k: number,
  steps: number,
  tokens: number,
  anchorActive: number | null,
  knobs: Fast3dCacheKnobs,
): number {
  const ph = fast3dPhases(steps, knobs);
  if (k < ph.full) return 0;
  if (k >= ph.end) {
    const aggressive = Math.trunc(tokens * knobs.finalRatio);
    if (knobs.correctionEvery <= 0) return aggressive;
    return (k - ph.end + 1) % knobs.correctionEvery === 0 ? 0 : aggressive;
  }
  if (anchorActive === null) return 0;
  const active = anchorActive * Math.exp(knobs.slope * (k - ph.anchor));
  return Math.max(0, Math.min(tokens, Math.trunc(tokens - active)));
}

/** Per-token L2 norm over the channels of the per-token fields (of a − b when b is given). */
function rowNorms(
  a: Readonly<Fields>,
  widths: ReadonlyMap<string, number>,
  n: number,
  b?: Readonly<Fields>,
): Float64Array {
  const sq = new Float64Array(n);
  for (const [name, w] of widths) {
    const f = a[name];
    const g = b?.[name];
    for (let r = 0; r < n; r++) {
      for (let i = r * w; i < r * w + w; i++) {
        const d = g ? f[i] - g[i] : f[i];
        sq[r] += d * d;
      }
    }
  }
  for (let r = 0; r < n; r++) sq[r] = Math.sqrt(sq[r]);
  return sq;
}

function minMax(z: Float64Array): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of z) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return z.map((v) => (v - lo) / (hi - lo + MINMAX_EPS));
}

/**
 * SSC: cache the `budget` lowest-scoring tokens except those whose streak reached streakLimit − 1;
 * updates `streak` in place. Returns the cached flags (1 = cached).
 */
export function sscSelect(
  vPrev: Readonly<Fields>,
  vPrev2: Readonly<Fields> | null,
  widths: ReadonlyMap<string, number>,
  n: number,
  budget: number,
  streak: Int32Array,
  knobs: Pick<Fast3dCacheKnobs, 'accelWeight' | 'streakLimit'>,
): Uint8Array {
  const mag = minMax(rowNorms(vPrev, widths, n));
  const acc = minMax(vPrev2 ? rowNorms(vPrev, widths, n, vPrev2) : new Float64Array(n));
  const w = knobs.accelWeight;
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) score[i] = w * acc[i] + (1 - w) * mag[i];
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b] || a - b);
  const cached = new Uint8Array(n);
  for (let j = 0; j < Math.min(budget, n); j++) {
    const i = order[j];
    if (streak[i] < knobs.streakLimit - 1) cached[i] = 1;
  }
  for (let i = 0; i < n; i++) streak[i] = cached[i] ? streak[i] + 1 : 0;
  return cached;
}

export function fast3dCache(options: Partial<Fast3dCacheKnobs> = {}): StepPolicy & {
  readonly knobs: Fast3dCacheKnobs;
  /** A measured at the anchor step (null before it, or when nothing changed). */
  readonly anchorActive: number | null;
} {
  const knobs = parseFast3dCacheKnobs(options);

  let n = 0;
  let widths: Map<string, number> | null = null;
  let streak = new Int32Array(0);
  let vPrev: Fields | null = null;
  let vPrev2: Fields | null = null;
  let hatPrev: Fields | null = null;
  let anchorActive: number | null = null;

  const reset = (setup: SamplingSetup) => {
    n = setup.tokens;
    widths = null;
    streak = new Int32Array(n);
    vPrev = vPrev2 = hatPrev = null;
    anchorActive = null;
  };

  /** x̂₁ = x + (1 − t)·v on the per-token fields (t = 0 noise, t = 1 data). */
  const predictClean = (ctx: StepContext, v: Readonly<Fields>): Fields => {
    const out: Fields = {};
    for (const name of widths!.keys()) {
      const x = ctx.x[name];
      const vs = v[name];
      const o = new Float32Array(x.length);
      for (let i = 0; i < o.length; i++) o[i] = x[i] + (1 - ctx.t) * vs[i];
      out[name] = o;
    }
    return out;
  };

  return {
    name: 'fast3dcache',
    knobs,
    get anchorActive() {
      return anchorActive;
    },
    begin: reset,

    plan(ctx: StepContext): StepPlan {
      widths ??= tokenWidths(ctx.x, n);
      const budget = fast3dBudget(ctx.k, ctx.steps, n, anchorActive, knobs);
      if (!vPrev || budget <= 0 || budget >= n) {
        streak.fill(0);
        return { compute: true };
      }
      const cached = sscSelect(vPrev, vPrev2, widths, n, budget, streak, knobs);
      const tokens = keptRows(n, cached);
      return tokens.length === n ? { compute: true } : { compute: true, tokens };
    },

    reuse(): Fields {
      throw new Error('fast3dcache computes every step (it caches tokens, not steps)');
    },

    expand(_ctx: StepContext, partial: Fields, tokens: Int32Array): Fields {
      if (!vPrev || !widths) throw new Error('fast3dcache: no previous velocity to hold');
      return scatterRows(vPrev, partial, tokens, widths);
    },

    observe(ctx: StepContext, v: Readonly<Fields>): void {
      const { anchor } = fast3dPhases(ctx.steps, knobs);
      if (ctx.k === anchor - 1 || ctx.k === anchor) {
        const hat = predictClean(ctx, v);
        if (ctx.k === anchor && hatPrev && anchorActive === null) {
          const moved = rowNorms(hat, widths!, n, hatPrev);
          const norms = rowNorms(hat, widths!, n);
          let ms = 0;
          for (const r of norms) ms += r * r;
          const limit = knobs.changeTolerance * Math.sqrt(ms / n);
          let count = 0;
          for (const d of moved) if (d > limit) count++;
          if (count > 0) anchorActive = count;
        }
        hatPrev = hat;
      }
      vPrev2 = vPrev;
      vPrev = cloneFields(v);
    },
  };
}
