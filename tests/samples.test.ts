// The real sample photos (resources/samples/<name>/ with clicks.json, see LICENSES.md there): each photo
// decodes, its mask.png is a binary 8-bit grey image of the photo's size covering a plausible share of
// it, and replaying clicks.json through the click segmenter gives the committed mask back
// (scripts/sample-masks.ts regenerates them).
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../engine/image/decode.ts';
import { maskIoU } from '../engine/segment/index.ts';
import { clickSamples, segmentSample } from '../scripts/sample-masks.ts';

const samples = clickSamples();

describe('sample photos with click masks', () => {
  it('ships at least 6 real photos with clicks', () => {
    expect(samples.length).toBeGreaterThanOrEqual(6);
  });

  for (const s of samples) {
    it(`${s.name}: photo decodes, mask is binary, non-trivial and reproduced from clicks.json`, async () => {
      const photo = await decodeImage(s.photo);
      expect(photo.notes).toEqual([]);

      const maskPath = path.join(s.dir, 'mask.png');
      const meta = await sharp(maskPath).metadata();
      expect([meta.format, meta.channels, meta.depth, meta.hasAlpha]).toEqual(['png', 1, 'uchar', false]);
      expect([meta.width, meta.height]).toEqual([photo.width, photo.height]);
      const grey = await sharp(maskPath).extractChannel(0).raw().toBuffer();
      expect(grey.length).toBe(photo.width * photo.height);
      const committed = new Uint8Array(grey.length);
      let other = 0;
      for (let i = 0; i < grey.length; i++) {
        if (grey[i] !== 0 && grey[i] !== 255) other++;
        committed[i] = grey[i] === 255 ? 1 : 0;
      }
      expect(other).toBe(0);
      const cover = committed.reduce((a, v) => a + v, 0) / committed.length;
      expect(cover).toBeGreaterThanOrEqual(0.02);
      expect(cover).toBeLessThanOrEqual(0.9);

      for (const c of s.clicks) {
        expect(c.x).toBeGreaterThanOrEqual(0);
        expect(c.x).toBeLessThan(photo.width);
        expect(c.y).toBeGreaterThanOrEqual(0);
        expect(c.y).toBeLessThan(photo.height);
      }
      const { mask } = await segmentSample(s);
      expect(maskIoU(mask, committed)).toBeGreaterThanOrEqual(0.99);
    });
  }
});
