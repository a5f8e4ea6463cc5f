import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors.ts';
import { decodeImage, decodeImageAndMask, decodeMask } from './decode.ts';

let dir = '';
const p = (name: string) => join(dir, name);

/** Raw pixels → file via sharp; `grey16`/`rgb16` write 16-bit PNGs. */
async function write(
  name: string,
  data: Uint8Array | Uint16Array,
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4,
  fmt: (s: Sharp) => Sharp = (s) => s.png(),
) {
  await fmt(sharp(data, { raw: { width, height, channels } })).toFile(p(name));
}

async function expectUserError(promise: Promise<unknown>, re: RegExp) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  const msg = (err as Error).message;
  expect(msg).toMatch(re);
  expect(msg).not.toContain('\n');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fsam3d-image-'));
  // 4x2 RGB, 16 bits per sample
  const rgb16 = Uint16Array.from({ length: 24 }, (_, i) => (i * 2731 + 17) % 65536);
  await write('rgb16.png', rgb16, 4, 2, 3, (s) => s.toColourspace('rgb16').png());
  await write('grey.png', Uint8Array.from([0, 50, 100, 150, 200, 250]), 3, 2, 1, (s) =>
    s.toColourspace('b-w').png(),
  );
  await write('rgba.png', Uint8Array.from([10, 20, 30, 0, 40, 50, 60, 128, 70, 80, 90, 255]), 3, 1, 4);
  await write('palette.png', Uint8Array.from([255, 0, 0, 0, 0, 255, 0, 255, 0, 255, 0, 0]), 2, 2, 3, (s) =>
    s.png({ palette: true }),
  );
  // 40 wide × 20 high: left half red, right half blue; EXIF orientation 6 = display rotated 90° clockwise
  const lr = new Uint8Array(40 * 20 * 3);
  for (let y = 0; y < 20; y++)
    for (let x = 0; x < 40; x++) lr.set(x < 20 ? [255, 0, 0] : [0, 0, 255], (y * 40 + x) * 3);
  await write('rot6.jpg', lr, 40, 20, 3, (s) => s.jpeg({ quality: 95 }).withMetadata({ orientation: 6 }));
  const png = readFileSync(p('grey.png'));
  writeFileSync(p('truncated.png'), new Uint8Array(png.subarray(0, 40)));
  writeFileSync(p('notes.txt'), 'not an image\n');
  writeFileSync(p('empty.png'), '');
  writeFileSync(
    p('vector.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>',
  );
  mkdirSync(p('folder.png'));
  await sharp({ create: { width: 9000, height: 10, channels: 3, background: { r: 12, g: 34, b: 56 } } })
    .png()
    .toFile(p('wide.png'));
  await sharp({ create: { width: 9000, height: 10, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toFile(p('wide6.jpg'));

  // masks for a 12x10 image
  const m = (fn: (x: number, y: number) => number, w = 12, h = 10) =>
    Uint8Array.from({ length: w * h }, (_, i) => fn(i % w, Math.floor(i / w)));
  await write(
    'mask.png',
    m((x, y) => (x >= 2 && x <= 8 && y >= 1 && y <= 6 ? 255 : 0)),
    12,
    10,
    1,
  );
  await write(
    'mask-small.png',
    m(() => 255, 8, 10),
    8,
    10,
    1,
  );
  await write(
    'mask-rot.png',
    m(() => 255, 10, 12),
    10,
    12,
    1,
  );
  await write(
    'mask-empty.png',
    m(() => 0),
    12,
    10,
    1,
  );
  await write(
    'mask-thin.png',
    m((x, y) => (x >= 3 && x <= 4 && y >= 1 && y <= 8 ? 255 : 0)),
    12,
    10,
    1,
  );
  await write(
    'mask-grey.png',
    m((x, y) => (y < 5 ? (x < 6 ? 200 : 128) : x < 6 ? 127 : 30)),
    12,
    10,
    1,
  );
  // RGBA mask: colour everywhere white, object given by alpha
  const rgba = new Uint8Array(12 * 10 * 4).fill(255);
  for (let i = 0; i < 120; i++) rgba[i * 4 + 3] = i % 12 >= 6 && Math.floor(i / 12) >= 4 ? 255 : 0;
  await write('mask-alpha.png', rgba, 12, 10, 4);
  // 16-bit mask: 32767 is below half, 32768 is not
  const m16 = Uint16Array.from({ length: 120 }, (_, i) => (Math.floor(i / 12) < 5 ? 32768 : 32767));
  await write('mask16.png', m16, 12, 10, 1, (s) => s.toColourspace('grey16').png());
  // Mask for wide.png: rows 2..8, columns 100..8999
  await write(
    'wide-mask.png',
    m((x, y) => (x >= 100 && y >= 2 && y <= 8 ? 255 : 0), 9000, 10),
    9000,
    10,
    1,
  );
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('decodeImage', () => {
  it("reads the photo's EXIF 35 mm-equivalent focal length, if any", async () => {
    const file = p('focal.jpg');
    await sharp({ create: { width: 6, height: 4, channels: 3, background: '#808080' } })
      .jpeg()
      .withExif({ IFD2: { FocalLengthIn35mmFilm: '26' } })
      .toFile(file);
    expect((await decodeImage(file)).focal35mm).toBe(26);
    expect((await decodeImage(p('grey.png'))).focal35mm).toBeUndefined();
  });

  it('reduces 16-bit samples to their high byte', async () => {
    const img = await decodeImage(p('rgb16.png'));
    expect([img.width, img.height]).toEqual([4, 2]);
    const expected = Array.from({ length: 24 }, (_, i) => ((i * 2731 + 17) % 65536) >> 8);
    expect(Array.from(img.rgb)).toEqual(expected);
    expect(img.notes).toEqual([]);
  });

  it('expands greyscale and palette images to RGB and drops alpha', async () => {
    const g = await decodeImage(p('grey.png'));
    expect(Array.from(g.rgb)).toEqual([
      0, 0, 0, 50, 50, 50, 100, 100, 100, 150, 150, 150, 200, 200, 200, 250, 250, 250,
    ]);
    const a = await decodeImage(p('rgba.png'));
    expect(Array.from(a.rgb)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    const pal = await decodeImage(p('palette.png'));
    expect(Array.from(pal.rgb)).toEqual([255, 0, 0, 0, 0, 255, 0, 255, 0, 255, 0, 0]);
  });

  it('applies the EXIF orientation (6: width and height swap, left half ends up on top)', async () => {
    const img = await decodeImage(p('rot6.jpg'));
    expect([img.width, img.height]).toEqual([20, 40]);
    expect(img.original).toEqual({ width: 20, height: 40 });
    const at = (x: number, y: number) => Array.from(img.rgb.subarray((y * 20 + x) * 3, (y * 20 + x) * 3 + 3));
    const [r0, , b0] = at(10, 5);
    const [r1, , b1] = at(10, 35);
    expect(r0).toBeGreaterThan(200);
    expect(b0).toBeLessThan(50);
    expect(b1).toBeGreaterThan(200);
    expect(r1).toBeLessThan(50);
  });

  it('downscales images over 8192 px and says so', async () => {
    const img = await decodeImage(p('wide.png'));
    expect([img.width, img.height]).toEqual([8192, 9]);
    expect(img.original).toEqual({ width: 9000, height: 10 });
    expect(img.notes).toEqual([
      `image ${p('wide.png')} is 9000x10; downscaled to 8192x9 (longest side limit 8192)`,
    ]);
    expect(Array.from(img.rgb.subarray(3000, 3003))).toEqual([12, 34, 56]);
    // the limit applies to the oriented size
    const rot = await decodeImage(p('wide6.jpg'));
    expect([rot.width, rot.height]).toEqual([9, 8192]);
    expect(rot.original).toEqual({ width: 10, height: 9000 });
  });

  it('gives one-line UserErrors for files it cannot use', async () => {
    const e = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await expectUserError(
      decodeImage(p('missing.png')),
      new RegExp(`^image not found: ${e(p('missing.png'))}$`),
    );
    await expectUserError(decodeImage(p('folder.png')), /^image path is a directory, not a file: /);
    await expectUserError(
      decodeImage(p('truncated.png')),
      /^cannot decode image .*truncated\.png: the file is corrupt or truncated.*\(supported: PNG, JPEG, WebP, TIFF, GIF, AVIF\)$/,
    );
    await expectUserError(
      decodeImage(p('empty.png')),
      /^cannot decode image .*empty\.png: the file is empty/,
    );
    await expectUserError(
      decodeImage(p('notes.txt')),
      /^unsupported image format: .*notes\.txt is not an image sharp can read \(supported: PNG, JPEG, WebP, TIFF, GIF, AVIF\)$/,
    );
    await expectUserError(
      decodeImage(p('vector.svg')),
      /^unsupported image format SVG: .*vector\.svg; convert it to one of PNG, JPEG/,
    );
  });
});

describe('decodeMask', () => {
  it('thresholds a binary mask to {0,1}', async () => {
    const m = await decodeMask(p('mask.png'), 12, 10);
    expect([m.width, m.height]).toEqual([12, 10]);
    expect(m.mask.reduce((a, b) => a + b, 0)).toBe(7 * 6);
    expect(m.mask[1 * 12 + 2]).toBe(1);
    expect(m.mask[0]).toBe(0);
    expect(m.notes).toEqual([]);
  });

  it('thresholds non-binary masks at 50% and notes it', async () => {
    const m = await decodeMask(p('mask-grey.png'), 12, 10);
    // 200 and 128 are object, 127 and 30 are not
    expect(Array.from(m.mask.subarray(0, 12))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(m.mask.subarray(60, 72))).toEqual(new Array(12).fill(0));
    expect(m.notes).toEqual([
      `mask ${p('mask-grey.png')} is not binary (120 of 120 pixels are neither 0 nor 255); thresholded at 50%`,
    ]);
  });

  it('uses the alpha channel when it is not fully opaque', async () => {
    const m = await decodeMask(p('mask-alpha.png'), 12, 10);
    expect(m.mask[0]).toBe(0);
    expect(m.mask[4 * 12 + 6]).toBe(1);
    expect(m.mask.reduce((a, b) => a + b, 0)).toBe(6 * 6);
  });

  it('thresholds 16-bit masks at value/65535 ≥ 0.5', async () => {
    const m = await decodeMask(p('mask16.png'), 12, 10);
    expect(m.mask.reduce((a, b) => a + b, 0)).toBe(60);
    expect(m.mask[0]).toBe(1);
    expect(m.mask[119]).toBe(0);
  });

  it('rejects masks the crop cannot use', async () => {
    await expectUserError(
      decodeMask(p('mask-small.png'), 12, 10),
      /^mask .*mask-small\.png is 8x10 but the image is 12x10; the mask must have the image's size$/,
    );
    await expectUserError(
      decodeMask(p('mask-rot.png'), 12, 10),
      /is 10x12 but the image is 12x10; .*90° turn: check the EXIF orientation/,
    );
    await expectUserError(
      decodeMask(p('mask-empty.png'), 12, 10),
      /^mask .*mask-empty\.png is empty: no pixel is at least 50% white/,
    );
    await expectUserError(
      decodeMask(p('mask-thin.png'), 12, 10),
      /^mask .*mask-thin\.png is too small: the object spans 2x8 px; it must span at least 3x3 px$/,
    );
    await expectUserError(decodeMask(p('nope.png'), 12, 10), /^mask not found: /);
    await expectUserError(decodeMask(p('notes.txt'), 12, 10), /^unsupported mask format: /);
  });

  it('follows a downscaled image', async () => {
    const { image, mask, notes } = await decodeImageAndMask(p('wide.png'), p('wide-mask.png'));
    expect([mask.width, mask.height]).toEqual([image.width, image.height]);
    expect(notes).toEqual([
      `image ${p('wide.png')} is 9000x10; downscaled to 8192x9 (longest side limit 8192)`,
      `mask ${p('wide-mask.png')} downscaled to 8192x9 with the image`,
    ]);
    // nearest, legacy floor indexing: row y reads source row floor(y·10/9), column x reads floor(x·9000/8192)
    expect(mask.mask[1 * 8192 + 8000]).toBe(0); // source row 1
    expect(mask.mask[2 * 8192 + 8000]).toBe(1); // source row 2
    expect(mask.mask[3 * 8192 + 90]).toBe(0); // source column 98
    expect(mask.mask[3 * 8192 + 92]).toBe(1); // source column 101
  });
});
