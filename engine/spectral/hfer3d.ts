// 3D high-frequency energy ratio of the stage-1 occupancy logits and a per-voxel high-frequency score
// (Fast-SAM3D fft3d.analyze_voxel_frequency, filter radius 8 on the 64³ grid).
import { fftn, isPow2, nextPow2, signedFreq } from './fft.ts';

/** The reference's high-pass radius, in frequency bins of a 64-point axis. */
export const HFER3D_RADIUS = 8;
const REFERENCE_GRID = 64;

export type VoxelFrequency = {
  /** Σ|F|·[d² ≥ r²] / Σ|F| (DC included), 0 when the grid is empty. */
  hfer: number;
  /** Per row of `coords`: |IFFT(high-passed F)| at the voxel, min-max normalised over the rows. */
  scores: Float32Array;
};

/**
 * `logits` is the res³ stage-1 decoder output (x,y,z, C order); the grid holds the raw positive logits
 * (not a 0/1 occupancy) as in the reference. `coords` (N×3) are the voxels to score.
 *
 * fft.js needs power-of-two axes. res = 64 (SAM 3D) needs no padding. Another res is zero-padded to the
 * next power of two P: the logits outside the object are already zero, so padding only adds empty space,
 * and the cut-off is kept at the same spatial frequency (8/64 cycles per voxel, i.e. radius 8·P/64).
 */
export function analyzeVoxelFrequency(
  logits: Float32Array,
  res: number,
  coords: Int32Array,
  radius = HFER3D_RADIUS,
): VoxelFrequency {
  if (logits.length !== res * res * res)
    throw new Error(`analyzeVoxelFrequency: ${logits.length} logits for res ${res}`);
  const P = isPow2(res) ? res : nextPow2(res);
  const r = (radius * P) / REFERENCE_GRID;
  const r2 = r * r;
  const data = new Float64Array(2 * P * P * P);
  for (let x = 0; x < res; x++) {
    for (let y = 0; y < res; y++) {
      for (let z = 0; z < res; z++) {
        const v = logits[(x * res + y) * res + z];
        if (v > 0) data[2 * ((x * P + y) * P + z)] = v;
      }
    }
  }
  fftn(data, [P, P, P]);

  let total = 0,
    high = 0;
  for (let i = 0, kx = 0; kx < P; kx++) {
    const fx = signedFreq(kx, P);
    for (let ky = 0; ky < P; ky++) {
      const fy = signedFreq(ky, P);
      for (let kz = 0; kz < P; kz++, i++) {
        const fz = signedFreq(kz, P);
        const m = Math.sqrt(data[2 * i] * data[2 * i] + data[2 * i + 1] * data[2 * i + 1]);
        total += m;
        if (fx * fx + fy * fy + fz * fz >= r2) high += m;
        else data[2 * i] = data[2 * i + 1] = 0; // keep only the high band for the spatial map
      }
    }
  }
  const hfer = total > 1e-6 ? high / total : 0;

  const n = coords.length / 3;
  const scores = new Float32Array(n);
  if (n === 0) return { hfer, scores };
  fftn(data, [P, P, P], true);
  let lo = Infinity,
    hi = -Infinity;
  const raw = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const x = coords[3 * k],
      y = coords[3 * k + 1],
      z = coords[3 * k + 2];
    const i = (x * P + y) * P + z;
    const v = Math.sqrt(data[2 * i] * data[2 * i] + data[2 * i + 1] * data[2 * i + 1]);
    raw[k] = v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // The reference leaves constant scores raw; a constant carries no ranking, and scores must be in [0,1].
  if (hi > lo) for (let k = 0; k < n; k++) scores[k] = (raw[k] - lo) / (hi - lo);
  return { hfer, scores };
}
