// MoGe v1's host-side resize (architecture doc 1.3 steps 1-3): the photo goes to the token grid with
// F.interpolate(mode='bicubic', align_corners=False, antialias=True). Reproduced here as torch's CPU
// kernel does it: separable, width pass first (skipped when the width is unchanged), the PIL-style
// antialias cubic filter (a = −0.5, support 2·max(scale, 1)), float32 weights and accumulation.
// Steps 2-3 (ImageNet normalisation, antialiased bilinear crop to multiples of the patch) run in the graph.
const f32 = Math.fround;

/** Token-grid size for an H×W photo: f = sqrt(numTokens·patch²/(H·W)), (int(H·f), int(W·f)). */
export function tokenGrid(height: number, width: number, numTokens: number, patch: number): [number, number] {
  const f = Math.sqrt((numTokens * patch * patch) / (height * width));
  return [Math.max(1, Math.trunc(height * f)), Math.max(1, Math.trunc(width * f))];
}

/** torch's upsample_bicubic2d_aa filter (a = −0.5). */
function cubicAA(x: number): number {
  const a = -0.5;
  x = Math.abs(x);
  if (x < 1) return f32(f32(f32(f32((a + 2) * x) - (a + 3)) * x) * x + 1);
  if (x < 2) return f32(f32(f32(f32(f32(a * x) - 5 * a) * x) + 8 * a) * x - 4 * a);
  return 0;
}

interface AxisWeights {
  start: Int32Array;
  count: Int32Array;
  taps: number;
  weights: Float32Array;
}

/** torch's _compute_weights_aa with the cubic filter (interp_size 4). */
export function bicubicAAWeights(inSize: number, outSize: number): AxisWeights {
  const scale = f32(inSize / outSize);
  const support = scale >= 1 ? f32(2 * scale) : 2;
  const invscale = scale >= 1 ? f32(1 / scale) : 1;
  const taps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * taps);
  for (let i = 0; i < outSize; i++) {
    const center = f32(scale * (i + 0.5));
    const xmin = Math.max(Math.trunc(f32(center - support) + 0.5), 0);
    const xsize = Math.min(Math.trunc(f32(center + support) + 0.5), inSize) - xmin;
    let total = 0;
    const base = i * taps;
    for (let j = 0; j < xsize; j++) {
      const w = cubicAA(f32(f32(f32(j + xmin - center) + 0.5) * invscale));
      weights[base + j] = w;
      total = f32(total + w);
    }
    if (total !== 0) for (let j = 0; j < xsize; j++) weights[base + j] = f32(weights[base + j] / total);
    start[i] = xmin;
    count[i] = xsize;
  }
  return { start, count, taps, weights };
}

/**
 * An H×W×3 uint8 photo → (3, outH, outW) float32 in [0,1] (values may overshoot slightly, as torch's do),
 * as F.interpolate(rgb.float()/255, mode='bicubic', antialias=True).
 */
export function resizeBicubicAntialiasRGB(
  rgb: Uint8Array,
  width: number,
  height: number,
  outH: number,
  outW: number,
): Float32Array {
  const u8 = Float32Array.from({ length: 256 }, (_, i) => i / 255);
  const tmp = new Float32Array(3 * height * outW);
  const aw = outW === width ? null : bicubicAAWeights(width, outW);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < height; y++) {
      const rowIn = y * width * 3 + c;
      const rowOut = (c * height + y) * outW;
      if (!aw) {
        for (let x = 0; x < width; x++) tmp[rowOut + x] = u8[rgb[rowIn + x * 3]];
        continue;
      }
      for (let o = 0; o < outW; o++) {
        const s = aw.start[o];
        const n = aw.count[o];
        const wb = o * aw.taps;
        let acc = 0;
        for (let k = 0; k < n; k++) acc = f32(acc + f32(u8[rgb[rowIn + (s + k) * 3]] * aw.weights[wb + k]));
        tmp[rowOut + o] = acc;
      }
    }
  if (outH === height) return tmp;
  const out = new Float32Array(3 * outH * outW);
  const ah = bicubicAAWeights(height, outH);
  for (let c = 0; c < 3; c++)
    for (let o = 0; o < outH; o++) {
      const s = ah.start[o];
      const outBase = (c * outH + o) * outW;
      for (let k = 0; k < ah.count[o]; k++) {
        const wgt = ah.weights[o * ah.taps + k];
        const tb = (c * height + s + k) * outW;
        for (let x = 0; x < outW; x++) out[outBase + x] = f32(out[outBase + x] + f32(tmp[tb + x] * wgt));
      }
    }
  return out;
}
