// Mask guidance of the stage-1 structure: the user's mask says where the object is in the photo, stage 1
// only approximates it. With the layout fitted to the mask on the voxels' own silhouette, two edits:
// - carve: drop occupied voxels whose footprint in the photo holds no mask pixel (over-extension);
// - fill: where mask pixels are covered by no voxel, add the voxel of highest logit in front of them if that
//   logit is within FILL_MARGIN of the threshold (thin parts, e.g. chair legs, that stage 1 draws weakly).
// Stage 2 and the decoders then work on the edited set. An upper bound on 64 validation images of the nano
// pack, with the true outline: outline IoU 0.76 → 0.86 by carving, → 0.89 by filling (modeling/nano/DESIGN.md).
// Works in any pack's frame: it only needs the decoded layout and the photo's camera.
import { fitLayoutToMask, workMask } from '../layout/fit-to-mask.ts';
import type { PinholeCamera } from '../metrics/silhouette.ts';
import { occupiedCoords } from './occupancy.ts';
import { applyPose, type Pose } from './pose.ts';
import { voxelSurfaceMesh } from './voxel-mesh.ts';

/** A filled voxel's logit may sit this far (logit units) below the occupancy threshold. */
export const FILL_MARGIN = 8;
/** Below this silhouette IoU of the fitted voxels the layout is too uncertain to edit by: leave stage 1 as is. */
export const MIN_LAYOUT_IOU = 0.5;

export interface MaskGuideInput {
  /** Stage-1 occupancy logits, G³, index (x·G + y)·G + z. */
  logits: Float32Array;
  res: number;
  threshold: number;
  /** The decoded layout (no downsampling) in the photo's camera. */
  pose: Pose;
  camera: PinholeCamera;
  /** H×W at the camera's resolution, object where ≥ 0.5. */
  mask: ArrayLike<number>;
}

/** What the guide did (RunReport.voxels.maskGuide). */
export interface MaskGuideStats {
  carved: number;
  added: number;
  /** Silhouette IoU of stage 1's voxels (layout fitted, work resolution) before the edit. */
  layoutIoU: number;
  /** False when the layout was too uncertain (or the set empty) and nothing was edited. */
  applied: boolean;
}

export interface MaskGuideResult {
  /** N×3 grid indices in index order, as occupiedCoords returns them. */
  coords: Int32Array;
  stats: MaskGuideStats;
}

