// SAM 3D's condition-image preprocessing (architecture doc 1.4 b-d): crop around the mask, pad to a
// centred square, resize to image.size; plus the full image padded and resized. Crop and padding are
// never materialised: each output reads the source through a square "window", which keeps an 8k photo
// from allocating gigabytes of zero padding. Results equal cropCHW → padToSquareCentered → resize.
import type { Manifest } from '../pack/manifest.ts';
import type { ImagePair } from './decode.ts';
import { cropBox, squarePadding, type CropBox } from './crop.ts';
import { resizeBilinearAntialias, resizeNearestSampled, type Source } from './resize.ts';

export interface PreprocessOptions {
  /** Output side S (manifest image.size). */
  size: number;
  /** manifest crop.boxSizeFactor (1.2 for SAM 3D). */
  boxSizeFactor: number;
  /** manifest crop.paddingFactor (0 for SAM 3D): extra int(side·factor) border on each side of the crop. */
  paddingFactor?: number;
}

export type ManifestLike = Pick<Manifest, 'image' | 'crop'>;

export function preprocessOptions(m: ManifestLike | PreprocessOptions): PreprocessOptions {
  if (!('image' in m)) return m;
  return { size: m.image.size, boxSizeFactor: m.crop.boxSizeFactor, paddingFactor: m.crop.paddingFactor };
}

/** A pointmap already normalised per doc 1.4(a), at the image's size, with the statistics used. */
export interface NormalisedPointmap {
  /** H×W×3 float32; NaN/±inf = invalid. */
  points: Float32Array;
  scale: number;
  shift: ArrayLike<number>;
}

export interface Preprocessed {
  size: number;
  box: CropBox;
  /** (1,3,S,S) in [0,1]. */
  imageCrop: Float32Array;
  imageFull: Float32Array;
  /** (1,1,S,S) in {0,1}. */
  maskCrop: Float32Array;
  maskFull: Float32Array;
  /** (1,3,S,S), or null in "no depth" mode. */
  pointmapCrop: Float32Array | null;
  pointmapFull: Float32Array | null;
  /** Pointmap normalisation for the pose decoder; 1 and 0 without depth. */
  sceneScale: number;
  sceneShift: ArrayLike<number>;
}

/**
 * A square virtual image: virtual pixel (vx, vy) is image pixel (vx+offX, vy+offY). Inside the region
 * [rx0,rx1)×[ry0,ry1) pixels outside the image read 0 (torchvision crop fill); outside the region they
 * read the padding value (0, or NaN for the pointmap crop).
 */
export interface Window {
  side: number;
  offX: number;
  offY: number;
  rx0: number;
  rx1: number;
  ry0: number;
  ry1: number;
}

/** Crop box → square padding (diff//2 left/top) → optional int(side·paddingFactor) border. */
export function cropWindow(box: CropBox, paddingFactor = 0): Window {
  const cw = box.x1 - box.x0;
  const ch = box.y1 - box.y0;
  const { side, left, top } = squarePadding(cw, ch);
  const ext = Math.trunc(side * paddingFactor);
  const rx0 = ext + left;
  const ry0 = ext + top;
  return {
    side: side + 2 * ext,
    offX: box.x0 - rx0,
    offY: box.y0 - ry0,
    rx0,
    rx1: rx0 + cw,
    ry0,
    ry1: ry0 + ch,
  };
}

/** pad_to_square_centered of the whole image. */
export function fullWindow(width: number, height: number): Window {
  const { side, left, top } = squarePadding(width, height);
  return { side, offX: -left, offY: -top, rx0: left, rx1: left + width, ry0: top, ry1: top + height };
}

/** The part of the window that shows image pixels. */
function visible(win: Window, width: number, height: number) {
  return {
    x0: Math.max(win.rx0, -win.offX),
    x1: Math.min(win.rx1, width - win.offX),
    y0: Math.max(win.ry0, -win.offY),
    y1: Math.min(win.ry1, height - win.offY),
  };
}

const U8_TO_F32 = Float32Array.from({ length: 256 }, (_, i) => i / 255); // torch: uint8.float() / 255

function rgbSource(rgb: Uint8Array, width: number, height: number, win: Window): Source {
  const v = visible(win, width, height);
  const { offX, offY } = win;
  return {
    c: 3,
    h: win.side,
    w: win.side,
    ...v,
    readRow: (ch, y, dst) => {
      const base = ((y + offY) * width + offX) * 3 + ch;
      for (let x = v.x0; x < v.x1; x++) dst[x] = U8_TO_F32[rgb[base + x * 3]];
    },
  };
}

