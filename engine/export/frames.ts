// Frames and small 3x3 helpers shared by the exporters. Matrices are row-major and act on row
// vectors (v·M), the PyTorch3D/trimesh convention used by the reference (architecture doc 1.9, 1.12).

/** A 3x3 matrix: three rows, or nine numbers row-major. */
export type Mat3 = ReadonlyArray<ReadonlyArray<number>> | ArrayLike<number>;
/** Row-major 3x3 as a plain 9-number array (internal form). */
export type M3 = [number, number, number, number, number, number, number, number, number];

/** Decoder z-up canonical frame → glTF y-up: (x, y, z) ↦ (x, z, −y) as v·M (doc 1.12). */
export const Z_UP_TO_Y_UP: readonly (readonly number[])[] = [
  [1, 0, 0],
  [0, 0, -1],
  [0, 1, 0],
];

/**
 * PyTorch3D camera frame (x left, y up, z forward) → glTF camera frame (x right, y up, camera looks
 * down −z). A 180° turn about y, so it is a proper rotation and handedness is kept.
 */
export const PYTORCH3D_TO_GLTF_CAMERA: readonly (readonly number[])[] = [
  [-1, 0, 0],
  [0, 1, 0],
  [0, 0, -1],
];

export function toM3(m: Mat3, what = 'matrix'): M3 {
  let out: number[];
  const first = (m as ArrayLike<unknown>)[0];
  if (typeof first === 'number') {
    const flat = m as ArrayLike<number>;
    if (flat.length !== 9) throw new Error(`${what}: expected 9 numbers, got ${flat.length}`);
    out = Array.from(flat);
  } else {
    const rows = m as ReadonlyArray<ReadonlyArray<number>>;
    if (rows.length !== 3 || rows.some((r) => r.length !== 3)) throw new Error(`${what}: expected 3x3 rows`);
    out = [...rows[0], ...rows[1], ...rows[2]];
  }
  if (!out.every(Number.isFinite)) throw new Error(`${what}: non-finite entry`);
  return out as M3;
}

export function mul3(a: M3, b: M3): M3 {
  const o = new Array<number>(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      o[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
  return o as M3;
}

export function transpose3(a: M3): M3 {
  return [a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]];
}

export function det3(a: M3): number {
  return (
    a[0] * (a[4] * a[8] - a[5] * a[7]) -
    a[1] * (a[3] * a[8] - a[5] * a[6]) +
    a[2] * (a[3] * a[7] - a[4] * a[6])
  );
}

/** Throws unless `a` is a proper rotation (orthonormal, det +1) within `tol`. */
export function assertRotation(a: M3, what: string, tol = 1e-3): void {
  const p = mul3(a, transpose3(a));
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      if (Math.abs(p[i * 3 + j] - (i === j ? 1 : 0)) > tol) throw new Error(`${what}: not orthonormal`);
  if (det3(a) < 0) throw new Error(`${what}: is a reflection (det < 0), not a rotation`);
}

/** out[i] = v[i]·M for V row vectors packed xyz. */
export function applyRows(v: Float32Array, m: M3): Float32Array {
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i += 3) {
    const x = v[i],
      y = v[i + 1],
      z = v[i + 2];
    out[i] = x * m[0] + y * m[3] + z * m[6];
    out[i + 1] = x * m[1] + y * m[4] + z * m[7];
    out[i + 2] = x * m[2] + y * m[5] + z * m[8];
  }
  return out;
}

