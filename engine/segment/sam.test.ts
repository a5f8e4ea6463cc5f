// SAM path against the tiny random-weight SAM-contract pair in resources/fixtures/sam-tiny
// (modeling/tools/export_sam_tiny.py). Its decoder's logits are analytic: mask k is positive inside a
// circle of radius R_k (1024 frame) around each positive click, minus a circle of radius 64 around
// each negative click; the best iou_prediction is k = 1 (R = 160). So the checks are exact plumbing
// checks: the coordinate transform into the resized 1024 frame, the SAM padding point, orig_im_size
// (crop + resize back), thresholding at 0, and picking the best iou_prediction.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.ts';
import { findSamPair, maskIoU, samStats, segmentByClicks, type ClickPoint, type RgbImage } from './index.ts';
import { samEmbedding, samPointInputs, samResizedSize } from './sam.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SAM_DIR = path.join(ROOT, 'resources/fixtures/sam-tiny');
const SAM_HWC_DIR = path.join(SAM_DIR, 'hwc');
const R_BEST = 160;
const R_NEG = 64;

function photo(width: number, height: number, seed: number): RgbImage {
  const rgb = new Uint8Array(width * height * 3);
  let s = seed;
  for (let i = 0; i < rgb.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    rgb[i] = s >>> 24;
  }
  return { rgb, width, height };
}

/** The tiny decoder's mask k=1 computed directly in the original frame. */
function expected(width: number, height: number, points: ClickPoint[]): Uint8Array {
  const { w, h } = samResizedSize(width, height);
  const sx = w / width;
  const sy = h / height;
  const m = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      // Pixel centre in the 1024 frame; clicks as the decoder sees them (+0.5).
      const gx = (x + 0.5) * sx;
      const gy = (y + 0.5) * sy;
      const d2 = (p: ClickPoint) => (gx - (p.x * sx + 0.5)) ** 2 + (gy - (p.y * sy + 0.5)) ** 2;
      const inPos = points.some((p) => p.positive && d2(p) < R_BEST * R_BEST);
      const inNeg = points.some((p) => !p.positive && d2(p) < R_NEG * R_NEG);
      m[y * width + x] = inPos && !inNeg ? 1 : 0;
    }
  return m;
}

function centroid(m: Uint8Array, width: number): [number, number] {
  let sx = 0;
  let sy = 0;
  let n = 0;
  m.forEach((v, i) => {
    if (!v) return;
    sx += (i % width) + 0.5;
    sy += Math.floor(i / width) + 0.5;
    n++;
  });
  return [sx / n, sy / n];
}

