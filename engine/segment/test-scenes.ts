// Synthetic photos for the segmenter's tests and benchmark: coloured shapes on a textured background,
// passed through a JPEG round trip with sharp (so edges and noise look like a real photo), with the
// exact shape masks as ground truth. Deterministic (fixed-seed noise, fixed JPEG settings).
import sharp from 'sharp';
import type { RgbImage } from './types.ts';

export type Shape =
  | { kind: 'disc'; cx: number; cy: number; r: number; colour: [number, number, number] }
  | { kind: 'rect'; x0: number; y0: number; x1: number; y1: number; colour: [number, number, number] };

export function inShape(s: Shape, x: number, y: number): boolean {
  if (s.kind === 'disc') return (x + 0.5 - s.cx) ** 2 + (y + 0.5 - s.cy) ** 2 <= s.r * s.r;
  return x >= s.x0 && x < s.x1 && y >= s.y0 && y < s.y1;
}

export function shapeMask(s: Shape, width: number, height: number): Uint8Array {
  const m = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) m[y * width + x] = inShape(s, x, y) ? 1 : 0;
  return m;
}

/** Textured background (stripes, a checker and noise in greens/blues/greys) with the shapes drawn in order. */
export async function makeScene(width: number, height: number, shapes: Shape[], seed = 1): Promise<RgbImage> {
  const rgb = new Uint8Array(width * height * 3);
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      const stripe = Math.sin((x + 0.6 * y) / 9) * 18;
      const check = ((x >> 5) + (y >> 5)) & 1 ? 22 : -22;
      const noise = (rand() - 0.5) * 30;
      let r = 95 + stripe * 0.5 + noise;
      let g = 125 + stripe + check + noise;
      let b = 120 - stripe + check * 0.5 + noise;
      for (const sh of shapes)
        if (inShape(sh, x, y)) {
          const n = (rand() - 0.5) * 24;
          [r, g, b] = [sh.colour[0] + n, sh.colour[1] + n * 0.7, sh.colour[2] + n * 0.5];
        }
      rgb[p] = clamp(r);
      rgb[p + 1] = clamp(g);
      rgb[p + 2] = clamp(b);
    }
  const jpeg = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
  const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height || info.channels !== 3) throw new Error('scene decode');
  return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), width, height };
}

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
