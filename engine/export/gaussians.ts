// Gaussian decoder output → standard 3DGS PLY (doc 1.11 activations, 1.12 fields).
import { assertRotation, toM3, matrixToQuatWxyz, type Mat3 } from './frames.ts';
import { plyHeader, type PlyProperty } from './ply.ts';

/** rep_config constants of the reference Gaussian decoder (doc 1.11). */
export const GS_VOXEL_SIZE = 1.5;
export const GS_SCALING_BIAS = 0.004;
export const GS_MIN_KERNEL = 0.0009;
export const GS_OPACITY_BIAS = 0.1;
export const GS_ROTATION_LR = 0.1;
/** Raw channels per Gaussian: xyz 3 + f_dc 3 + scaling 3 + rotation 4 + opacity 1. */
export const GS_CHANNELS = 14;
/**
 * Rotation the reference's `save_ply` applies by default, (x, y, z) ↦ (x, −z, y) as v·Tᵀ: canonical
 * z-up to the y-down frame most 3DGS viewers assume. Not applied unless passed as `transform`.
 */
export const GS_VIEWER_TRANSFORM: readonly (readonly number[])[] = [
  [1, 0, 0],
  [0, 0, -1],
  [0, 1, 0],
];

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29];

/** Van der Corput radical inverse of the non-negative integer n in `base`. */
export function radicalInverse(base: number, n: number): number {
  let val = 0;
  let f = 1 / base;
  for (let k = n; k > 0; k = Math.floor(k / base), f /= base) val += (k % base) * f;
  return val;
}

/** Hammersley point i of n in `dim` dimensions: [i/n, radinv₂(i), radinv₃(i), …]. */
export function hammersley(dim: number, i: number, n: number): number[] {
  if (dim - 1 > PRIMES.length) throw new Error(`hammersley: dim ${dim} too large`);
  const out = [i / n];
  for (let d = 0; d < dim - 1; d++) out.push(radicalInverse(PRIMES[d], i));
  return out;
}

/** The decoder's `offset_perturbation` buffer (G*3): atanh((hammersley(3, g, G)·2 − 1)/voxel_size). */
export function offsetPerturbation(perVoxel: number): Float32Array {
  const out = new Float32Array(perVoxel * 3);
  for (let g = 0; g < perVoxel; g++) {
    const h = hammersley(3, g, perVoxel);
    for (let k = 0; k < 3; k++) out[g * 3 + k] = Math.atanh((h[k] * 2 - 1) / GS_VOXEL_SIZE);
  }
  return out;
}

export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
export function inverseSoftplus(y: number): number {
  return y + Math.log(-Math.expm1(-y));
}
export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/** PLY-ready Gaussian fields, Gaussian i = voxel·G + g. */
export interface PlyGaussians {
  count: number;
  /** count*3, canonical frame (xyz − 0.5), unless a transform was applied. */
  xyz: Float32Array;
  /** count*3 raw SH degree-0 coefficients. */
  fdc: Float32Array;
  /** count, logit of the activated opacity. */
  opacity: Float32Array;
  /** count*3, log of the activated scale. */
  logScale: Float32Array;
  /** count*4 (w, x, y, z), 0.1·raw + [1,0,0,0], not normalised (as the reference writes it). */
  rotation: Float32Array;
}

export interface GaussianPlyOptions {
  /** Optional rotation T applied as xyz·Tᵀ and q ↦ q_T⊗q (e.g. GS_VIEWER_TRANSFORM). */
  transform?: Mat3;
}

/**
 * Activates raw decoder channels. `raw` is N rows of 14·G channels, each row laid out in field blocks
 * [xyz G*3 | f_dc G*3 | scaling G*3 | rotation G*4 | opacity G], each block Gaussian-major (G, k).
 * `coords` are N*3 voxel coordinates (x, y, z) on the `res` grid.
 */
