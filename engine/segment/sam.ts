// SAM (v1 / MobileSAM) click segmentation with onnxruntime-node, following the standard SAM ONNX
// contract (docs/reference: desktop-ecosystem §3.2–3.3):
// - encoder: `input_image` float32 [1,3,1024,1024] (photo resized so its long side is 1024, normalised
//   with the SAM pixel mean/std, zero-padded bottom/right), or the samexporter `--use-preprocess`
//   form [H,W,3] (resized photo, 0–255; the graph normalises and pads) → `image_embeddings`
//   [1,256,64,64]. Computed once per photo and cached.
// - decoder: image_embeddings, point_coords [1,N+1,2] (clicks in the resized 1024 frame, plus the
//   (0,0)/-1 padding point), point_labels [1,N+1] (1 positive, 0 negative, -1 padding), mask_input
//   [1,1,256,256] zeros, has_mask_input [0], orig_im_size [H,W] → masks [1,K,H,W] logits,
//   iou_predictions [1,K], low_res_masks. We keep the mask with the best iou_prediction and threshold
//   its logits at 0.
// A pair is two .onnx files in one folder whose names differ only by "encoder" ↔ "decoder"
// (sam_encoder.onnx / sam_decoder.onnx, mobile_sam.encoder.onnx / mobile_sam.decoder.onnx, ...).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { UserError } from '../errors.ts';
import type { ClickPoint, RgbImage } from './types.ts';

export const SAM_INPUT_SIZE = 1024;
const PIXEL_MEAN = [123.675, 116.28, 103.53];
const PIXEL_STD = [58.395, 57.12, 57.375];
const DECODER_INPUTS = [
  'image_embeddings',
  'point_coords',
  'point_labels',
  'mask_input',
  'has_mask_input',
  'orig_im_size',
];

export interface SamPair {
  dir: string;
  encoder: string;
  decoder: string;
}

/** The first folder (in order) holding a SAM encoder/decoder pair, or undefined. Missing folders are skipped. */
export async function findSamPair(dirs: string[]): Promise<SamPair | undefined> {
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
    } catch {
      continue;
    }
    const onnx = new Set(names.filter((n) => n.toLowerCase().endsWith('.onnx')));
    for (const enc of [...onnx].sort()) {
      const m = /encoder/i.exec(enc);
      if (!m) continue;
      const word = m[0];
      const dec = enc.slice(0, m.index) + swapWord(word) + enc.slice(m.index + word.length);
      if (onnx.has(dec)) return { dir, encoder: path.join(dir, enc), decoder: path.join(dir, dec) };
    }
  }
  return undefined;
}

/** "encoder" → "decoder" keeping the letter case of each character. */
function swapWord(word: string): string {
  const target = 'decoder';
  return [...target].map((ch, i) => (word[i] === word[i].toUpperCase() ? ch.toUpperCase() : ch)).join('');
}

interface SamSessions {
  encoder: ort.InferenceSession;
  decoder: ort.InferenceSession;
  encoderInput: string;
  /** 4: [1,3,1024,1024] normalised + padded; 3: [H,W,3] resized 0–255 (preprocessing in the graph). */
  encoderRank: 3 | 4;
  embeddingOutput: string;
}

const sessions = new Map<string, Promise<SamSessions>>();
/** Per photo (keyed on its pixel array) and encoder: the image embedding. */
const embeddings = new WeakMap<Uint8Array, Map<string, Promise<ort.Tensor>>>();
const stats = { encoderRuns: 0, decoderRuns: 0 };

/** Counters for tests and the UI's diagnostics: encoder runs (cache misses) and decoder runs. */
export function samStats(): { encoderRuns: number; decoderRuns: number } {
  return { ...stats };
}

function loadSessions(pair: SamPair): Promise<SamSessions> {
  const key = `${pair.encoder}\n${pair.decoder}`;
  let s = sessions.get(key);
  if (!s) {
    s = createSessions(pair);
    sessions.set(key, s);
    s.catch(() => sessions.delete(key));
  }
  return s;
}

async function createSessions(pair: SamPair): Promise<SamSessions> {
  const opts: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  };
  const open = async (file: string) => {
    try {
      return await ort.InferenceSession.create(file, opts);
    } catch (e) {
      throw new UserError(`SAM model ${file} cannot be loaded by onnxruntime (${firstLine(e)})`);
    }
  };
  const [encoder, decoder] = await Promise.all([open(pair.encoder), open(pair.decoder)]);
  const missing = DECODER_INPUTS.filter((n) => !decoder.inputNames.includes(n));
  if (missing.length)
    throw new UserError(
      `SAM decoder ${pair.decoder} lacks input(s) ${missing.join(', ')} (it has ${decoder.inputNames.join(', ')}); ` +
        'only the SAM v1 / MobileSAM decoder contract is supported',
    );
  for (const out of ['masks', 'iou_predictions'])
    if (!decoder.outputNames.includes(out))
      throw new UserError(
        `SAM decoder ${pair.decoder} has no output "${out}" (it has ${decoder.outputNames.join(', ')})`,
      );
  if (encoder.inputNames.length !== 1)
    throw new UserError(
      `SAM encoder ${pair.encoder} must take one image input (it has ${encoder.inputNames.join(', ')})`,
    );
  const encoderInput = encoder.inputNames[0];
  const meta = encoder.inputMetadata.find((m) => m.name === encoderInput);
  const rank = meta && meta.isTensor ? meta.shape.length : 4;
  if (rank !== 3 && rank !== 4)
    throw new UserError(
      `SAM encoder ${pair.encoder} input "${encoderInput}" has rank ${rank}; expected [1,3,1024,1024] or [H,W,3]`,
    );
  const embeddingOutput = encoder.outputNames.includes('image_embeddings')
    ? 'image_embeddings'
    : encoder.outputNames[0];
  return { encoder, decoder, encoderInput, encoderRank: rank, embeddingOutput };
}