function resizeMask(
  mask: Uint8Array,
  width: number,
  height: number,
  win: Window,
  size: number,
): Float32Array {
  const v = visible(win, width, height);
  const { offX, offY } = win;
  const sample = (_ch: number, y: number, x: number) =>
    y >= v.y0 && y < v.y1 && x >= v.x0 && x < v.x1 && mask[(y + offY) * width + x + offX] !== 0 ? 1 : 0;
  return resizeNearestSampled(1, win.side, win.side, sample, size, size).data;
}

function checkSizes(what: string, got: number, width: number, height: number, per: number) {
  if (got !== width * height * per)
    throw new Error(`preprocess: ${what} has ${got} values, expected ${width}x${height}x${per}`);
}

/**
 * The condition tensors for a photo and mask: `preprocess(pair, manifest)` for a decoded pair, or
 * `preprocess(rgb, mask, width, height, opts, pointmap?)` with rgb H×W×3 uint8 and mask H×W
 * (non-zero = object). opts is a manifest or PreprocessOptions. Throws UserError for an empty or
 * too small mask.
 */
export function preprocess(
  pair: ImagePair,
  opts: ManifestLike | PreprocessOptions,
  pointmap?: NormalisedPointmap,
): Preprocessed;
export function preprocess(
  rgb: Uint8Array,
  mask: Uint8Array,
  width: number,
  height: number,
  opts: ManifestLike | PreprocessOptions,
  pointmap?: NormalisedPointmap,
): Preprocessed;
export function preprocess(...args: unknown[]): Preprocessed {
  if (args[0] instanceof Uint8Array)
    return preprocessArrays(...(args as Parameters<typeof preprocessArrays>));
  const [pair, opts, pointmap] = args as [
    ImagePair,
    ManifestLike | PreprocessOptions,
    NormalisedPointmap | undefined,
  ];
  const { image, mask } = pair;
  return preprocessArrays(image.rgb, mask.mask, image.width, image.height, opts, pointmap);
}

function preprocessArrays(
  rgb: Uint8Array,
  mask: Uint8Array,
  width: number,
  height: number,
  options: ManifestLike | PreprocessOptions,
  pointmap?: NormalisedPointmap,
): Preprocessed {
  const opts = preprocessOptions(options);
  checkSizes('rgb', rgb.length, width, height, 3);
  checkSizes('mask', mask.length, width, height, 1);
  const { size } = opts;
  const box = cropBox(mask, width, height, opts.boxSizeFactor);
  const crop = cropWindow(box, opts.paddingFactor ?? 0);
  const full = fullWindow(width, height);
  const pm = pointmap ? preprocessPointmap(pointmap.points, width, height, box, opts) : null;
  return {
    size,
    box,
    imageCrop: resizeBilinearAntialias(rgbSource(rgb, width, height, crop), size, size).data,
    imageFull: resizeBilinearAntialias(rgbSource(rgb, width, height, full), size, size).data,
    maskCrop: resizeMask(mask, width, height, crop, size),
    maskFull: resizeMask(mask, width, height, full, size),
    pointmapCrop: pm?.pointmapCrop ?? null,
    pointmapFull: pm?.pointmapFull ?? null,
    sceneScale: pointmap?.scale ?? 1,
    sceneShift: pointmap ? Array.from(pointmap.shift) : [0, 0, 0],
  };
}

/**
 * The pointmap tensors for the same crop. points: H×W×3 float32, already normalised (doc 1.4 a) and at
 * the image's size. Crop: out-of-image 0, square padding NaN; full: padding 0. Both nearest-resized.
 */
export function preprocessPointmap(
  points: Float32Array,
  width: number,
  height: number,
  box: CropBox,
  options: ManifestLike | PreprocessOptions,
): { pointmapCrop: Float32Array; pointmapFull: Float32Array } {
  const opts = preprocessOptions(options);
  checkSizes('pointmap', points.length, width, height, 3);
  const run = (win: Window, padValue: number) => {
    const v = visible(win, width, height);
    const sample = (ch: number, y: number, x: number) => {
      if (y >= v.y0 && y < v.y1 && x >= v.x0 && x < v.x1)
        return points[((y + win.offY) * width + x + win.offX) * 3 + ch];
      return y >= win.ry0 && y < win.ry1 && x >= win.rx0 && x < win.rx1 ? 0 : padValue;
    };
    return resizeNearestSampled(3, win.side, win.side, sample, opts.size, opts.size).data;
  };
  return {
    pointmapCrop: run(cropWindow(box, opts.paddingFactor ?? 0), NaN),
    pointmapFull: run(fullWindow(width, height), 0),
  };
}
