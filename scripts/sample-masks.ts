// Regenerates the object masks of the sample photos from their recorded clicks:
//   node --import tsx scripts/sample-masks.ts [--check]
//
// Why: the real sample photos in resources/samples/ (see LICENSES.md there) must come with masks made
// by the project itself, not drawn by hand or taken from a third party's alpha channel. Each sample
// folder with a clicks.json holds the clicks (ClickPoint[]: image pixel x, y and positive/negative) that
// were given to the classical click segmenter (segmentByClicks without a SAM pack, i.e. GrabCut); this
// script replays them on photo.* and writes mask.png (8-bit grey, 255 object / 0 background), atomically
// (temp file + rename). The segmenter is deterministic, so the masks are reproducible.
//
// --check writes nothing: it prints the IoU of each regenerated mask against the committed one and exits 1
// when any differs by more than 0.5 % of its pixels (e.g. after a segmenter change: look at the masks
// again, then regenerate them without --check).
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { decodeImage, decodeMask } from '../engine/image/decode.ts';
import { maskIoU, segmentByClicks, type ClickPoint } from '../engine/segment/index.ts';

export const SAMPLES_DIR = fileURLToPath(new URL('../resources/samples/', import.meta.url));
/** Largest share of differing pixels --check accepts. */
export const MAX_DIFF_SHARE = 0.005;

export interface ClickSample {
  name: string;
  dir: string;
  photo: string;
  clicks: ClickPoint[];
}

/** Sample folders under `root` that hold a clicks.json and a photo.* (sorted by name). */
export function clickSamples(root = SAMPLES_DIR): ClickSample[] {
  const out: ClickSample[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = path.join(root, name);
    const clicksPath = path.join(dir, 'clicks.json');
    if (!existsSync(clicksPath)) continue;
    const photoFile = readdirSync(dir).find((f) => /^photo\.(png|jpe?g|webp|tiff?)$/i.test(f));
    if (!photoFile) throw new Error(`${dir}: clicks.json but no photo.*`);
    out.push({ name, dir, photo: path.join(dir, photoFile), clicks: parseClicks(clicksPath) });
  }
  return out;
}

function parseClicks(file: string): ClickPoint[] {
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const ok =
    Array.isArray(raw) &&
    raw.length > 0 &&
    raw.every(
      (p) =>
        typeof p === 'object' &&
        p !== null &&
        Number.isFinite(p.x) &&
        Number.isFinite(p.y) &&
        typeof p.positive === 'boolean',
    );
  if (!ok) throw new Error(`${file}: expected a non-empty array of {"x", "y", "positive"}`);
  return (raw as ClickPoint[]).map(({ x, y, positive }) => ({ x, y, positive }));
}

/** Runs the classical segmenter (no SAM pack) on the sample's photo with its clicks. */
export async function segmentSample(s: ClickSample) {
  const image = await decodeImage(s.photo);
  const r = await segmentByClicks(image, s.clicks);
  if (r.method !== 'grabcut') throw new Error(`${s.name}: segmenter used ${r.method}, expected grabcut`);
  return { mask: r.mask, width: image.width, height: image.height };
}

/** The mask as an 8-bit single-channel PNG, 255 object / 0 background. */
export async function maskPng(mask: Uint8Array, width: number, height: number): Promise<Buffer> {
  const grey = Buffer.from(mask.map((v) => (v ? 255 : 0)));
  return sharp(grey, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png({ compressionLevel: 9 })
    .toBuffer();
}

async function main() {
  const check = process.argv.includes('--check');
  const samples = clickSamples();
  if (samples.length === 0) throw new Error(`no sample with clicks.json under ${SAMPLES_DIR}`);
  let failed = 0;
  for (const s of samples) {
    const { mask, width, height } = await segmentSample(s);
    const n = width * height;
    const cover = mask.reduce((a, v) => a + v, 0) / n;
    const maskPath = path.join(s.dir, 'mask.png');
    if (check) {
      if (!existsSync(maskPath)) {
        console.log(`${s.name}: no mask.png`);
        failed++;
        continue;
      }
      const old = (await decodeMask(maskPath, width, height)).mask;
      let diff = 0;
      for (let i = 0; i < n; i++) if (old[i] !== mask[i]) diff++;
      const bad = diff / n > MAX_DIFF_SHARE;
      if (bad) failed++;
      console.log(
        `${s.name}: IoU ${maskIoU(mask, old).toFixed(4)}, ${diff} pixels differ ` +
          `(${((100 * diff) / n).toFixed(2)} %)${bad ? '  FAIL' : ''}`,
      );
    } else {
      const tmp = `${maskPath}.tmp-${process.pid}`;
      try {
        writeFileSync(tmp, await maskPng(mask, width, height));
        renameSync(tmp, maskPath);
      } finally {
        rmSync(tmp, { force: true });
      }
      console.log(`${s.name}: wrote mask.png (${width}x${height}, object ${(100 * cover).toFixed(1)} %)`);
    }
  }
  if (failed) {
    console.error(
      `${failed} of ${samples.length} masks differ from their clicks by more than 0.5 % of pixels`,
    );
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
