// Perceptual colour features for the click segmenter: CIE L*a*b* (D65) with the lightness scaled
// down, so that shading (a lit and a shadowed side of one object, a highlight) is a small change and
// a change of hue or chroma (the object against its background) is a large one.
//
// Features are bytes, so OpenCV's GrabCut (8-bit, 3 channels) can run on them directly:
//   f0 = lightnessWeight · L* · scale            (L* in 0..100)
//   f1 = a* · scale + 128                        (a* in about −86..98 over the sRGB gamut)
//   f2 = b* · scale + 135                        (b* in about −108..95)
// With scale 1.25 every sRGB colour fits in 0..255 (clamped otherwise), and a feature distance is
// 1.25 × ΔE*ab on the chroma plane.

export interface FeatureParams {
  /** Weight of L* against a*, b* (1 = plain Lab; below 1 tolerates shading). */
  lightnessWeight: number;
  /** Feature units per Lab unit. */
  scale: number;
}

const LINEAR = new Float64Array(256);
for (let i = 0; i < 256; i++) {
  const c = i / 255;
  LINEAR[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
const clampByte = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** The perceptual features of an RGB byte image (n pixels), as n×3 bytes. */
export function perceptualFeatures(rgb: Uint8Array, { lightnessWeight, scale }: FeatureParams): Uint8Array {
  const n = rgb.length / 3;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const r = LINEAR[rgb[i * 3]];
    const g = LINEAR[rgb[i * 3 + 1]];
    const b = LINEAR[rgb[i * 3 + 2]];
    const fx = f((0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047);
    const fy = f(0.2126729 * r + 0.7151522 * g + 0.072175 * b);
    const fz = f((0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883);
    out[i * 3] = clampByte(lightnessWeight * (116 * fy - 16) * scale);
    out[i * 3 + 1] = clampByte(500 * (fx - fy) * scale + 128);
    out[i * 3 + 2] = clampByte(200 * (fy - fz) * scale + 135);
  }
  return out;
}

/**
 * Marks the pixels whose colour is "novel": farther than `tol` (feature distance) from every colour
 * of the `frame` pixels (e.g. the image border, where the background is). Returns a 0/1 mask.
 * Distances are computed once per distinct colour, against the frame's distinct colours.
 */
export function novelColours(feat: Uint8Array, frame: Uint8Array, tol: number): Uint8Array {
  const n = frame.length;
  const seen = new Set<number>();
  const ref: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!frame[i]) continue;
    const key = (feat[i * 3] << 16) | (feat[i * 3 + 1] << 8) | feat[i * 3 + 2];
    if (seen.has(key)) continue;
    seen.add(key);
    ref.push(feat[i * 3], feat[i * 3 + 1], feat[i * 3 + 2]);
  }
  const tol2 = tol * tol;
  const memo = new Map<number, number>();
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = feat[i * 3];
    const b = feat[i * 3 + 1];
    const c = feat[i * 3 + 2];
    const key = (a << 16) | (b << 8) | c;
    let v = memo.get(key);
    if (v === undefined) {
      v = 1;
      for (let k = 0; k < ref.length; k += 3)
        if ((a - ref[k]) ** 2 + (b - ref[k + 1]) ** 2 + (c - ref[k + 2]) ** 2 <= tol2) {
          v = 0;
          break;
        }
      memo.set(key, v);
    }
    out[i] = v;
  }
  return out;
}
