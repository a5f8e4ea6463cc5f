// SAM 3D's pointmap normalisation (architecture doc 1.4 a, ObjectCentricSSI with use_scene_scale):
// shift_c = lower median of channel c over object pixels, scale = lower median over ALL pixels of
// max_c |P_c − shift_c|, P_n = (P − shift)/scale. Lower median = torch.nanmedian: NaN is ignored,
// ±inf counts as a value; of n values the one at sorted index (n−1)/2 (rounded down).
const f32 = Math.fround;

/** k-th smallest (0-based) of a, in place (Hoare quickselect). */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** torch.nanmedian of the values (NaN ignored, ±inf kept, lower median); NaN when none are left. */
export function lowerMedian(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) n++;
  if (n === 0) return NaN;
  const a = new Float64Array(n);
  n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) a[n++] = values[i];
  return select(a, (n - 1) >> 1);
}

export interface PointmapNormalisation {
  /** H×W×3 float32 (P − shift)/scale; NaN/±inf stay invalid. */
  points: Float32Array;
  scale: number;
  shift: [number, number, number];
  /** Set when the statistics could not be computed as the reference does (see the messages). */
  warnings: string[];
}

/**
 * Normalises an H×W×3 pointmap with the object mask (H×W, non-zero = object, i.e. M > 0.5).
 * If no object pixel is finite: scale 1, shift 0 (the reference's fallback). If the all-pixel median is
 * not a finite positive number (more than half the photo invalid), the median over finite pixels is used
 * instead, with a warning (the reference would produce an infinite scale).
 */
export function normalisePointmap(points: Float32Array, mask: Uint8Array): PointmapNormalisation {
  const n = mask.length;
  if (points.length !== n * 3) throw new Error(`normalisePointmap: ${points.length} values for ${n} pixels`);
  const warnings: string[] = [];
  let count = 0;
  let anyFinite = false;
  for (let i = 0; i < n; i++) {
    if (mask[i] === 0) continue;
    count++;
    const x = points[3 * i];
    const y = points[3 * i + 1];
    const z = points[3 * i + 2];
    if (Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z)) anyFinite = true;
  }
  if (!anyFinite) {
    warnings.push('depth: no object pixel has a finite 3D point; using scene scale 1 and shift 0');
    return { points: Float32Array.from(points), scale: 1, shift: [0, 0, 0], warnings };
  }
  const shift: [number, number, number] = [0, 0, 0];
  const channel = new Float32Array(count);
  for (let c = 0; c < 3; c++) {
    let k = 0;
    for (let i = 0; i < n; i++) if (mask[i] !== 0) channel[k++] = points[3 * i + c];
    shift[c] = lowerMedian(channel);
  }
  // max_c |P_c − shift_c| in float32; torch's max propagates NaN.
  const dev = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let c = 0; c < 3; c++) {
      const d = Math.abs(f32(points[3 * i + c] - shift[c]));
      if (Number.isNaN(d)) {
        m = NaN;
        break;
      }
      if (d > m) m = d;
    }
    dev[i] = m;
  }
  let scale = lowerMedian(dev);
  if (!(Number.isFinite(scale) && scale > 0)) {
    const finite = dev.filter((d) => Number.isFinite(d));
    const alt = lowerMedian(finite);
    warnings.push(
      `depth: the pointmap scale over all pixels is ${scale} (over half the photo has no valid depth); ` +
        `using the median over valid pixels (${alt})`,
    );
    scale = Number.isFinite(alt) && alt > 0 ? alt : 1;
  }
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 3; c++) out[3 * i + c] = f32(f32(points[3 * i + c] - shift[c]) / scale);
  return { points: out, scale, shift, warnings };
}
