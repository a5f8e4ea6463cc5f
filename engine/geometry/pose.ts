// Stage-1 pose outputs -> object pose in the camera frame, ScaleShiftInvariant convention
// (reference: inference_utils.pose_decoder + pose_target.ScaleShiftInvariant; architecture notes 1.9, 3.4).

export type Vec3 = [number, number, number];
/** Quaternion, real part first. */
export type Quat = [number, number, number, number];

export interface RawPose {
  /** Normalised 6D rotation (network output). */
  rot6d: ArrayLike<number>;
  /** Used as is: no activation and no mean/std. */
  translation: ArrayLike<number>;
  /** log scale per axis. */
  scale: ArrayLike<number>;
}

export interface Rot6dStats {
  rot6dMean: ArrayLike<number>;
  rot6dStd: ArrayLike<number>;
}

export interface Pose {
  /** 3×3 row-major; its columns are the Gram–Schmidt vectors b1, b2, b3. */
  rotation: number[];
  /** PyTorch3D matrix_to_quaternion(rotation): w ≥ 0 (standardize_quaternion). */
  quaternion: Quat;
  translation: Vec3;
  /** Isotropic: mean over axes of σ·exp(scale), times the downsample factor. */
  scale: number;
}

/** torch F.normalize: v / max(|v|, 1e-12). */
function normalize(v: Vec3): Vec3 {
  const d = Math.max(Math.hypot(v[0], v[1], v[2]), 1e-12);
  return [v[0] / d, v[1] / d, v[2] / d];
}

/** 6D -> R with columns b1 = n(a1), b2 = n(a2 − (b1·a2)b1), b3 = b1 × b2. Row-major. */
export function rot6dToMatrix(r6: ArrayLike<number>): number[] {
  const b1 = normalize([r6[0], r6[1], r6[2]]);
  const a2: Vec3 = [r6[3], r6[4], r6[5]];
  const dot = b1[0] * a2[0] + b1[1] * a2[1] + b1[2] * a2[2];
  const b2 = normalize([a2[0] - dot * b1[0], a2[1] - dot * b1[1], a2[2] - dot * b1[2]]);
  const b3: Vec3 = [
    b1[1] * b2[2] - b1[2] * b2[1],
    b1[2] * b2[0] - b1[0] * b2[2],
    b1[0] * b2[1] - b1[1] * b2[0],
  ];
  return [b1[0], b2[0], b3[0], b1[1], b2[1], b3[1], b1[2], b2[2], b3[2]];
}

/**
 * PyTorch3D matrix_to_quaternion (the version the reference pins): take the candidate with the largest
 * |q_i| (first on ties, like argmax), then flip the sign so that w ≥ 0 (standardize_quaternion).
 */
export function matrixToQuaternion(m: ArrayLike<number>): Quat {
  const [m00, m01, m02, m10, m11, m12, m20, m21, m22] = Array.from(m);
  const sq = (x: number): number => (x > 0 ? Math.sqrt(x) : 0);
  const qAbs = [
    sq(1 + m00 + m11 + m22),
    sq(1 + m00 - m11 - m22),
    sq(1 - m00 + m11 - m22),
    sq(1 - m00 - m11 + m22),
  ];
  let best = 0;
  for (let i = 1; i < 4; i++) if (qAbs[i] > qAbs[best]) best = i;
  const rows: Quat[] = [
    [qAbs[0] ** 2, m21 - m12, m02 - m20, m10 - m01],
    [m21 - m12, qAbs[1] ** 2, m10 + m01, m02 + m20],
    [m02 - m20, m10 + m01, qAbs[2] ** 2, m12 + m21],
    [m10 - m01, m20 + m02, m21 + m12, qAbs[3] ** 2],
  ];
  const denom = 2 * Math.max(qAbs[best], 0.1);
  const q = rows[best].map((v) => v / denom) as Quat;
  return q[0] < 0 ? [-q[0], -q[1], -q[2], -q[3]] : q;
}