describe('SAM encoder/decoder pair', () => {
  it('finds the pair by name and ignores folders without one', async () => {
    const pair = await findSamPair([path.join(ROOT, 'resources/packs/test'), '/nonexistent/dir', SAM_DIR]);
    expect(pair?.dir).toBe(SAM_DIR);
    expect(path.basename(pair!.encoder)).toBe('sam_tiny_encoder.onnx');
    expect(path.basename(pair!.decoder)).toBe('sam_tiny_decoder.onnx');
    expect(await findSamPair([path.join(ROOT, 'resources/packs/test')])).toBeUndefined();
  });

  it('maps clicks into the resized 1024 frame and appends the padding point', () => {
    expect(samResizedSize(400, 300)).toEqual({ w: 1024, h: 768 });
    expect(samResizedSize(333, 500)).toEqual({ w: 682, h: 1024 });
    const { coords, labels } = samPointInputs(
      [
        { x: 100, y: 150, positive: true },
        { x: 10, y: 20, positive: false },
      ],
      400,
      300,
    );
    expect([...coords]).toEqual([256, 384, 25.6, 51.2, 0, 0].map(Math.fround));
    expect([...labels]).toEqual([1, 0, -1]);
  });

  it('one positive click: the best-IoU mask, thresholded at 0, at the photo size (wide photo)', async () => {
    const img = photo(400, 300, 1);
    const pts = [{ x: 100, y: 150, positive: true }];
    const r = await segmentByClicks(img, pts, { packDirs: [SAM_DIR] });
    expect(r.method).toBe('sam');
    expect(r.mask.length).toBe(400 * 300);
    const want = expected(400, 300, pts);
    expect(maskIoU(r.mask, want)).toBeGreaterThan(0.98);
    // Mask k=1 (R 160 → 62.5 px here), not the larger or smaller ones.
    const area = r.mask.reduce((s, v) => s + v, 0);
    expect(area / (Math.PI * 62.5 ** 2)).toBeGreaterThan(0.97);
    expect(area / (Math.PI * 62.5 ** 2)).toBeLessThan(1.03);
    const [cx, cy] = centroid(r.mask, 400);
    expect(Math.abs(cx - (100 + 0.5 / 2.56))).toBeLessThan(0.75);
    expect(Math.abs(cy - (150 + 0.5 / 2.56))).toBeLessThan(0.75);
  });

  it('positive and negative clicks on a tall photo; the embedding is computed once per photo', async () => {
    const img = photo(333, 500, 2);
    const before = samStats();
    const p1 = [{ x: 150, y: 250, positive: true }];
    const p2 = [...p1, { x: 190, y: 250, positive: false }];
    const r1 = await segmentByClicks(img, p1, { packDirs: [SAM_DIR] });
    const r2 = await segmentByClicks(img, p2, { packDirs: [SAM_DIR] });
    const after = samStats();
    expect(after.encoderRuns - before.encoderRuns).toBe(1);
    expect(after.decoderRuns - before.decoderRuns).toBe(2);
    expect(maskIoU(r1.mask, expected(333, 500, p1))).toBeGreaterThan(0.98);
    expect(maskIoU(r2.mask, expected(333, 500, p2))).toBeGreaterThan(0.97);
    expect(r2.mask.reduce((s, v) => s + v, 0)).toBeLessThan(r1.mask.reduce((s, v) => s + v, 0));
    // Another photo needs its own embedding.
    await segmentByClicks(photo(333, 500, 3), p1, { packDirs: [SAM_DIR] });
    expect(samStats().encoderRuns - after.encoderRuns).toBe(1);
  });

  it('an encoder with in-graph preprocessing ([H,W,3]) gives the same masks', async () => {
    const img = photo(400, 300, 4);
    const pts = [{ x: 200, y: 100, positive: true }];
    const a = await segmentByClicks(img, pts, { packDirs: [SAM_DIR] });
    const b = await segmentByClicks(img, pts, { packDirs: [SAM_HWC_DIR] });
    expect(b.method).toBe('sam');
    expect(maskIoU(a.mask, b.mask)).toBeGreaterThan(0.999);
    // Normalisation and padding done here (NCHW) and in the graph (HWC) give the same embedding.
    const ea = await samEmbedding((await findSamPair([SAM_DIR]))!, img);
    const eb = await samEmbedding((await findSamPair([SAM_HWC_DIR]))!, img);
    expect(ea.dims).toEqual([1, 256, 64, 64]);
    const da = ea.data as Float32Array;
    const db = eb.data as Float32Array;
    let maxDiff = 0;
    for (let i = 0; i < da.length; i++) maxDiff = Math.max(maxDiff, Math.abs(da[i] - db[i]));
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('without a positive click the SAM path is not used', async () => {
    const r = await segmentByClicks(photo(64, 48, 5), [{ x: 3, y: 3, positive: false }], {
      packDirs: [SAM_DIR],
    });
    expect(r.method).toBe('none');
  });

  it('a pair that breaks the decoder contract is a UserError', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sam-bad-'));
    try {
      await copyFile(path.join(SAM_DIR, 'sam_tiny_encoder.onnx'), path.join(dir, 'm.encoder.onnx'));
      await copyFile(path.join(SAM_DIR, 'sam_tiny_encoder.onnx'), path.join(dir, 'm.decoder.onnx'));
      const err = await segmentByClicks(photo(40, 30, 6), [{ x: 5, y: 5, positive: true }], {
        packDirs: [dir],
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect(String((err as Error).message)).toMatch(/lacks input\(s\) image_embeddings/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
