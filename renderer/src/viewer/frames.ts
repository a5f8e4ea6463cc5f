// Coordinate frames of the viewer (all matrices row-major, row vectors v·M as in the engine).
//
// - Canonical mesh (MeshData, decoder output): z-up, inside [-0.5, 0.5]^3.
// - Single-object view: three.js is y-up, so vertices are shown as v_y = (x, z, -y) = v_z·M with
//   M = [[1,0,0],[0,0,-1],[0,1,0]] (the same z-up → y-up turn the GLB exporter applies).
// - Pose (RunResult.pose) lives in the PyTorch3D camera frame (x left, y up, z forward into the
//   scene): p_cam = (v_z·scale)·R + t.
// - Scene view world = the OpenGL/glTF camera frame (x right, y up, the photo's camera at the origin
//   looking down −z): C = diag(−1, 1, −1), a 180° turn about y (proper, keeps handedness).
// From the y-up geometry: v_z = v_y·Mᵀ, so v_gl = v_y·(Mᵀ·s·R·C) + t·C. three.js multiplies column
// vectors, so its Matrix4 is the transpose of that row form (see sceneMatrixElements).
import type { Pose } from '../client/api';

export type M3 = number[]; // 9 numbers, row-major

export const Z_UP_TO_Y_UP: M3 = [1, 0, 0, 0, 0, -1, 0, 1, 0];
const CAMERA_P3D_TO_GL: M3 = [-1, 0, 0, 0, 1, 0, 0, 0, -1];

export function mul3(a: M3, b: M3): M3 {
  const o = new Array<number>(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      o[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
  return o;
}

export function transpose3(a: M3): M3 {
  return [a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]];
}

/** Canonical z-up vertices → y-up: (x, y, z) ↦ (x, z, −y). */
export function zUpToYUp(v: Float32Array): Float32Array {
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i += 3) {
    out[i] = v[i];
    out[i + 1] = v[i + 2];
    out[i + 2] = -v[i + 1];
  }
  return out;
}

/** Row form (B, tc) of the pose for y-up geometry: v_gl = v_y·B + tc. */
export function poseRowForm(pose: Pose): { b: M3; t: [number, number, number] } {
  const s = pose.scale;
  const r = pose.rotation.length === 9 ? pose.rotation : [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const sr = r.map((x) => x * s);
  const b = mul3(mul3(transpose3(Z_UP_TO_Y_UP), sr), CAMERA_P3D_TO_GL);
  const [tx, ty, tz] = pose.translation;
  return { b, t: [-tx, ty, -tz] };
}

/** Row-major 4×4 entries for THREE.Matrix4.set (column-vector convention). */
export function sceneMatrixElements(pose: Pose): number[] {
  const { b, t } = poseRowForm(pose);
  return [b[0], b[3], b[6], t[0], b[1], b[4], b[7], t[1], b[2], b[5], b[8], t[2], 0, 0, 0, 1];
}

/** Apply the row form to one canonical z-up point (for tests and bounds). */
export function placeCanonicalPoint(pose: Pose, p: [number, number, number]): [number, number, number] {
  const y = zUpToYUp(new Float32Array(p));
  const { b, t } = poseRowForm(pose);
  return [0, 1, 2].map((j) => y[0] * b[j] + y[1] * b[3 + j] + y[2] * b[6 + j] + t[j]) as [
    number,
    number,
    number,
  ];
}

/** Centre of an occupancy voxel (grid coords, z-up) in the y-up canonical frame. */
export function voxelCenterYUp(x: number, y: number, z: number, res: number): [number, number, number] {
  const c = (i: number) => (i + 0.5) / res - 0.5;
  return [c(x), c(z), -c(y)];
}