/** Size of the photo resized so its long side is 1024 (SAM's ResizeLongestSide rounding). */
export function samResizedSize(width: number, height: number): { w: number; h: number } {
  const s = SAM_INPUT_SIZE / Math.max(width, height);
  return { w: Math.floor(width * s + 0.5), h: Math.floor(height * s + 0.5) };
}

async function encoderFeed(image: RgbImage, rank: 3 | 4): Promise<ort.Tensor> {
  const { w, h } = samResizedSize(image.width, image.height);
  const resized = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(w, h, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  if (rank === 3) {
    const hwc = new Float32Array(w * h * 3);
    for (let i = 0; i < hwc.length; i++) hwc[i] = resized[i];
    return new ort.Tensor('float32', hwc, [h, w, 3]);
  }
  const S = SAM_INPUT_SIZE;
  const chw = new Float32Array(3 * S * S); // zero padding bottom/right (after normalisation)
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const p = (y * w + x) * 3;
      for (let c = 0; c < 3; c++)
        chw[c * S * S + y * S + x] = (resized[p + c] - PIXEL_MEAN[c]) / PIXEL_STD[c];
    }
  return new ort.Tensor('float32', chw, [1, 3, S, S]);
}

/** The photo's image embedding from the pair's encoder (cached per photo). */
export async function samEmbedding(pair: SamPair, image: RgbImage): Promise<ort.Tensor> {
  return imageEmbedding(await loadSessions(pair), pair, image);
}

function imageEmbedding(s: SamSessions, pair: SamPair, image: RgbImage): Promise<ort.Tensor> {
  let perImage = embeddings.get(image.rgb);
  if (!perImage) {
    perImage = new Map();
    embeddings.set(image.rgb, perImage);
  }
  const key = `${pair.encoder}\n${image.width}x${image.height}`;
  let e = perImage.get(key);
  if (!e) {
    e = (async () => {
      const feed = await encoderFeed(image, s.encoderRank);
      stats.encoderRuns++;
      const out = await s.encoder.run({ [s.encoderInput]: feed });
      return out[s.embeddingOutput] as ort.Tensor;
    })();
    perImage.set(key, e);
    const map = perImage;
    e.catch(() => map.delete(key));
  }
  return e;
}

/** The decoder's point inputs: clicks mapped to the resized 1024 frame, plus SAM's padding point. */
export function samPointInputs(
  points: ClickPoint[],
  width: number,
  height: number,
): { coords: Float32Array; labels: Float32Array } {
  const { w, h } = samResizedSize(width, height);
  const coords = new Float32Array((points.length + 1) * 2);
  const labels = new Float32Array(points.length + 1);
  points.forEach((p, i) => {
    coords[i * 2] = p.x * (w / width);
    coords[i * 2 + 1] = p.y * (h / height);
    labels[i] = p.positive ? 1 : 0;
  });
  labels[points.length] = -1; // padding point at (0, 0): there is no box prompt
  return { coords, labels };
}

export async function segmentSam(pair: SamPair, image: RgbImage, points: ClickPoint[]): Promise<Uint8Array> {
  const s = await loadSessions(pair);
  const embedding = await imageEmbedding(s, pair, image);
  const { width, height } = image;
  const { coords, labels } = samPointInputs(points, width, height);
  const feeds: Record<string, ort.Tensor> = {
    image_embeddings: embedding,
    point_coords: new ort.Tensor('float32', coords, [1, labels.length, 2]),
    point_labels: new ort.Tensor('float32', labels, [1, labels.length]),
    mask_input: new ort.Tensor('float32', new Float32Array(256 * 256), [1, 1, 256, 256]),
    has_mask_input: new ort.Tensor('float32', new Float32Array([0]), [1]),
    orig_im_size: new ort.Tensor('float32', new Float32Array([height, width]), [2]),
  };
  stats.decoderRuns++;
  const out = await s.decoder.run(feeds);
  const masks = out.masks as ort.Tensor;
  const iou = out.iou_predictions as ort.Tensor;
  const dims = masks.dims;
  if (dims.length !== 4 || dims[2] !== height || dims[3] !== width)
    throw new UserError(
      `SAM decoder ${pair.decoder} returned masks [${dims.join(',')}]; expected [1,K,${height},${width}]`,
    );
  const k = dims[1];
  const scores = iou.data as Float32Array;
  let best = 0;
  for (let i = 1; i < k; i++) if (scores[i] > scores[best]) best = i;
  const logits = masks.data as Float32Array;
  const n = width * height;
  const mask = new Uint8Array(n);
  const off = best * n;
  for (let i = 0; i < n; i++) mask[i] = logits[off + i] > 0 ? 1 : 0;
  return mask;
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e)
    .split('\n')[0]
    .slice(0, 200);
}
