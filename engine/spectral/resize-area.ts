// OpenCV cv2.resize(..., INTER_AREA) on one 8-bit channel, which the reference 2D HFER uses to bring the
// object's box to 256². Shrinking on both axes averages over exact pixel footprints; otherwise OpenCV falls
// back to a bilinear variant with "area" weights on both axes. Weights are applied in double precision and
// the result is rounded half to even (cvRound); OpenCV's float/fixed-point sums can differ by one level.

type Tap = { src: number; w: number };

/** computeResizeAreaTab: the source pixels (with overlap weights) behind each output pixel when shrinking. */
function areaTaps(ssize: number, dsize: number): Tap[][] {
  const scale = ssize / dsize;
  const taps: Tap[][] = [];
  for (let d = 0; d < dsize; d++) {
    const fs1 = d * scale;
    const fs2 = fs1 + scale;
    const cell = Math.min(scale, ssize - fs1);
    let s2 = Math.floor(fs2);
    s2 = Math.min(s2, ssize - 1);
    const s1 = Math.min(Math.ceil(fs1), s2);
    const t: Tap[] = [];
    if (s1 - fs1 > 1e-3) t.push({ src: s1 - 1, w: (s1 - fs1) / cell });
    for (let s = s1; s < s2; s++) t.push({ src: s, w: 1 / cell });
    if (fs2 - s2 > 1e-3) t.push({ src: s2, w: Math.min(fs2 - s2, 1, cell) / cell });
    taps.push(t);
  }
  return taps;
}

/** The INTER_LINEAR path's coefficients in area mode (used when any axis is enlarged). */
function areaLinearTaps(ssize: number, dsize: number): Tap[][] {
  const scale = ssize / dsize;
  const inv = dsize / ssize;
  const taps: Tap[][] = [];
  for (let d = 0; d < dsize; d++) {
    let s = Math.floor(d * scale);
    let f = d + 1 - (s + 1) * inv;
    f = f <= 0 ? 0 : f - Math.floor(f);
    if (s >= ssize - 1) {
      s = ssize - 1;
      f = 0;
    }
    taps.push(
      f === 0
        ? [{ src: s, w: 1 }]
        : [
            { src: s, w: 1 - f },
            { src: s + 1, w: f },
          ],
    );
  }
  return taps;
}

/** Round half to even, like cvRound / lrint in the default rounding mode; saturated to 0..255. */
function toU8(v: number): number {
  let r = Math.round(v);
  if (r - v === 0.5 && r % 2 !== 0) r -= 1;
  return r < 0 ? 0 : r > 255 ? 255 : r;
}

/** Resize a row-major w×h 8-bit image to ow×oh the way cv2.resize(INTER_AREA) does. */
export function resizeAreaU8(src: Uint8Array, w: number, h: number, ow: number, oh: number): Uint8Array {
  if (src.length !== w * h) throw new Error(`resizeAreaU8: ${src.length} pixels for ${w}x${h}`);
  const shrink = w >= ow && h >= oh;
  const tx = shrink ? areaTaps(w, ow) : areaLinearTaps(w, ow);
  const ty = shrink ? areaTaps(h, oh) : areaLinearTaps(h, oh);
  // Horizontal pass per source row, then vertical: separable, as OpenCV does it.
  const rows = new Float64Array(h * ow);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (const t of tx[x]) s += src[y * w + t.src] * t.w;
      rows[y * ow + x] = s;
    }
  }
  const out = new Uint8Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (const t of ty[y]) s += rows[t.src * ow + x] * t.w;
      out[y * ow + x] = toU8(s);
    }
  }
  return out;
}
