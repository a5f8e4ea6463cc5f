// silhouetteIoU: the output mesh, posed with the predicted layout and seen through the photo's camera,
// rasterised at the photo's resolution and compared with the input mask.
//
// Frames (reference 1.9, engine/geometry/pose.ts): a canonical vertex p (z-up, inside [−0.5, 0.5]³) maps to
// the PyTorch3D camera frame (x left, y up, z forward) as p·scale·R + t (row vectors, applyPose). A camera
// point (x, y, z), z > 0, projects to the pixel position
//   u = cx − fx·x/z,   v = cy − fy·y/z
// (u to the right, v down, in pixels; pixel (i, j) covers [i, i+1)×[j, j+1) and is inside the silhouette when
// its centre (i+½, j+½) is). x left and y up are why both signs are negative: OpenCV's frame is (−x, −y, z).
//
// Camera: a pinhole with square pixels and the principal point at the image centre (cx = W/2, cy = H/2).
// The field of view is, in order: an explicit `fovDeg` (the caller's override flag), the photo's EXIF
// FocalLengthIn35mmFilm, else DEFAULT_FOV_DEG. It is always the field of view across the LONG side of
// the image: f = (max(W, H)/2) / tan(fov/2).
import { applyPose, type Pose } from '../geometry/pose.ts';
import type { TriMesh } from './types.ts';

/** Default horizontal field of view on the long side when no EXIF focal length is known (degrees). */
export const DEFAULT_FOV_DEG = 60;
/** Half the diagonal of a 36×24 mm frame: 35 mm-equivalent focal lengths are defined on the diagonal. */
const HALF_DIAGONAL_35MM = Math.hypot(36, 24) / 2;

export interface PinholeCamera {
  width: number;
  height: number;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  /** Field of view across the long side, degrees. */
  fovDeg: number;
  /** Where the field of view came from. */
  fovSource: 'override' | 'exif' | 'default';
}

/** Camera with square pixels, centred principal point and `fovDeg` across the long side. */
export function cameraFromFov(
  width: number,
  height: number,
  fovDeg: number,
  fovSource: PinholeCamera['fovSource'] = 'override',
): PinholeCamera {
  if (!(fovDeg > 0 && fovDeg < 180))
    throw new RangeError(`field of view must be in (0, 180) degrees, got ${fovDeg}`);
  if (!(width > 0 && height > 0)) throw new RangeError(`image size must be positive, got ${width}×${height}`);
  const f = Math.max(width, height) / 2 / Math.tan((fovDeg * Math.PI) / 360);
  return { width, height, fx: f, fy: f, cx: width / 2, cy: height / 2, fovDeg, fovSource };
}

/**
 * Long-side field of view from a 35 mm-equivalent focal length, for an image of the given aspect. The
 * equivalence is on the diagonal (the 36×24 mm frame's half diagonal, 21.63 mm), so for a 3:2 photo this is
 * 2·atan(18/f35) and for 4:3 photos slightly narrower.
 */
export function fovFromFocal35mm(focal35mm: number, width: number, height: number): number {
  const halfLong = (HALF_DIAGONAL_35MM * Math.max(width, height)) / Math.hypot(width, height);
  return (2 * Math.atan(halfLong / focal35mm) * 180) / Math.PI;
}

export interface CameraOptions {
  /** Override (the CLI flag): wins over EXIF. Degrees, long side. */
  fovDeg?: number;
  /** The photo's EXIF FocalLengthIn35mmFilm (engine/image reads it when decoding). */
  focal35mm?: number;
}

/** The camera the metric uses: override, else EXIF, else DEFAULT_FOV_DEG (all on the long side). */
export function resolveCamera(width: number, height: number, opts: CameraOptions = {}): PinholeCamera {
  if (opts.fovDeg !== undefined) return cameraFromFov(width, height, opts.fovDeg, 'override');
  if (opts.focal35mm !== undefined)
    return cameraFromFov(width, height, fovFromFocal35mm(opts.focal35mm, width, height), 'exif');
  return cameraFromFov(width, height, DEFAULT_FOV_DEG, 'default');
}

/** Camera-frame points (V×3) to pixel positions: (u, v, z) per vertex. */
export function projectPoints(points: ArrayLike<number>, cam: PinholeCamera): Float64Array {
  const out = new Float64Array(points.length);
  for (let i = 0; i < points.length; i += 3) {
    const x = points[i],
      y = points[i + 1],
      z = points[i + 2];
    out[i] = cam.cx - (cam.fx * x) / z;
    out[i + 1] = cam.cy - (cam.fy * y) / z;
    out[i + 2] = z;
  }
  return out;
}

export interface RasterResult {
  /** H×W, 1 where a pixel centre lies inside a projected triangle. */
  mask: Uint8Array;
  /** Triangles skipped because a vertex is at or behind the near plane. */
  clipped: number;
}

