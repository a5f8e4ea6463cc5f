// Token choice for Fast-SAM3D's stage-2 carving: score every token by spatial detail and motion of its
// last velocity, carve the K lowest, but never the same token on more than STREAK_LIMIT consecutive
// calls (stale tokens are forced back in and not replaced, as in the reference tracker).
import type { Fields } from './policy.ts';

export const SPATIAL_WEIGHT = 0.3;
export const ABRUPTNESS_WEIGHT = 0.7;
export const MAGNITUDE_WEIGHT = 1 - ABRUPTNESS_WEIGHT;
/** The reference's FIXED_THRESHOLD is 5: a streak of 4 forces the token back. */
export const STREAK_LIMIT = 4;
const MINMAX_EPS = 1e-6;

export type Selection = {
  /** Carved tokens, lowest score first. */
  carved: Int32Array;
  /** Tokens to evaluate, ascending (keeps the coordinate order sorted). */
  active: Int32Array;
  scores: Float64Array;
};

/** (z − min)/(max − min + 1e-6): an all-equal vector becomes all zeros. */
export function minMaxNormalize(z: ArrayLike<number>): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < z.length; i++) {
    lo = Math.min(lo, z[i]);
    hi = Math.max(hi, z[i]);
  }
  const out = new Float64Array(z.length);
  for (let i = 0; i < z.length; i++) out[i] = (z[i] - lo) / (hi - lo + MINMAX_EPS);
  return out;
}

/** Per-row L2 norm over the channels of every field (each field is `tokens` rows). */
function rowNorms(fields: Readonly<Fields>, tokens: number, minus?: Readonly<Fields>): Float64Array {
  const sq = new Float64Array(tokens);
  for (const [key, f] of Object.entries(fields)) {
    const g = minus?.[key];
    const C = f.length / tokens;
    for (let r = 0; r < tokens; r++) {
      for (let c = r * C; c < r * C + C; c++) {
        const d = g ? f[c] - g[c] : f[c];
        sq[r] += d * d;
      }
    }
  }
  return sq.map(Math.sqrt);
}

function sameShape(a: Readonly<Fields>, b: Readonly<Fields>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k]?.length === a[k].length);
}

export class CarvingTracker {
  private streak: Int32Array;
  private prevPred: Fields | null = null;

  constructor(readonly tokens: number) {
    this.streak = new Int32Array(tokens);
  }

  reset(): void {
    this.streak.fill(0);
    this.prevPred = null;
  }

  streaks(): Int32Array {
    return Int32Array.from(this.streak);
  }

  /** Scores the tokens of velocity P and picks up to kSkip of them to carve; updates streaks and history. */
  select(P: Readonly<Fields>, kSkip: number, spatial?: Float32Array): Selection {
    const N = this.tokens;
    if (spatial && spatial.length !== N)
      throw new Error(`spatial scores have ${spatial.length} entries for ${N} tokens`);
    for (const [key, f] of Object.entries(P)) {
      if (f.length % N !== 0) throw new Error(`field "${key}" (${f.length} values) is not ${N} rows`);
    }
    const mag = minMaxNormalize(rowNorms(P, N));
    const prev = this.prevPred && sameShape(P, this.prevPred) ? this.prevPred : null;
    const abr = prev ? minMaxNormalize(rowNorms(P, N, prev)) : new Float64Array(N);
    const sp = spatial ? minMaxNormalize(spatial) : new Float64Array(N);
    const scores = new Float64Array(N);
    for (let n = 0; n < N; n++) {
      const motion = ABRUPTNESS_WEIGHT * abr[n] + MAGNITUDE_WEIGHT * mag[n];
      scores[n] = SPATIAL_WEIGHT * sp[n] + (1 - SPATIAL_WEIGHT) * motion;
    }
    // K smallest; ties broken by index (the reference's top-k leaves them unspecified).
    const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => scores[a] - scores[b] || a - b);
    const carved = order
      .slice(0, Math.max(0, Math.min(kSkip, N)))
      .filter((n) => this.streak[n] < STREAK_LIMIT);
    const isCarved = new Uint8Array(N);
    for (const n of carved) isCarved[n] = 1;
    const active = new Int32Array(N - carved.length);
    for (let n = 0, a = 0; n < N; n++) {
      if (isCarved[n]) this.streak[n]++;
      else {
        this.streak[n] = 0;
        active[a++] = n;
      }
    }
    this.prevPred = Object.fromEntries(Object.entries(P).map(([k, f]) => [k, Float32Array.from(f)]));
    return { carved: Int32Array.from(carved), active, scores };
  }
}
