import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.ts';
import { maskFromPng } from './index.ts';

const W = 40;
const H = 30;

function pattern(): Uint8Array {
  const m = new Uint8Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) m[y * W + x] = (x - 20) ** 2 + (y - 15) ** 2 < 100 ? 1 : 0;
  return m;
}

describe('maskFromPng', () => {
  it('reads a black/white PNG', async () => {
    const m = pattern();
    const png = await sharp(Buffer.from(m.map((v) => v * 255)), { raw: { width: W, height: H, channels: 1 } })
      .png()
      .toBuffer();
    expect([...(await maskFromPng(png, W, H))]).toEqual([...m]);
  });

  it('thresholds grey at 50 % (≥ 128 is object)', async () => {
    const grey = new Uint8Array(W * H).map((_, i) => (i % 2 ? 127 : 128));
    const png = await sharp(Buffer.from(grey), { raw: { width: W, height: H, channels: 1 } })
      .png()
      .toBuffer();
    const m = await maskFromPng(png, W, H);
    expect([...m]).toEqual([...grey].map((v) => (v >= 128 ? 1 : 0)));
  });

  it('uses the alpha channel of an RGBA cut-out', async () => {
    const m = pattern();
    const rgba = new Uint8Array(W * H * 4);
    m.forEach((v, i) => {
      rgba.set([255, 255, 255, v ? 255 : 0], i * 4); // white everywhere: only alpha tells
    });
    const png = await sharp(Buffer.from(rgba), { raw: { width: W, height: H, channels: 4 } })
      .png()
      .toBuffer();
    expect([...(await maskFromPng(png, W, H))]).toEqual([...m]);
  });

  it('a size mismatch is a UserError naming both sizes', async () => {
    const png = await sharp({ create: { width: W, height: H, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    const err = await maskFromPng(png, H, W).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/40x30.*30x40.*90° turn/);
    await expect(maskFromPng(png, W + 1, H)).rejects.toBeInstanceOf(UserError);
  });

  it('bytes that are not an image are a UserError', async () => {
    await expect(maskFromPng(new Uint8Array([1, 2, 3, 4]), W, H)).rejects.toBeInstanceOf(UserError);
    await expect(maskFromPng(new Uint8Array(0), W, H)).rejects.toBeInstanceOf(UserError);
  });
});
