// The whole pipeline on the bundled sample with PyTorch's noise injected, against the PyTorch
// reference pipeline (modeling/fsam3d_ref/pipeline.py) stage by stage and at the final mesh.
import { describe, expect, it } from 'vitest';
import { loadImagePair, preprocess } from '../engine/image/index.ts';
import { loadPack } from '../engine/pack/load.ts';
import { runPipeline, type RunResult } from '../engine/pipeline.ts';
import { maxAbsDiff, readSafetensors } from './support/safetensors.ts';
import { fixturePath, SAMPLE_MASK, SAMPLE_PHOTO, TEST_PACK } from './support/paths.ts';

const ref = readSafetensors(fixturePath('e2e.safetensors'));
const t = (name: string) => {
  const v = ref[name];
  if (!v) throw new Error(`fixture ${name} missing`);
  return v.data;
};
const TOL = 1e-4;
const pack = loadPack(TEST_PACK);

describe('end to end vs PyTorch', async () => {
  const artifacts = new Map<string, Float32Array | Int32Array>();
  const result: RunResult = await runPipeline({
    image: SAMPLE_PHOTO,
    mask: SAMPLE_MASK,
    pack,
    threads: 1,
    fillInterior: false, // the reference keeps FlexiCubes' hidden inner shell
    maskGuide: false, // the reference decodes stage 1's voxels as sampled
    noise: (stage, modality, length) => {
      const data = t(stage === 'ss' ? `ss.noise.${modality}` : 'slat.noise') as Float32Array;
      if (data.length !== length)
        throw new Error(`noise ${stage}/${modality}: ${data.length} values, need ${length}`);
      return Float32Array.from(data);
    },
    onArtifact: (name, data) => artifacts.set(name, data),
  });
  const art = (name: string) => artifacts.get(name)!;

  it('preprocessing', async () => {
    const img = preprocess(await loadImagePair(SAMPLE_PHOTO, SAMPLE_MASK), pack.manifest);
    expect(maxAbsDiff(img.imageCrop, t('pre.image_crop'))).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(img.imageFull, t('pre.image_full'))).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(img.maskCrop, t('pre.mask_crop'))).toBe(0);
    expect(maxAbsDiff(img.maskFull, t('pre.mask_full'))).toBe(0);
  });

  it('condition tokens of both stages', () => {
    expect(maxAbsDiff(art('ss_cond'), t('ss.cond'))).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(art('slat_cond'), t('slat.cond'))).toBeLessThanOrEqual(TOL);
  });

  it('stage 1: final latents of every modality and the occupancy logits', () => {
    for (const m of ['shape', 'rot6d', 'translation', 'scale', 'translation_scale']) {
      expect(maxAbsDiff(art(`ss_latent.${m}`), t(`ss.latent.${m}`)), m).toBeLessThanOrEqual(TOL);
    }
    expect(maxAbsDiff(art('occupancy_logits'), t('ss.occupancy_logits'))).toBeLessThanOrEqual(TOL);
  });

  it('voxels (exact) and pose', () => {
    expect(Array.from(result.coords)).toEqual(Array.from(t('ss.coords')));
    expect(result.report.voxels.downsampleFactor).toBe(t('ss.downsample_factor')[0]);
    expect(maxAbsDiff(result.pose.quaternion, t('pose.quaternion'))).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(result.pose.translation, t('pose.translation'))).toBeLessThanOrEqual(TOL);
    expect(Math.abs(result.pose.scale - t('pose.scale')[0])).toBeLessThanOrEqual(TOL);
  });

  it('stage 2: de-normalised structured latent', () => {
    expect(maxAbsDiff(result.slat, t('slat.feats'))).toBeLessThanOrEqual(TOL);
  });

  it('mesh decoder output', () => {
    const cube = art('cube_feats') as Float32Array;
    const k = pack.manifest.decoder.mesh.channels;
    const rows = t('mesh.cube_feats_rows');
    expect(maxAbsDiff(cube.subarray(0, rows.length), rows)).toBeLessThanOrEqual(TOL);
    const rowsum = new Float32Array(cube.length / k);
    for (let r = 0; r < rowsum.length; r++) for (let c = 0; c < k; c++) rowsum[r] += cube[r * k + c];
    expect(maxAbsDiff(rowsum, t('mesh.cube_feats_rowsum'))).toBeLessThanOrEqual(1e-3); // sums of 101 values
  });

  it('final mesh: same topology, vertices and colours', () => {
    expect(Array.from(result.mesh.faces)).toEqual(Array.from(t('mesh.faces')));
    expect(maxAbsDiff(result.mesh.vertices, t('mesh.vertices'))).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(result.mesh.colors, t('mesh.colors'))).toBeLessThanOrEqual(TOL);
  });
});
