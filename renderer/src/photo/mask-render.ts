// Mask overlay pixels: a translucent fill in the object's colour plus an opaque outline, for every
// object (the selected one stronger). Pure, so it is testable without a canvas.
import { hexToRgb } from '../store/colors';
import type { StudioObject } from '../store/types';

export function renderMasks(
  objects: StudioObject[],
  selectedId: string | null,
  width: number,
  height: number,
  /** Outline width in image pixels (about one screen pixel when the photo is shown smaller). */
  edge = 1,
): Uint8ClampedArray {
  const k = Math.max(1, Math.round(edge));
  const px = new Uint8ClampedArray(width * height * 4);
  for (const o of objects) {
    const m = o.mask;
    if (!m || m.width !== width || m.height !== height) continue;
    const sel = o.id === selectedId;
    const [r, g, b] = hexToRgb(o.color);
    const fillA = sel ? 105 : 60;
    const edgeA = sel ? 255 : 170;
    const d = m.data;
    for (let y = 0; y < height; y++) {
      const row = y * width;
      for (let x = 0; x < width; x++) {
        const i = row + x;
        if (!d[i]) continue;
        const onEdge =
          x < k ||
          y < k ||
          x >= width - k ||
          y >= height - k ||
          !d[i - 1] ||
          !d[i + 1] ||
          !d[i - width] ||
          !d[i + width] ||
          !d[i - k] ||
          !d[i + k] ||
          !d[i - k * width] ||
          !d[i + k * width];
        const o4 = i * 4;
        px[o4] = r;
        px[o4 + 1] = g;
        px[o4 + 2] = b;
        px[o4 + 3] = Math.max(px[o4 + 3], onEdge ? edgeA : fillA);
      }
    }
  }
  return px;
}

/** Number of mask pixels (for the status line). */
export function maskArea(data: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (data[i]) n++;
  return n;
}
