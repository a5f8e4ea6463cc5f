// Condition tokens for both stages, computed once per object (they do not change across steps).
import type { SessionCache } from '../pack/sessions.ts';
import { f32, outputF32, type Feeds } from './tensors.ts';

export type ConditionImages = {
  imageCrop: Float32Array;
  imageFull: Float32Array;
  maskCrop: Float32Array;
  maskFull: Float32Array;
  /** Normalised pointmaps (CHW) when a depth stage produced them; null runs "no depth" mode. */
  pointmapCrop: Float32Array | null;
  pointmapFull: Float32Array | null;
};

export async function conditionTokens(
  sessions: SessionCache,
  stage: 'ss_condition' | 'slat_condition',
  img: ConditionImages,
): Promise<Float32Array> {
  const s = sessions.pack.manifest.image.size;
  const rgb = [1, 3, s, s];
  const one = [1, 1, s, s];
  const feeds: Feeds = {
    image_crop: f32(img.imageCrop, rgb),
    image_full: f32(img.imageFull, rgb),
    mask_crop: f32(img.maskCrop, one),
    mask_full: f32(img.maskFull, one),
  };
  if (stage === 'ss_condition') {
    // Without depth the pointmap token blocks are zeroed in the graph (weight 0), as in training dropout.
    const hasDepth = img.pointmapCrop !== null && img.pointmapFull !== null;
    feeds.pointmap_crop = f32(img.pointmapCrop ?? new Float32Array(3 * s * s), rgb);
    feeds.pointmap_full = f32(img.pointmapFull ?? new Float32Array(3 * s * s), rgb);
    feeds.pointmap_weight = f32(Float32Array.of(hasDepth ? 1 : 0), [1]);
  }
  const out = await sessions.run(stage, feeds);
  return outputF32(out, 'cond', stage);
}
