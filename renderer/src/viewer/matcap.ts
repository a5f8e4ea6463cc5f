// A procedural clay matcap (no downloads): a lit sphere seen head-on, as RGBA pixels.
import { DataTexture, RGBAFormat, SRGBColorSpace } from 'three';

export function matcapPixels(size = 256): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  const key = norm([-0.45, 0.6, 0.65]);
  const rim = norm([0.6, -0.2, 0.3]);
  const base = [0.72, 0.7, 0.67];
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const x = ((i + 0.5) / size) * 2 - 1;
      const y = ((j + 0.5) / size) * 2 - 1; // row 0 is the bottom (v = 0)
      const r2 = x * x + y * y;
      const o = (j * size + i) * 4;
      const n = r2 >= 1 ? norm([x, y, 0.001]) : [x, y, Math.sqrt(1 - r2)];
      const diff = Math.max(0, dot(n, key));
      const back = Math.max(0, dot(n, rim)) * 0.25;
      const h = norm([key[0], key[1], key[2] + 1]);
      const spec = Math.pow(Math.max(0, dot(n, h)), 40) * 0.35;
      const fres = Math.pow(1 - n[2], 3) * 0.18;
      for (let c = 0; c < 3; c++) {
        const v = base[c] * (0.18 + 0.78 * diff + back) + spec + fres;
        px[o + c] = Math.round(255 * Math.min(1, v));
      }
      px[o + 3] = 255;
    }
  }
  return px;
}

export function createMatcapTexture(size = 256): DataTexture {
  const t = new DataTexture(matcapPixels(size), size, size, RGBAFormat);
  t.colorSpace = SRGBColorSpace;
  t.flipY = false;
  t.needsUpdate = true;
  return t;
}

function dot(a: number[], b: number[]): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

function norm(v: number[]): number[] {
  const l = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / l, v[1] / l, v[2] / l];
}