export function activateGaussians(
  raw: Float32Array,
  coords: Int32Array,
  res: number,
  perVoxel: number,
  perturbation: Float32Array = offsetPerturbation(perVoxel),
  options: GaussianPlyOptions = {},
): PlyGaussians {
  const G = perVoxel;
  if (!(Number.isInteger(G) && G >= 1)) throw new Error(`perVoxel: expected a positive integer, got ${G}`);
  if (!(res > 0)) throw new Error(`res: expected > 0, got ${res}`);
  if (coords.length % 3 !== 0) throw new Error(`coords: length ${coords.length} is not a multiple of 3`);
  const N = coords.length / 3;
  const C = GS_CHANNELS * G;
  if (raw.length !== N * C) throw new Error(`raw: length ${raw.length}, expected N·14·G = ${N * C}`);
  if (perturbation.length !== G * 3)
    throw new Error(`offsetPerturbation: length ${perturbation.length}, expected ${G * 3}`);

  const oXyz = 0,
    oDc = 3 * G,
    oScale = 6 * G,
    oRot = 9 * G,
    oOpa = 13 * G;
  const scaleBias = inverseSoftplus(GS_SCALING_BIAS);
  const opacityBias = logit(GS_OPACITY_BIAS);
  const minK2 = GS_MIN_KERNEL * GS_MIN_KERNEL;
  const offScale = (0.5 * GS_VOXEL_SIZE) / res;

  let t: number[] | undefined;
  let qt: number[] | undefined;
  if (options.transform) {
    const m = toM3(options.transform, 'transform');
    assertRotation(m, 'transform');
    t = m;
    qt = matrixToQuatWxyz(m);
  }

  const count = N * G;
  const xyz = new Float32Array(count * 3);
  const fdc = new Float32Array(count * 3);
  const opacity = new Float32Array(count);
  const logScale = new Float32Array(count * 3);
  const rotation = new Float32Array(count * 4);
  const p = [0, 0, 0];
  const q = [0, 0, 0, 0];
  for (let n = 0; n < N; n++) {
    const row = n * C;
    for (let g = 0; g < G; g++) {
      const i = n * G + g;
      for (let k = 0; k < 3; k++) {
        const off = Math.tanh(raw[row + oXyz + g * 3 + k] + perturbation[g * 3 + k]) * offScale;
        p[k] = (coords[n * 3 + k] + 0.5) / res + off - 0.5; // aabb [-0.5, 1] maps [0,1]³ to [-0.5,0.5]³
        fdc[i * 3 + k] = raw[row + oDc + g * 3 + k];
        const s = softplus(raw[row + oScale + g * 3 + k] + scaleBias);
        logScale[i * 3 + k] = 0.5 * Math.log(s * s + minK2);
      }
      // logit(σ(x)) written as x directly: identical, and never ±inf where σ saturates in float32.
      opacity[i] = raw[row + oOpa + g] + opacityBias;
      for (let k = 0; k < 4; k++) q[k] = GS_ROTATION_LR * raw[row + oRot + g * 4 + k] + (k === 0 ? 1 : 0);
      if (t && qt) {
        const [x, y, z] = p;
        p[0] = t[0] * x + t[1] * y + t[2] * z;
        p[1] = t[3] * x + t[4] * y + t[5] * z;
        p[2] = t[6] * x + t[7] * y + t[8] * z;
        const [w1, x1, y1, z1] = qt;
        const [w2, x2, y2, z2] = q;
        q[0] = w1 * w2 - x1 * x2 - y1 * y2 - z1 * z2;
        q[1] = w1 * x2 + x1 * w2 + y1 * z2 - z1 * y2;
        q[2] = w1 * y2 - x1 * z2 + y1 * w2 + z1 * x2;
        q[3] = w1 * z2 + x1 * y2 - y1 * x2 + z1 * w2;
      }
      xyz.set(p, i * 3);
      rotation.set(q, i * 4);
    }
  }
  return { count, xyz, fdc, opacity, logScale, rotation };
}

const GS_PROPS: PlyProperty[] = [
  'x',
  'y',
  'z',
  'nx',
  'ny',
  'nz',
  'f_dc_0',
  'f_dc_1',
  'f_dc_2',
  'opacity',
  'scale_0',
  'scale_1',
  'scale_2',
  'rot_0',
  'rot_1',
  'rot_2',
  'rot_3',
].map((name) => ({ name, type: 'float' as const }));

/** Standard 3DGS binary PLY (17 float32 fields per Gaussian) from raw Gaussian decoder output. */
export function gaussiansToPly(
  raw: Float32Array,
  coords64: Int32Array,
  res: number,
  perVoxel: number,
  offsetPerturbationOverride?: Float32Array,
  options: GaussianPlyOptions = {},
): Uint8Array {
  const gs = activateGaussians(raw, coords64, res, perVoxel, offsetPerturbationOverride, options);
  const header = new TextEncoder().encode(plyHeader(gs.count, GS_PROPS));
  const stride = GS_PROPS.length * 4;
  const out = new Uint8Array(header.length + gs.count * stride);
  out.set(header);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < gs.count; i++) {
    let o = header.length + i * stride;
    const put = (v: number): void => {
      dv.setFloat32(o, v, true);
      o += 4;
    };
    put(gs.xyz[i * 3]);
    put(gs.xyz[i * 3 + 1]);
    put(gs.xyz[i * 3 + 2]);
    put(0);
    put(0);
    put(0);
    put(gs.fdc[i * 3]);
    put(gs.fdc[i * 3 + 1]);
    put(gs.fdc[i * 3 + 2]);
    put(gs.opacity[i]);
    put(gs.logScale[i * 3]);
    put(gs.logScale[i * 3 + 1]);
    put(gs.logScale[i * 3 + 2]);
    put(gs.rotation[i * 4]);
    put(gs.rotation[i * 4 + 1]);
    put(gs.rotation[i * 4 + 2]);
    put(gs.rotation[i * 4 + 3]);
  }
  return out;
}