/**
 * Rasterise the silhouette of a mesh given in camera coordinates. A pixel is covered when its centre lies in
 * (or on the edge of) any projected triangle; both windings count, so the result is the silhouette whatever
 * the face orientation. Triangles with a vertex at z ≤ near are skipped and counted. (The layout fit, which
 * draws one closed mesh dozens of times, uses engine/layout/outline-raster.ts instead.)
 */
export function rasterizeSilhouette(
  cameraVertices: ArrayLike<number>,
  faces: ArrayLike<number>,
  cam: PinholeCamera,
  near = 1e-6,
): RasterResult {
  const W = cam.width,
    H = cam.height;
  const mask = new Uint8Array(W * H);
  const p = projectPoints(cameraVertices, cam);
  let clipped = 0;
  for (let f = 0; f < faces.length; f += 3) {
    const a = 3 * faces[f],
      b = 3 * faces[f + 1],
      c = 3 * faces[f + 2];
    if (p[a + 2] <= near || p[b + 2] <= near || p[c + 2] <= near) {
      clipped++;
      continue;
    }
    const ax = p[a],
      ay = p[a + 1],
      bx = p[b],
      by = p[b + 1],
      cx = p[c],
      cy = p[c + 1];
    const area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    if (area === 0 || !Number.isFinite(area)) continue; // degenerate or edge-on: covers no pixel centre
    const sgn = area > 0 ? 1 : -1;
    // pixel centres i + ½ inside the bounding box
    const i0 = Math.max(0, Math.ceil(Math.min(ax, bx, cx) - 0.5)),
      i1 = Math.min(W - 1, Math.floor(Math.max(ax, bx, cx) - 0.5)),
      j0 = Math.max(0, Math.ceil(Math.min(ay, by, cy) - 0.5)),
      j1 = Math.min(H - 1, Math.floor(Math.max(ay, by, cy) - 0.5));
    for (let j = j0; j <= j1; j++) {
      const y = j + 0.5;
      for (let i = i0; i <= i1; i++) {
        const x = i + 0.5;
        const w0 = sgn * ((bx - ax) * (y - ay) - (by - ay) * (x - ax));
        if (w0 < 0) continue;
        const w1 = sgn * ((cx - bx) * (y - by) - (cy - by) * (x - bx));
        if (w1 < 0) continue;
        const w2 = sgn * ((ax - cx) * (y - cy) - (ay - cy) * (x - cx));
        if (w2 < 0) continue;
        mask[j * W + i] = 1;
      }
    }
  }
  return { mask, clipped };
}

/** IoU of two H×W masks (a pixel is in a mask when its value ≥ threshold). 1 when both are empty. */
export function maskIoU(a: ArrayLike<number>, b: ArrayLike<number>, threshold = 0.5): number {
  if (a.length !== b.length) throw new RangeError(`mask sizes differ: ${a.length} vs ${b.length} pixels`);
  let inter = 0,
    union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] >= threshold,
      y = b[i] >= threshold;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}

export interface SilhouetteInput extends CameraOptions {
  /** The decoder's mesh in the canonical z-up frame (NOT the y-up GLB frame). */
  mesh: TriMesh;
  /** The decoded stage-1 layout (decodePose). */
  pose: Pose;
  /** The input mask at the photo's resolution, H×W, object where ≥ maskThreshold (default 0.5). */
  mask: ArrayLike<number>;
  width: number;
  height: number;
  maskThreshold?: number;
  /** A ready camera; wins over fovDeg / photo / focal35mm. */
  camera?: PinholeCamera;
}

export interface SilhouetteResult {
  iou: number;
  /** The rendered silhouette, H×W {0,1}. */
  rendered: Uint8Array;
  camera: PinholeCamera;
  renderedPixels: number;
  maskPixels: number;
  clippedFaces: number;
}

/** The engine metric: IoU between the posed, projected mesh and the input mask. */
export function silhouetteIoU(input: SilhouetteInput): SilhouetteResult {
  const { mesh, pose, mask, width, height } = input;
  if (mask.length !== width * height)
    throw new RangeError(`mask has ${mask.length} pixels, expected ${width}×${height} = ${width * height}`);
  const camera = input.camera ?? resolveCamera(width, height, input);
  const cam = applyPose(Float32Array.from(mesh.vertices), pose);
  const { mask: rendered, clipped } = rasterizeSilhouette(cam, mesh.faces, camera);
  const thr = input.maskThreshold ?? 0.5;
  let renderedPixels = 0,
    maskPixels = 0;
  for (let i = 0; i < rendered.length; i++) {
    renderedPixels += rendered[i];
    if (mask[i] >= thr) maskPixels++;
  }
  return {
    iou: maskIoU(rendered, mask, thr),
    rendered,
    camera,
    renderedPixels,
    maskPixels,
    clippedFaces: clipped,
  };
}