/** PyTorch3D quaternion_to_matrix (w,x,y,z; need not be unit). Row-major 3×3. */
export function quaternionToMatrix(q: ArrayLike<number>): number[] {
  const [r, i, j, k] = [q[0], q[1], q[2], q[3]];
  const s = 2 / (r * r + i * i + j * j + k * k);
  return [
    1 - s * (j * j + k * k),
    s * (i * j - k * r),
    s * (i * k + j * r),
    s * (i * j + k * r),
    1 - s * (i * i + k * k),
    s * (j * k - i * r),
    s * (i * k - j * r),
    s * (j * k + i * r),
    1 - s * (i * i + j * j),
  ];
}

/**
 * Decode the stage-1 pose. `sceneScale` σ and `sceneShift` come from the pointmap normalisation
 * (σ = 1, shift = 0 without depth). The instance transform p ↦ p·diag(exp(s))·R + t is post-composed with
 * p ↦ σp + shift, giving scale σ·exp(s) (then averaged over axes and multiplied by downsampleFactor),
 * the same rotation, and translation σ·t + shift.
 */
export function decodePose(
  raw: RawPose,
  stats: Rot6dStats,
  sceneScale: number,
  sceneShift: ArrayLike<number>,
  downsampleFactor: number,
): Pose {
  const r6 = new Array<number>(6);
  for (let i = 0; i < 6; i++) r6[i] = raw.rot6d[i] * stats.rot6dStd[i] + stats.rot6dMean[i];
  const rotation = rot6dToMatrix(r6);
  const quaternion = matrixToQuaternion(rotation);
  const scale =
    ((sceneScale * Math.exp(raw.scale[0]) +
      sceneScale * Math.exp(raw.scale[1]) +
      sceneScale * Math.exp(raw.scale[2])) /
      3) *
    downsampleFactor;
  const translation: Vec3 = [
    sceneScale * raw.translation[0] + sceneShift[0],
    sceneScale * raw.translation[1] + sceneShift[1],
    sceneScale * raw.translation[2] + sceneShift[2],
  ];
  return { rotation, quaternion, translation, scale };
}

/** Canonical points (V×3, row vectors) to the camera frame: p·scale·R + t. Returns a new array. */
export function applyPose(vertices: Float32Array, pose: Pose): Float32Array {
  const R = pose.rotation,
    s = pose.scale,
    [tx, ty, tz] = pose.translation;
  const out = new Float32Array(vertices.length);
  for (let v = 0; v < vertices.length; v += 3) {
    const x = vertices[v] * s,
      y = vertices[v + 1] * s,
      z = vertices[v + 2] * s;
    out[v] = x * R[0] + y * R[3] + z * R[6] + tx;
    out[v + 1] = x * R[1] + y * R[4] + z * R[7] + ty;
    out[v + 2] = x * R[2] + y * R[5] + z * R[8] + tz;
  }
  return out;
}

/**
 * Focal ratio f_photo / f_pack between two pinhole cameras on the same image, each with its field of view
 * across the long side L (f = (L/2)/tan(fov/2)); L cancels, so the ratio depends on the two angles only.
 */
export function focalRatio(packFovDeg: number, photoFovDeg: number): number {
  for (const fov of [packFovDeg, photoFovDeg])
    if (!(fov > 0 && fov < 180))
      throw new RangeError(`field of view must be in (0, 180) degrees, got ${fov}`);
  if (packFovDeg === photoFovDeg) return 1;
  return Math.tan((packFovDeg * Math.PI) / 360) / Math.tan((photoFovDeg * Math.PI) / 360);
}

/**
 * A layout predicted for a pack's canonical camera (field of view `packFovDeg` on the long side; the manifest's
 * `pose.cameraFovDeg`) moved into the photo's real camera: t_z ← t_z·f_photo/f_pack, rotation, t_x, t_y and
 * scale unchanged. The object's centre keeps its pixel (u − cx = −f·x/z: f and z scale together) and its
 * apparent size f·s/z stays the same; only the object's own perspective foreshortening changes. Returns a new
 * pose (a copy when the two fields of view are equal).
 */
export function toPhotoCamera(pose: Pose, packFovDeg: number, photoCamera: { fovDeg: number }): Pose {
  const k = focalRatio(packFovDeg, photoCamera.fovDeg);
  const [tx, ty, tz] = pose.translation;
  return {
    rotation: [...pose.rotation],
    quaternion: [...pose.quaternion],
    translation: [tx, ty, tz * k],
    scale: pose.scale,
  };
}
