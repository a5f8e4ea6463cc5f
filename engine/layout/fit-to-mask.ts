// Layout fitting: move and scale the predicted layout in the image plane so that the posed mesh's
// silhouette matches the input mask (the reference's optional "layout post-optimisation" does a
// render-and-compare against the mask too; ours keeps the network's rotation and depth and fits only the
// image-plane offset and the scale, which the mask determines).
//
// Parameters: (du, dv) pixels of image-plane shift of the object's origin at its depth, and k, a log scale
// about that origin. A camera-frame vertex P becomes (P − t)·e^k + t + (−du·t_z/f, −dv·t_z/f, 0), i.e. the
// pose's scale is multiplied by e^k and its translation moves parallel to the image plane.
//
// Search: three moment-matching steps (area ratio → scale, centroid → shift), then a pattern search on the
// IoU itself. Run on a copy of the mask at most WORK_SIDE pixels on its long side (the search rasterises the
// mesh some 40 times). The result is never worse than the network's layout at that resolution.
import { applyPose, type Pose } from '../geometry/pose.ts';
import { maskIoU, type PinholeCamera } from '../metrics/silhouette.ts';
import type { TriMesh } from '../metrics/types.ts';
import { OutlineRaster } from './outline-raster.ts';

const WORK_SIDE = 320;
const MOMENT_STEPS = 3;
const SEARCH_ROUNDS = 12;

export interface LayoutFitInput {
  mesh: TriMesh;
  pose: Pose;
  /** H×W, object where ≥ 0.5. */
  mask: ArrayLike<number>;
  camera: PinholeCamera;
}

export interface LayoutFitResult {
  pose: Pose;
  /** IoU at the work resolution before and after (after ≥ before). */
  iouBefore: number;
  iouAfter: number;
  /** Image-plane shift (full-resolution pixels) and scale factor applied. */
  shift: [number, number];
  scaleFactor: number;
}

type Params = { du: number; dv: number; k: number };

/**
 * The mask at most `side` pixels on its long side (nearest sample, object where ≥ 0.5) and the camera scaled
 * with it by `r`.
 */
export function workMask(
  mask: ArrayLike<number>,
  camera: PinholeCamera,
  side = WORK_SIDE,
): { target: Uint8Array; cam: PinholeCamera; r: number } {
  const r = Math.min(1, side / Math.max(camera.width, camera.height));
  const W = Math.max(1, Math.round(camera.width * r)),
    H = Math.max(1, Math.round(camera.height * r));
  const cam: PinholeCamera = {
    ...camera,
    width: W,
    height: H,
    fx: camera.fx * r,
    fy: camera.fy * r,
    cx: camera.cx * r,
    cy: camera.cy * r,
  };
  const target = new Uint8Array(W * H);
  for (let j = 0; j < H; j++) {
    const sj = Math.min(camera.height - 1, Math.floor((j + 0.5) / r));
    for (let i = 0; i < W; i++) {
      const si = Math.min(camera.width - 1, Math.floor((i + 0.5) / r));
      target[j * W + i] = mask[sj * camera.width + si] >= 0.5 ? 1 : 0;
    }
  }
  return { target, cam, r };
}

export function fitLayoutToMask({ mesh, pose, mask, camera }: LayoutFitInput): LayoutFitResult {
  const { target, cam, r } = workMask(mask, camera);
  const { width: W, height: H } = cam;
  const maskM = moments(target, W, H);
  const base = applyPose(Float32Array.from(mesh.vertices), pose);
  const [tx, ty, tz] = pose.translation;
  const moved = new Float32Array(base.length);
  // Our meshes are closed, so the outline of one face orientation draws the silhouette (were one open, the
  // fit would see less of it; the pipeline keeps a fit only if the exact IoU improves).
  const raster = new OutlineRaster(mesh.faces, base.length / 3);
  const render = ({ du, dv, k }: Params) => {
    const e = Math.exp(k);
    const dx = (-du * r * tz) / cam.fx,
      dy = (-dv * r * tz) / cam.fy;
    for (let v = 0; v < base.length; v += 3) {
      moved[v] = (base[v] - tx) * e + tx + dx;
      moved[v + 1] = (base[v + 1] - ty) * e + ty + dy;
      moved[v + 2] = (base[v + 2] - tz) * e + tz;
    }
    return raster.render(moved, cam);
  };
  const iou = (p: Params) => maskIoU(render(p), target);

  const start: Params = { du: 0, dv: 0, k: 0 };
  const before = iou(start);
  let best = start,
    bestIoU = before;
  if (maskM.area > 0 && tz > 0) {
    // Moments: the silhouette scales about the projection of the object's origin, c_t.
    let p = { ...start };
    for (let s = 0; s < MOMENT_STEPS; s++) {
      const m = moments(render(p), W, H);
      if (m.area === 0) break;
      const ct = [cam.cx - (cam.fx * tx) / tz + p.du * r, cam.cy - (cam.fy * ty) / tz + p.dv * r];
      const g = Math.sqrt(maskM.area / m.area);
      // After scaling by g about c_t the centroid is c_t + g·(c − c_t); shift it onto the mask's centroid.
      p = {
        k: p.k + Math.log(g),
        du: p.du + (maskM.cx - (ct[0] + g * (m.cx - ct[0]))) / r,
        dv: p.dv + (maskM.cy - (ct[1] + g * (m.cy - ct[1]))) / r,
      };
      const v = iou(p);
      if (v > bestIoU) [best, bestIoU] = [p, v];
    }
    // Pattern search on the IoU: try ± each parameter, halve the steps when nothing improves.
    let step = { px: Math.max(1, 0.04 * Math.sqrt(maskM.area)) / r, k: 0.04 };
    for (let round = 0; round < SEARCH_ROUNDS && step.px * r >= 0.25; round++) {
      let improved = false;
      for (const d of [
        { du: step.px, dv: 0, k: 0 },
        { du: -step.px, dv: 0, k: 0 },
        { du: 0, dv: step.px, k: 0 },
        { du: 0, dv: -step.px, k: 0 },
        { du: 0, dv: 0, k: step.k },
        { du: 0, dv: 0, k: -step.k },
      ]) {
        const p = { du: best.du + d.du, dv: best.dv + d.dv, k: best.k + d.k };
        const v = iou(p);
        if (v > bestIoU) {
          [best, bestIoU] = [p, v];
          improved = true;
        }
      }
      if (!improved) step = { px: step.px / 2, k: step.k / 2 };
    }
  }
  const e = Math.exp(best.k);
  return {
    pose: {
      rotation: [...pose.rotation],
      quaternion: [...pose.quaternion],
      translation: [tx + (-best.du * tz) / camera.fx, ty + (-best.dv * tz) / camera.fy, tz],
      scale: pose.scale * e,
    },
    iouBefore: before,
    iouAfter: bestIoU,
    shift: [best.du, best.dv],
    scaleFactor: e,
  };
}

function moments(m: Uint8Array, W: number, H: number): { area: number; cx: number; cy: number } {
  let area = 0,
    sx = 0,
    sy = 0;
  for (let j = 0; j < H; j++)
    for (let i = 0; i < W; i++)
      if (m[j * W + i]) {
        area++;
        sx += i + 0.5;
        sy += j + 0.5;
      }
  return area ? { area, cx: sx / area, cy: sy / area } : { area: 0, cx: 0, cy: 0 };
}