export function guideStructureByMask({
  logits,
  res: G,
  threshold,
  pose,
  camera,
  mask,
}: MaskGuideInput): MaskGuideResult {
  const occupied = occupiedCoords(logits, G, threshold);
  const unchanged = (layoutIoU: number): MaskGuideResult => ({
    coords: occupied,
    stats: { carved: 0, added: 0, layoutIoU, applied: false },
  });
  if (occupied.length === 0) return unchanged(0);
  const fit = fitLayoutToMask({ mesh: voxelSurfaceMesh(occupied, G), pose, mask, camera });
  const layoutIoU = Math.max(fit.iouBefore, fit.iouAfter);
  if (layoutIoU < MIN_LAYOUT_IOU) return unchanged(layoutIoU);
  const posed = fit.iouAfter > fit.iouBefore ? fit.pose : pose;
  const { target, cam } = workMask(mask, camera);
  const { width: W, height: H } = cam;

  // Every cell's centre in the photo (work pixels) and its footprint's half width there.
  const n = G * G * G;
  const centres = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    centres[3 * i] = (Math.floor(i / (G * G)) + 0.5) / G - 0.5;
    centres[3 * i + 1] = ((Math.floor(i / G) % G) + 0.5) / G - 0.5;
    centres[3 * i + 2] = ((i % G) + 0.5) / G - 0.5;
  }
  const cams = applyPose(centres, posed);
  const u = new Float32Array(n),
    v = new Float32Array(n),
    half = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const z = cams[3 * i + 2];
    if (!(z > 1e-6)) {
      half[i] = -1; // behind the camera: never edited
      continue;
    }
    u[i] = cam.cx - (cam.fx * cams[3 * i]) / z;
    v[i] = cam.cy - (cam.fy * cams[3 * i + 1]) / z;
    half[i] = (0.5 * cam.fx * posed.scale) / (G * z);
  }
  const box = (i: number, grow: number) => [
    Math.max(0, Math.floor(u[i] - half[i] - grow)),
    Math.min(W - 1, Math.floor(u[i] + half[i] + grow)),
    Math.max(0, Math.floor(v[i] - half[i] - grow)),
    Math.min(H - 1, Math.floor(v[i] + half[i] + grow)),
  ];

  // Carve, with one pixel of slack: a voxel is kept if any mask pixel lies in its grown footprint.
  const sat = summedArea(target, W, H);
  const keep = new Uint8Array(n);
  let carved = 0;
  for (let k = 0; k < occupied.length; k += 3) {
    const i = (occupied[k] * G + occupied[k + 1]) * G + occupied[k + 2];
    const [i0, i1, j0, j1] = box(i, 1);
    if (half[i] < 0 || (i0 <= i1 && j0 <= j1 && boxSum(sat, W, i0, i1, j0, j1) > 0)) keep[i] = 1;
    else carved++;
  }

  // Fill: paint the kept voxels' footprints, then add candidates best logit first while their centre pixel
  // is an uncovered mask pixel.
  const covered = new Uint8Array(W * H);
  const paint = (i: number) => {
    const [i0, i1, j0, j1] = box(i, 0);
    for (let j = j0; j <= j1; j++) covered.fill(1, j * W + i0, j * W + i1 + 1);
  };
  const pixelOf = (i: number) => {
    const pi = Math.floor(u[i]),
      pj = Math.floor(v[i]);
    return pi >= 0 && pi < W && pj >= 0 && pj < H ? pj * W + pi : -1;
  };
  for (let i = 0; i < n; i++) if (keep[i]) paint(i);
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) {
    if (keep[i] || half[i] < 0 || !(logits[i] > threshold - FILL_MARGIN) || logits[i] > threshold) continue;
    const p = pixelOf(i);
    if (p >= 0 && target[p] && !covered[p]) candidates.push(i);
  }
  candidates.sort((a, b) => logits[b] - logits[a] || a - b);
  let added = 0;
  for (const i of candidates) {
    if (covered[pixelOf(i)]) continue;
    keep[i] = 1;
    paint(i);
    added++;
  }

  let count = 0;
  for (let i = 0; i < n; i++) count += keep[i];
  const coords = new Int32Array(3 * count);
  for (let i = 0, r = 0; i < n; i++) {
    if (!keep[i]) continue;
    coords[r++] = Math.floor(i / (G * G));
    coords[r++] = Math.floor(i / G) % G;
    coords[r++] = i % G;
  }
  return { coords, stats: { carved, added, layoutIoU, applied: true } };
}

/** (W+1)×(H+1) summed-area table of a 0/1 image. */
function summedArea(m: Uint8Array, W: number, H: number): Int32Array {
  const s = new Int32Array((W + 1) * (H + 1));
  for (let j = 0; j < H; j++)
    for (let i = 0, row = 0; i < W; i++) {
      row += m[j * W + i];
      s[(j + 1) * (W + 1) + i + 1] = s[j * (W + 1) + i + 1] + row;
    }
  return s;
}

/** Sum over pixels [i0, i1] × [j0, j1] (inclusive). */
function boxSum(s: Int32Array, W: number, i0: number, i1: number, j0: number, j1: number): number {
  const w = W + 1;
  return s[(j1 + 1) * w + i1 + 1] - s[j0 * w + i1 + 1] - s[(j1 + 1) * w + i0] + s[j0 * w + i0];
}
