// The optional depth stage (MoGe v1, architecture doc 1.3): photo → token-grid resize → graph
// (normalisation, patch-multiple crop, DINOv2 + conv head, bilinear upsample to H×W, remap) → host:
// z shift and focal by Levenberg–Marquardt on a 64×64 grid, invalid pixels +inf, SAM 3D's camera frame
// (x,y,z) → (−x,−y,z), then the pointmap normalisation of doc 1.4(a).
import * as ort from 'onnxruntime-node';
import type { ImagePair } from '../image/decode.ts';
import { preprocessPointmap, type NormalisedPointmap, type PreprocessOptions } from '../image/preprocess.ts';
import type { CropBox } from '../image/crop.ts';
import type { DepthConfig, Manifest } from '../pack/manifest.ts';
import type { SessionCache } from '../pack/sessions.ts';
import { f32 as tensorF32, outputF32 } from '../stages/tensors.ts';
import { fitSamples, intrinsicsFromFocal, recoverFocalShift, type LMResult } from './focal-shift.ts';
import { normalisePointmap } from './normalise.ts';
import { resizeBicubicAntialiasRGB, tokenGrid } from './resize.ts';

export * from './focal-shift.ts';
export * from './normalise.ts';
export * from './resize.ts';

const f32 = Math.fround;

export interface DepthResult {
  /** Normalised H×W×3 pointmap with its statistics: what preprocess() takes. */
  pointmap: NormalisedPointmap;
  /** Camera-frame metric pointmap before normalisation (H×W×3, invalid = ±inf), in `frame`. */
  cameraPoints: Float32Array;
  frame: DepthConfig['frame'];
  /** MoGe's normalised intrinsics (row-major 3×3; fx, cx in image widths, fy, cy in heights). */
  intrinsics: number[];
  /** Focal relative to half the image diagonal, and the recovered z shift. */
  focal: number;
  shift: number;
  /** Token grid (h, w) the graph ran at. */
  grid: [number, number];
  /** Valid pixels (mask_raw > threshold) and samples used by the fit. */
  validPixels: number;
  fitSamples: number;
  lm: LMResult | null;
  warnings: string[];
}

/** Runs the pack's depth stage on the photo and normalises the result with the object mask. */
export async function runDepth(sessions: SessionCache, pair: ImagePair): Promise<DepthResult> {
  const m = sessions.pack.manifest;
  const cfg = m.depth;
  if (!m.stages.depth || !cfg) throw new Error(`pack ${sessions.pack.dir}: has no depth stage`);
  const { width, height, rgb } = pair.image;
  const [h, w] = tokenGrid(height, width, cfg.numTokens, cfg.patch);
  const image = resizeBicubicAntialiasRGB(rgb, width, height, h, w);
  const out = await sessions.run('depth', {
    image: tensorF32(image, [1, 3, h, w]),
    out_hw: new ort.Tensor('int64', BigInt64Array.of(BigInt(height), BigInt(width)), [2]),
  });
  const points = outputF32(out, 'points_affine', 'depth');
  const maskRaw = outputF32(out, 'mask_raw', 'depth');
  if (points.length !== height * width * 3 || maskRaw.length !== height * width)
    throw new Error(`depth returned ${points.length / 3} points for a ${width}x${height} photo`);
  const post = postprocessDepth(points, maskRaw, width, height, cfg);
  const norm = normalisePointmap(post.points, pair.mask.mask);
  return {
    pointmap: { points: norm.points, scale: norm.scale, shift: norm.shift },
    cameraPoints: post.points,
    frame: cfg.frame,
    intrinsics: post.intrinsics,
    focal: post.focal,
    shift: post.shift,
    grid: [h, w],
    validPixels: post.validPixels,
    fitSamples: post.fitSamples,
    lm: post.lm,
    warnings: norm.warnings,
  };
}

/**
 * MoGe.infer's host half (force_projection=False, apply_mask=True), then SAM 3D's frame change.
 * points: (H,W,3) affine-invariant; maskRaw: (H,W). Returns a new camera-frame map.
 */
export function postprocessDepth(
  points: Float32Array,
  maskRaw: Float32Array,
  width: number,
  height: number,
  cfg: DepthConfig,
) {
  const valid = (i: number) => maskRaw[i] > cfg.maskThreshold;
  const samples = fitSamples(points, width, height, valid, cfg.fitSize[0], cfg.fitSize[1]);
  const fs = recoverFocalShift(samples, { ftol: cfg.ftol, xtol: cfg.xtol, gtol: cfg.gtol });
  const flip = cfg.frame === 'pytorch3d' ? -1 : 1;
  const out = new Float32Array(points.length);
  let validPixels = 0;
  for (let i = 0; i < maskRaw.length; i++) {
    if (!valid(i)) {
      out[3 * i] = flip * Infinity;
      out[3 * i + 1] = flip * Infinity;
      out[3 * i + 2] = Infinity;
      continue;
    }
    validPixels++;
    out[3 * i] = flip * points[3 * i];
    out[3 * i + 1] = flip * points[3 * i + 1];
    out[3 * i + 2] = f32(points[3 * i + 2] + fs.shift);
  }
  return {
    points: out,
    intrinsics: intrinsicsFromFocal(fs.focal, width, height),
    focal: fs.focal,
    shift: fs.shift,
    validPixels,
    fitSamples: fs.samples,
    lm: fs.lm,
  };
}

/** The condition tensors of a depth result for a crop box (what preprocess() computes with it). */
export function depthPointmaps(
  r: DepthResult,
  width: number,
  height: number,
  box: CropBox,
  opts: Pick<Manifest, 'image' | 'crop'> | PreprocessOptions,
) {
  return {
    ...preprocessPointmap(r.pointmap.points, width, height, box, opts),
    sceneScale: r.pointmap.scale,
    sceneShift: Array.from(r.pointmap.shift),
  };
}
