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

/**
 * A photo-like scene drawn from SVG (`body`: the elements inside <svg>, gradients in <defs>) with
 * sharp, plus fixed-seed grey noise of ±`noise` and the same JPEG round trip as makeScene.
 */
export async function makeSvgScene(
  width: number,
  height: number,
  body: string,
  { noise = 10, seed = 1 }: { noise?: number; seed?: number } = {},
): Promise<RgbImage> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height) throw new Error('svg scene size');
  let s = seed >>> 0;
  for (let i = 0; i < width * height; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const v = (s / 4294967296 - 0.5) * 2 * noise;
    for (let c = 0; c < 3; c++) data[i * 3 + c] = clamp(data[i * 3 + c] + v);
  }
  const jpeg = await sharp(data, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
  const out = await sharp(jpeg).removeAlpha().raw().toBuffer();
  return { rgb: new Uint8Array(out.buffer, out.byteOffset, out.length), width, height };
}

/** SVG gradients and patterns for makeSvgScene bodies. */
export const SVG_DEFS = `<defs>
<linearGradient id="sky" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#8fb4d8"/><stop offset="1" stop-color="#e0d0b0"/></linearGradient>
<linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#d8d4cc"/><stop offset="1" stop-color="#9a958c"/></linearGradient>
<radialGradient id="ball" cx="0.38" cy="0.35" r="0.75"><stop offset="0" stop-color="#f6c8a2"/><stop offset="0.5" stop-color="#dc6a2a"/><stop offset="1" stop-color="#6a2208"/></radialGradient>
<radialGradient id="spec" cx="0.5" cy="0.5" r="0.5"><stop offset="0" stop-color="#fff" stop-opacity="1"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient>
<pattern id="stripes" width="60" height="60" patternUnits="userSpaceOnUse" patternTransform="rotate(30)"><rect width="60" height="60" fill="#2a5fb0"/><rect width="30" height="60" fill="#e8d24a"/></pattern>
<linearGradient id="shade" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.45"/></linearGradient>
</defs>`;

/** A ball: a disc shaded by a radial gradient (light upper left, dark lower right) with a specular highlight. */
export function shadedBallSvg(cx: number, cy: number, r: number): string {
  return (
    `<circle cx="${cx}" cy="${cy}" r="${r}" fill="url(#ball)"/>` +
    `<ellipse cx="${cx - 0.3 * r}" cy="${cy - 0.35 * r}" rx="${0.27 * r}" ry="${0.19 * r}" fill="url(#spec)"/>`
  );
}

/** A box with diagonal yellow/blue stripes, shaded darker to the right. */
export function stripedBoxSvg(x: number, y: number, width: number, height: number): string {
  const r = `x="${x}" y="${y}" width="${width}" height="${height}"`;
  return `<rect ${r} fill="url(#stripes)"/><rect ${r} fill="url(#shade)"/>`;
}
