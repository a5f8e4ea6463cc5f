// Resampling that reproduces PyTorch bit-for-bit where practical:
// - F.interpolate(mode='bilinear', align_corners=False, antialias=True) (torchvision Resize on float
//   tensors), CPU kernel: separable, width pass first, float32 weights and accumulation;
// - F.interpolate(mode='nearest') with legacy floor indexing.
// Float32 arithmetic is emulated with Math.fround so results match torch to ~1 ulp.

const f32 = Math.fround;

/** A virtual CHW float image. Values outside [x0,x1)×[y0,y1) are exactly 0 and never read. */
export interface Source {
  c: number;
  h: number;
  w: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** Writes row y of channel ch into dst[x0..x1); only called for y0 ≤ y < y1. */
  readRow(ch: number, y: number, dst: Float32Array): void;
}

/** A materialised CHW float32 image. */
export interface ImageCHW {
  data: Float32Array;
  c: number;
  h: number;
  w: number;
}

export function sourceOf(img: ImageCHW): Source {
  const { data, c, h, w } = img;
  return {
    c,
    h,
    w,
    x0: 0,
    x1: w,
    y0: 0,
    y1: h,
    readRow: (ch, y, dst) => dst.set(data.subarray((ch * h + y) * w, (ch * h + y + 1) * w)),
  };
}

interface AxisWeights {
  start: Int32Array;
  count: Int32Array;
  taps: number;
  weights: Float32Array; // out × taps, zero-padded
}

/** torch's _compute_weights_aa for the bilinear (triangle) filter, with its float32/double mix. */
export function aaAxisWeights(inSize: number, outSize: number): AxisWeights {
  const scale = f32(inSize / outSize);
  const support = scale >= 1 ? scale : 1; // (interp_size/2)·scale, interp_size = 2
  const invscale = scale >= 1 ? f32(1 / scale) : 1;
  const taps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * taps);
  for (let i = 0; i < outSize; i++) {
    const center = f32(scale * (i + 0.5));
    // static_cast<int64_t> truncates toward zero, so a slightly negative start becomes 0 here too.
    const xmin = Math.max(Math.trunc(f32(center - support) + 0.5), 0);
    const xsize = Math.min(Math.trunc(f32(center + support) + 0.5), inSize) - xmin;
    let total = 0;
    const base = i * taps;
    for (let j = 0; j < xsize; j++) {
      let x = f32((f32(j + xmin - center) + 0.5) * invscale);
      if (x < 0) x = -x;
      const wgt = x < 1 ? f32(1 - x) : 0;
      weights[base + j] = wgt;
      total = f32(total + wgt);
    }
    if (total !== 0) for (let j = 0; j < xsize; j++) weights[base + j] = f32(weights[base + j] / total);
    start[i] = xmin;
    count[i] = xsize;
  }
  return { start, count, taps, weights };
}

/**
 * Antialiased bilinear resize of a (virtual) CHW image to outH×outW, as
 * torch.nn.functional.interpolate(mode='bilinear', align_corners=False, antialias=True).
 * Upscaling degenerates to plain bilinear with edge clamping, as in torch.
 */
export function resizeBilinearAntialias(input: ImageCHW | Source, outH: number, outW: number): ImageCHW {
  const src = 'readRow' in input ? input : sourceOf(input);
  const { c, h, w, x0, x1, y0, y1 } = src;
  // Width pass (skipped when the width is unchanged, as torch does) over the rows that can be non-zero.
  const rows = Math.max(0, y1 - y0);
  const tmp = new Float32Array(c * rows * outW);
  const row = new Float32Array(w);
  const aw = outW === w ? null : aaAxisWeights(w, outW);
  for (let ch = 0; ch < c; ch++)
    for (let r = 0; r < rows; r++) {
      src.readRow(ch, y0 + r, row);
      const rowBase = (ch * rows + r) * outW;
      if (!aw) {
        tmp.set(row.subarray(x0, x1), rowBase + x0);
        continue;
      }
      for (let o = 0; o < outW; o++) {
        const s = aw.start[o];
        const lo = Math.max(s, x0);
        const hi = Math.min(s + aw.count[o], x1);
        const wb = o * aw.taps - s;
        // Skipped taps read 0: adding 0·w leaves a float sum unchanged, so this matches torch.
        let acc = 0;
        for (let x = lo; x < hi; x++) acc = f32(acc + f32(row[x] * aw.weights[wb + x]));
        tmp[rowBase + o] = acc;
      }
    }
  // Height pass.
  const out = new Float32Array(c * outH * outW);
  if (outH === h) {
    for (let ch = 0; ch < c; ch++)
      for (let r = 0; r < rows; r++)
        out.set(
          tmp.subarray((ch * rows + r) * outW, (ch * rows + r + 1) * outW),
          (ch * outH + y0 + r) * outW,
        );
  } else {
    const ah = aaAxisWeights(h, outH);
    for (let ch = 0; ch < c; ch++)
      for (let o = 0; o < outH; o++) {
        const s = ah.start[o];
        const lo = Math.max(s, y0);
        const hi = Math.min(s + ah.count[o], y1);
        const wb = o * ah.taps - s;
        const outBase = (ch * outH + o) * outW;
        for (let y = lo; y < hi; y++) {
          const wgt = ah.weights[wb + y];
          const tb = (ch * rows + y - y0) * outW;
          for (let x = 0; x < outW; x++) out[outBase + x] = f32(out[outBase + x] + f32(tmp[tb + x] * wgt));
        }
      }
  }
  return { data: out, c, h: outH, w: outW };
}

/** torch's legacy nearest source index: floor(dst · float(in/out)) in float32, clamped; exact for 1× and 2×. */
export function nearestIndex(dst: number, inSize: number, outSize: number): number {
  if (outSize === inSize) return dst;
  if (outSize === 2 * inSize) return dst >> 1;
  const scale = f32(inSize / outSize);
  return Math.min(Math.floor(f32(dst * scale)), inSize - 1);
}

function nearestTable(inSize: number, outSize: number): Int32Array {
  const t = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) t[i] = nearestIndex(i, inSize, outSize);
  return t;
}

/**
 * Nearest resize as F.interpolate(mode='nearest'). `sample` gives the value at any (ch, y, x) of the
 * input, which lets callers express padding with arbitrary fill values (NaN for pointmap crops).
 */
export function resizeNearestSampled(
  c: number,
  h: number,
  w: number,
  sample: (ch: number, y: number, x: number) => number,
  outH: number,
  outW: number,
): ImageCHW {
  const ys = nearestTable(h, outH);
  const xs = nearestTable(w, outW);
  const out = new Float32Array(c * outH * outW);
  for (let ch = 0; ch < c; ch++)
    for (let oy = 0; oy < outH; oy++) {
      const base = (ch * outH + oy) * outW;
      for (let ox = 0; ox < outW; ox++) out[base + ox] = sample(ch, ys[oy], xs[ox]);
    }
  return { data: out, c, h: outH, w: outW };
}

export function resizeNearest(img: ImageCHW, outH: number, outW: number): ImageCHW {
  const { data, c, h, w } = img;
  return resizeNearestSampled(c, h, w, (ch, y, x) => data[(ch * h + y) * w + x], outH, outW);
}