/** Unit quaternion (w, x, y, z) of a column-vector rotation matrix (row-major storage). */
export function matrixToQuatWxyz(r: M3): [number, number, number, number] {
  const [m00, m01, m02, m10, m11, m12, m20, m21, m22] = r;
  const tr = m00 + m11 + m22;
  let w: number, x: number, y: number, z: number;
  // Pick the largest diagonal term for numerical stability.
  if (tr > 0) {
    const s = Math.sqrt(tr + 1) * 2;
    w = 0.25 * s;
    x = (m21 - m12) / s;
    y = (m02 - m20) / s;
    z = (m10 - m01) / s;
  } else if (m00 > m11 && m00 > m22) {
    const s = Math.sqrt(1 + m00 - m11 - m22) * 2;
    w = (m21 - m12) / s;
    x = 0.25 * s;
    y = (m01 + m10) / s;
    z = (m02 + m20) / s;
  } else if (m11 > m22) {
    const s = Math.sqrt(1 + m11 - m00 - m22) * 2;
    w = (m02 - m20) / s;
    x = (m01 + m10) / s;
    y = 0.25 * s;
    z = (m12 + m21) / s;
  } else {
    const s = Math.sqrt(1 + m22 - m00 - m11) * 2;
    w = (m10 - m01) / s;
    x = (m02 + m20) / s;
    y = (m12 + m21) / s;
    z = 0.25 * s;
  }
  const n = Math.hypot(w, x, y, z);
  return [w / n, x / n, y / n, z / n];
}

/**
 * Object pose from the pose decoder (doc 1.9), PyTorch3D conventions: a canonical z-up point p maps
 * to the camera frame as `(p·diag(scale))·rotation + translation` (row vectors), where
 * rotation = quaternion_to_matrix(q). Units are MoGe metric (metres).
 */
export interface ObjectPose {
  rotation: Mat3;
  translation: ArrayLike<number>;
  /** Uniform scale, or per-axis scale in the canonical z-up frame. */
  scale: number | ArrayLike<number>;
}

/**
 * glTF node matrix (column-major 4x4) that places a mesh whose vertices are already y-up
 * (v_yup = v_zup·M) into the **glTF camera frame**: origin at the camera centre, +x right, +y up,
 * the camera looking down −z, metres. A default glTF camera at the origin therefore sees the object
 * where it was in the photo. Derivation (row vectors): v_zup = v_yup·Mᵀ, v_p3d = (v_zup·S)·R + t,
 * v_gl = v_p3d·C with C = diag(−1, 1, −1). So v_gl = v_yup·(Mᵀ·S·R·C) + t·C, and glTF's
 * column-vector matrix is the transpose of that row form.
 */
export function poseToGltfMatrix(pose: ObjectPose, zUpToYUp: Mat3): number[] {
  const m = toM3(zUpToYUp, 'zUpToYUp');
  assertRotation(m, 'zUpToYUp');
  const r = toM3(pose.rotation, 'pose.rotation');
  assertRotation(r, 'pose.rotation');
  const s = typeof pose.scale === 'number' ? [pose.scale, pose.scale, pose.scale] : Array.from(pose.scale);
  if (s.length !== 3 || !s.every((v) => Number.isFinite(v) && v > 0))
    throw new Error('pose.scale: need positive finite values');
  const t = Array.from(pose.translation);
  if (t.length !== 3 || !t.every(Number.isFinite)) throw new Error('pose.translation: need 3 finite numbers');

  const S: M3 = [s[0], 0, 0, 0, s[1], 0, 0, 0, s[2]];
  const mt = transpose3(m);
  // A non-uniform scale must stay axis-aligned in the y-up frame or the node would need a shear.
  const sY = mul3(mul3(mt, S), m);
  if (
    Math.abs(sY[1]) +
      Math.abs(sY[2]) +
      Math.abs(sY[3]) +
      Math.abs(sY[5]) +
      Math.abs(sY[6]) +
      Math.abs(sY[7]) >
    1e-6
  )
    throw new Error('pose.scale: non-uniform scale is not axis-aligned after zUpToYUp');
  const c = toM3(PYTORCH3D_TO_GLTF_CAMERA);
  const b = mul3(mul3(mul3(mt, S), r), c); // row form: v_gl = v_yup·b + tc
  const tc = [t[0] * c[0], t[1] * c[4], t[2] * c[8]];
  // Column-major of bᵀ is row-major of b.
  return [b[0], b[1], b[2], 0, b[3], b[4], b[5], 0, b[6], b[7], b[8], 0, tc[0], tc[1], tc[2], 1];
}
