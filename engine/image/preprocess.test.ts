import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, readSafetensors, type FixtureTensor } from '../../tests/support/safetensors.ts';
import { cropBox, cropCHW, padCHW, padToSquareCentered } from './crop.ts';
import { cropWindow, preprocess, preprocessOptions, preprocessPointmap } from './preprocess.ts';
import { resizeBilinearAntialias, resizeNearest, type ImageCHW } from './resize.ts';

const FIXTURE = fileURLToPath(
  new URL('../../resources/fixtures/image/preprocess.safetensors', import.meta.url),
);
const TOL = 1e-6; // see resize.test.ts: the difference to torch is at most 1 ulp (1.2e-7)

/** Same values, NaN where NaN, ±inf where ±inf. */
function expectSameFloats(a: Float32Array, b: ArrayLike<number>) {
  expect(a.length).toBe(b.length);
  let bad = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && !(a[i] === b[i])) bad++;
  expect(bad).toBe(0);
}

function hwcToChw(data: ArrayLike<number>, h: number, w: number, c: number, scale = 1): ImageCHW {
  const out = new Float32Array(c * h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++)
        out[(ch * h + y) * w + x] = Math.fround(data[(y * w + x) * c + ch] / scale);
  return { data: out, c, h, w };
}

describe('preprocess parity with the reference crop → pad → resize (torch)', () => {
  const fx = readSafetensors(FIXTURE);
  const cases = Object.keys(fx)
    .filter((k) => k.endsWith('.rgb'))
    .map((k) => k.slice(0, -'.rgb'.length));
  const get = (name: string, t: string): FixtureTensor => fx[`${name}.${t}`];

  it('has the border cases', () => expect(cases.sort()).toEqual(['border_br', 'border_tl']));

  describe.each(cases)('%s', (name) => {
    const [h, w] = get(name, 'rgb').shape;
    const rgb = get(name, 'rgb').data as Uint8Array;
    const mask = get(name, 'mask').data as Uint8Array;
    const [size, pf1000] = Array.from(get(name, 'params').data);
    const opts = { size, boxSizeFactor: 1.2, paddingFactor: pf1000 / 1000 };
    const points = get(name, 'pointmap').data as Float32Array;
    const pre = preprocess(rgb, mask, w, h, opts, { points, scale: 2, shift: [1, 2, 3] });

    it('crop box', () => {
      const b = pre.box;
      expect([b.x0, b.y0, b.x1, b.y1]).toEqual(Array.from(get(name, 'box').data));
      // both fixtures are chosen so that truncation toward zero makes the crop one pixel non-square
      expect(b.x1 - b.x0).not.toBe(b.y1 - b.y0);
    });

    it('image crop and full (bilinear antialias)', () => {
      expect(maxAbsDiff(pre.imageCrop, get(name, 'image_crop').data)).toBeLessThanOrEqual(TOL);
      expect(maxAbsDiff(pre.imageFull, get(name, 'image_full').data)).toBeLessThanOrEqual(TOL);
    });

    it('mask crop and full (nearest)', () => {
      expect(Array.from(pre.maskCrop)).toEqual(Array.from(get(name, 'mask_crop').data));
      expect(Array.from(pre.maskFull)).toEqual(Array.from(get(name, 'mask_full').data));
    });

    it('pointmap crop (0 outside the image, NaN padding) and full (0 padding)', () => {
      expectSameFloats(pre.pointmapCrop!, get(name, 'pointmap_crop').data);
      expectSameFloats(pre.pointmapFull!, get(name, 'pointmap_full').data);
      expect(pre.sceneScale).toBe(2);
      expect(Array.from(pre.sceneShift)).toEqual([1, 2, 3]);
    });

    it('the windowed path equals the explicit crop → pad → resize chain', () => {
      const img = hwcToChw(rgb, h, w, 3, 255);
      const m = hwcToChw(mask, h, w, 1);
      const box = cropBox(mask, w, h, 1.2);
      // the int(side·paddingFactor) border the window adds on each side
      const e = (cropWindow(box, opts.paddingFactor).side - Math.max(box.x1 - box.x0, box.y1 - box.y0)) / 2;
      const square = (x: ImageCHW, fill = 0) => {
        const s = padToSquareCentered(x, fill);
        return padCHW(s, e, e, e, e, fill);
      };
      const cropImg = resizeBilinearAntialias(square(cropCHW(img, box)), size, size);
      expect(Array.from(cropImg.data)).toEqual(Array.from(pre.imageCrop));
      const fullImg = resizeBilinearAntialias(padToSquareCentered(img), size, size);
      expect(Array.from(fullImg.data)).toEqual(Array.from(pre.imageFull));
      expect(Array.from(resizeNearest(square(cropCHW(m, box)), size, size).data)).toEqual(
        Array.from(pre.maskCrop),
      );
      const pm = hwcToChw(points, h, w, 3);
      expectSameFloats(resizeNearest(square(cropCHW(pm, box, 0), NaN), size, size).data, pre.pointmapCrop!);
    });
  });
});

describe('preprocess API', () => {
  it('reads size and crop factors from a manifest and runs without depth', () => {
    const w = 40;
    const h = 30;
    const rgb = new Uint8Array(w * h * 3).fill(200);
    const mask = new Uint8Array(w * h);
    for (let y = 5; y < 20; y++) for (let x = 10; x < 30; x++) mask[y * w + x] = 1;
    const manifest = {
      image: {
        size: 16,
        normalize: {
          where: 'graph' as const,
          mean: [0, 0, 0] as [number, number, number],
          std: [1, 1, 1] as [number, number, number],
        },
      },
      crop: { boxSizeFactor: 1.2, paddingFactor: 0 },
    };
    expect(preprocessOptions(manifest)).toEqual({ size: 16, boxSizeFactor: 1.2, paddingFactor: 0 });
    const pre = preprocess(rgb, mask, w, h, manifest);
    expect(pre.imageCrop.length).toBe(3 * 16 * 16);
    expect(pre.maskFull.length).toBe(16 * 16);
    expect(pre.pointmapCrop).toBeNull();
    expect(pre.sceneScale).toBe(1);
    expect(Array.from(pre.sceneShift)).toEqual([0, 0, 0]);
    // a constant image stays constant inside the photo: 200/255 in float32
    expect(pre.imageCrop[8 * 16 + 8]).toBe(Math.fround(200 / 255));
    const pair = {
      image: { width: w, height: h, rgb, original: { width: w, height: h }, notes: [] },
      mask: { width: w, height: h, mask, notes: [] },
      notes: [],
    };
    expect(preprocess(pair, manifest)).toEqual(pre);
  });

  it('keeps large photos cheap: the 8192x6144 full image is never materialised', () => {
    const w = 8192;
    const h = 6144;
    const rgb = new Uint8Array(w * h * 3);
    const mask = new Uint8Array(w * h);
    for (let y = 100; y < 6000; y++) mask.fill(1, y * w + 50, y * w + 8100);
    const t = performance.now();
    const pre = preprocess(rgb, mask, w, h, { size: 518, boxSizeFactor: 1.2 });
    expect(pre.imageFull.length).toBe(3 * 518 * 518);
    expect(performance.now() - t).toBeLessThan(30_000);
  });

  it('pointmap helper validates its input size', () => {
    expect(() =>
      preprocessPointmap(
        new Float32Array(5),
        2,
        2,
        { x0: 0, y0: 0, x1: 2, y1: 2 },
        { size: 4, boxSizeFactor: 1.2 },
      ),
    ).toThrow(/pointmap has 5 values/);
  });
});
