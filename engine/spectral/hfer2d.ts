// 2D high-frequency energy ratio of the object's texture (Fast-SAM3D fft2d.calculate_hfer_robust).
// The reference reads it from the SAM 3D example mask PNG, whose RGB holds the photo inside the mask and
// white outside; we rebuild exactly that picture from the conditioning crop (RGB + mask), so the measure
// is the object's grey-level texture whatever format the user's mask file has.
import { fftn, signedFreq } from './fft.ts';
import { resizeAreaU8 } from './resize-area.ts';

export const HFER2D_SIZE = 256;
export const HFER2D_RADIUS_RATIO = 0.15;
const BOX_PAD = 2;

/** OpenCV's 8-bit BGR2GRAY: fixed point with 14-bit coefficients, rounded. */
export function grayU8(r: number, g: number, b: number): number {
  return (r * 4899 + g * 9617 + b * 1868 + 8192) >> 14;
}

/** numpy.hanning(n): symmetric Hann window. */
export function hann(n: number): Float64Array {
  const h = new Float64Array(n);
  for (let i = 0; i < n; i++) h[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
  return h;
}

/**
 * preprocess_for_fft_masked + calculate_hfer_robust on a row-major grey image and alpha (both 8-bit):
 * crop to the alpha box (+2 px), area-resize to 256², fill outside the mask with the object's mean grey,
 * apply a 2-D Hann window, and return Σ|F| outside radius int(256·ratio) over Σ|F| (DC zeroed).
 * A magnitude ratio, not an energy ratio, as in the reference.
 */
export function hfer2dFromGray(
  gray: Uint8Array,
  alpha: Uint8Array,
  width: number,
  height: number,
  radiusRatio = HFER2D_RADIUS_RATIO,
): number {
  if (gray.length !== width * height || alpha.length !== width * height) {
    throw new Error(`hfer2d: expected ${width}x${height} grey and alpha planes`);
  }
  let x0 = width,
    y0 = height,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (alpha[y * width + x] === 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  let cx = 0,
    cy = 0,
    cw = width,
    ch = height;
  let cropAlpha: Uint8Array;
  const cropGray = (): Uint8Array => {
    const out = new Uint8Array(cw * ch);
    for (let y = 0; y < ch; y++)
      out.set(gray.subarray((cy + y) * width + cx, (cy + y) * width + cx + cw), y * cw);
    return out;
  };
  if (x1 >= 0) {
    cx = Math.max(0, x0 - BOX_PAD);
    cy = Math.max(0, y0 - BOX_PAD);
    cw = Math.min(width - cx, x1 - x0 + 1 + 2 * BOX_PAD);
    ch = Math.min(height - cy, y1 - y0 + 1 + 2 * BOX_PAD);
    cropAlpha = new Uint8Array(cw * ch);
    for (let y = 0; y < ch; y++) {
      cropAlpha.set(alpha.subarray((cy + y) * width + cx, (cy + y) * width + cx + cw), y * cw);
    }
  } else {
    // Empty alpha: the reference keeps the whole image and treats all of it as object.
    cropAlpha = new Uint8Array(width * height).fill(255);
  }
  const n = HFER2D_SIZE;
  const g = resizeAreaU8(cropGray(), cw, ch, n, n);
  const a = resizeAreaU8(cropAlpha, cw, ch, n, n);

  let sum = 0,
    count = 0;
  for (let i = 0; i < n * n; i++) {
    if (a[i] > 0) {
      sum += g[i];
      count++;
    }
  }
  const mean = count > 0 ? sum / count : 128;
  const h = hann(n);
  const data = new Float64Array(2 * n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const i = y * n + x;
      data[2 * i] = (a[i] > 0 ? g[i] : mean) * h[y] * h[x];
    }
  }
  fftn(data, [n, n]);

  const r = Math.trunc(n * radiusRatio);
  let total = 0,
    high = 0;
  for (let ky = 0; ky < n; ky++) {
    const fy = signedFreq(ky, n);
    for (let kx = 0; kx < n; kx++) {
      if (ky === 0 && kx === 0) continue; // DC removed (the shifted centre [128,128])
      const fx = signedFreq(kx, n);
      const i = ky * n + kx;
      const m = Math.sqrt(data[2 * i] * data[2 * i] + data[2 * i + 1] * data[2 * i + 1]);
      total += m;
      if (fx * fx + fy * fy > r * r) high += m;
    }
  }
  return high / (total + 1e-8);
}

/**
 * 2D HFER of the conditioning crop: `imageCrop` CHW RGB in [0,1] (3×S×S), `maskCrop` S×S (object > 0.5).
 * The grey picture is the photo inside the mask and white outside, as in the reference's RGBA masks.
 * Returns 0 (the reference's "could not measure" value, hence factor 1) if the result is not finite.
 */
export function hfer2dFromCrop(imageCrop: Float32Array, maskCrop: Float32Array, size: number): number {
  const px = size * size;
  if (imageCrop.length !== 3 * px || maskCrop.length !== px) {
    throw new Error(`hfer2d: crop arrays do not match image size ${size} (3×${size}² RGB and ${size}² mask)`);
  }
  const u8 = (v: number): number => (v > 0 ? (v < 1 ? Math.round(v * 255) : 255) : 0); // NaN → 0
  const gray = new Uint8Array(px);
  const alpha = new Uint8Array(px);
  for (let i = 0; i < px; i++) {
    if (maskCrop[i] > 0.5) {
      gray[i] = grayU8(u8(imageCrop[i]), u8(imageCrop[px + i]), u8(imageCrop[2 * px + i]));
      alpha[i] = 255;
    } else {
      gray[i] = 255;
    }
  }
  const h = hfer2dFromGray(gray, alpha, size, size);
  return Number.isFinite(h) ? h : 0;
}
