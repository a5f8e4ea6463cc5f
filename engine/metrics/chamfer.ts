// Chamfer distance and F-score between two point sets, with nearest neighbours from an implicit k-d tree.
//
// Definitions (a = candidate samples, b = reference samples, d(p, X) = min_x ‖p − x‖ Euclidean):
//   cdL1 = ½ (mean_{p∈a} d(p, b) + mean_{q∈b} d(q, a))        ("L1": plain distances, not squared)
//   cdL2 = ½ (mean_{p∈a} d(p, b)² + mean_{q∈b} d(q, a)²)
//   precision = 100 · |{p ∈ a : d(p, b) < τ}| / |a|,  recall = 100 · |{q ∈ b : d(q, a) < τ}| / |b|
//   f1 = 2PR / (P + R)  (0 when P = R = 0), all three in percent 0..100.

/**
 * Balanced k-d tree stored implicitly: `order` is permuted so that each range [lo, hi) has its splitting
 * point at mid = (lo + hi) >> 1, smaller coordinates left of it; `axis[mid]` is that split's axis and
 * `box[6·mid..]` the tight bounding box of the range (ranges of ≤ LEAF points are not split). Pruning on tight boxes, not just split planes,
 * matters for surface samples: a query far off a 2D sheet of points would otherwise enter the many
 * half-space cells that slice through its ball.
 */
/** Ranges this small are scanned, not split: fewer recursive calls per query. */
const LEAF = 8;

export class KdTree {
  private readonly order: Uint32Array;
  private readonly axis: Uint8Array;
  private readonly pts: Float64Array;
  private readonly box: Float64Array;

  constructor(points: ArrayLike<number>) {
    const n = Math.floor(points.length / 3);
    this.pts = Float64Array.from(points);
    this.order = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.order[i] = i;
    this.axis = new Uint8Array(n);
    this.box = new Float64Array(6 * n);
    this.build(0, n);
  }

  get size(): number {
    return this.order.length;
  }

  private build(lo: number, hi: number): void {
    if (hi <= lo) return;
    const p = this.pts,
      o = this.order;
    // Split on the widest axis of this range: keeps cells near-cubic for skewed clouds.
    const mn = [Infinity, Infinity, Infinity],
      mx = [-Infinity, -Infinity, -Infinity];
    for (let i = lo; i < hi; i++) {
      for (let k = 0; k < 3; k++) {
        const x = p[3 * o[i] + k];
        if (x < mn[k]) mn[k] = x;
        if (x > mx[k]) mx[k] = x;
      }
    }
    const mid = (lo + hi) >> 1;
    for (let k = 0; k < 3; k++) {
      this.box[6 * mid + k] = mn[k];
      this.box[6 * mid + 3 + k] = mx[k];
    }
    if (hi - lo <= LEAF) return;
    const ext = [mx[0] - mn[0], mx[1] - mn[1], mx[2] - mn[2]];
    const ax = ext[0] >= ext[1] && ext[0] >= ext[2] ? 0 : ext[1] >= ext[2] ? 1 : 2;
    this.select(lo, hi - 1, mid, ax);
    this.axis[mid] = ax;
    this.build(lo, mid);
    this.build(mid + 1, hi);
  }

  /** Quickselect (Hoare partition) so that order[k] holds the k-th smallest along `ax`. */
  private select(left: number, right: number, k: number, ax: number): void {
    const p = this.pts,
      o = this.order;
    while (right > left) {
      const pivot = p[3 * o[(left + right) >> 1] + ax];
      let i = left,
        j = right;
      while (i <= j) {
        while (p[3 * o[i] + ax] < pivot) i++;
        while (p[3 * o[j] + ax] > pivot) j--;
        if (i <= j) {
          const t = o[i];
          o[i] = o[j];
          o[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) right = j;
      else if (k >= i) left = i;
      else return;
    }
  }

  // Query state kept on the instance so the recursion allocates nothing per node.
  private qx = 0;
  private qy = 0;
  private qz = 0;
  private best = Infinity;

  /** Squared distance from (x, y, z) to the nearest stored point (Infinity when empty). */
  nearestSq(x: number, y: number, z: number): number {
    this.qx = x;
    this.qy = y;
    this.qz = z;
    this.best = Infinity;
    this.visit(0, this.order.length);
    return this.best;
  }

  private visit(lo: number, hi: number): void {
    if (hi <= lo) return;
    const p = this.pts,
      b = this.box;
    const mid = (lo + hi) >> 1;
    // Squared distance from the query to this range's bounding box.
    const o = 6 * mid;
    const ex = Math.max(b[o] - this.qx, 0, this.qx - b[o + 3]),
      ey = Math.max(b[o + 1] - this.qy, 0, this.qy - b[o + 4]),
      ez = Math.max(b[o + 2] - this.qz, 0, this.qz - b[o + 5]);
    if (ex * ex + ey * ey + ez * ez >= this.best) return;
    if (hi - lo <= LEAF) {
      for (let j = lo; j < hi; j++) {
        const i = 3 * this.order[j];
        const dx = this.qx - p[i],
          dy = this.qy - p[i + 1],
          dz = this.qz - p[i + 2];
        const d2 = dx * dx + dy * dy + dz * dz;
        if (d2 < this.best) this.best = d2;
      }
      return;
    }
    const i = 3 * this.order[mid];
    const dx = this.qx - p[i],
      dy = this.qy - p[i + 1],
      dz = this.qz - p[i + 2];
    const d2 = dx * dx + dy * dy + dz * dz;
    if (d2 < this.best) this.best = d2;
    const ax = this.axis[mid];
    const diff = ax === 0 ? dx : ax === 1 ? dy : dz;
    // Near side first, so the far side meets the tightened bound (its box test does the pruning).
    if (diff < 0) {
      this.visit(lo, mid);
      this.visit(mid + 1, hi);
    } else {
      this.visit(mid + 1, hi);
      this.visit(lo, mid);
    }
  }
}

/** Distance from every point of `from` to its nearest point in `to`. */
export function nearestDistances(from: ArrayLike<number>, to: KdTree | ArrayLike<number>): Float64Array {
  const tree = to instanceof KdTree ? to : new KdTree(to);
  if (tree.size === 0) throw new Error('metrics: nearest neighbour against an empty point set');
  const n = Math.floor(from.length / 3);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++)
    out[i] = Math.sqrt(tree.nearestSq(from[3 * i], from[3 * i + 1], from[3 * i + 2]));
  return out;
}

export interface ChamferResult {
  cdL1: number;
  cdL2: number;
}

export interface FScoreResult {
  /** Percent of candidate points within τ of the reference. */
  precision: number;
  /** Percent of reference points within τ of the candidate. */
  recall: number;
  /** Harmonic mean of precision and recall, percent. */
  f1: number;
}

/** Chamfer from the two directed distance arrays (a→b and b→a). */
export function chamferFromDistances(dAB: Float64Array, dBA: Float64Array): ChamferResult {
  const mean = (d: Float64Array, sq: boolean): number => {
    let s = 0;
    for (let i = 0; i < d.length; i++) s += sq ? d[i] * d[i] : d[i];
    return s / d.length;
  };
  return {
    cdL1: 0.5 * (mean(dAB, false) + mean(dBA, false)),
    cdL2: 0.5 * (mean(dAB, true) + mean(dBA, true)),
  };
}

/** F-score at threshold τ from the two directed distance arrays (strict d < τ). */
export function fScoreFromDistances(dAB: Float64Array, dBA: Float64Array, tau: number): FScoreResult {
  const frac = (d: Float64Array): number => {
    let c = 0;
    for (let i = 0; i < d.length; i++) if (d[i] < tau) c++;
    return (100 * c) / d.length;
  };
  const precision = frac(dAB),
    recall = frac(dBA);
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** Directed nearest distances both ways between point sets a and b (n×3 each). */
export function pairDistances(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): { dAB: Float64Array; dBA: Float64Array } {
  return { dAB: nearestDistances(a, new KdTree(b)), dBA: nearestDistances(b, new KdTree(a)) };
}
