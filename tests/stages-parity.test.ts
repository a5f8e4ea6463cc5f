// Each ONNX stage of the test pack, run through the engine's session cache, against the PyTorch
// outputs for the same inputs (resources/fixtures/test-pack/stages.safetensors).
import { afterAll, describe, expect, it } from 'vitest';
import { loadPack } from '../engine/pack/load.ts';
import { SessionCache } from '../engine/pack/sessions.ts';
import { capVoxels, occupiedCoords, pruneInterior } from '../engine/geometry/occupancy.ts';
import { buildDecoderStructures, buildSlatStructures } from '../engine/sparse/index.ts';
import { maxAbsDiff, readSafetensors } from './support/safetensors.ts';
import { runStageCase, stageCases } from './support/stage-fixtures.ts';
import { TEST_PACK, fixturePath } from './support/paths.ts';

const fixtures = readSafetensors(fixturePath('stages.safetensors'));
const pack = loadPack(TEST_PACK, { verifyHashes: true });
const sessions = new SessionCache(pack, { threads: 1 });
afterAll(() => sessions.dispose());

/** Fixture cases: "<case>.in.<name>" / "<case>.out.<name>", where case is a stage or "<stage>_<variant>". */
const cases = stageCases(fixtures);

describe('test pack stages vs PyTorch', () => {
  it('covers every stage of the pack', () => {
    const stages = new Set([...cases.keys()].map((c) => c.replace(/_uncond$/, '')));
    for (const s of Object.keys(pack.manifest.stages)) expect(stages).toContain(s);
  });

  for (const [name, c] of cases) {
    it(`${name}: max abs error ≤ 1e-4`, async () => {
      const errors = await runStageCase(pack, sessions, name, c);
      expect(Object.keys(errors).length).toBeGreaterThan(0);
      for (const [output, err] of Object.entries(errors)) expect(err, output).toBeLessThanOrEqual(1e-4);
    });
  }
});

describe('host structures vs the PyTorch reference builders', () => {
  const t = (name: string) => {
    const v = fixtures[name];
    if (!v) throw new Error(`fixture ${name} missing`);
    return v;
  };
  const asArray = (x: ArrayLike<number>) => Array.from(x);

  it('occupancy, pruning and the reference downsample', () => {
    const logits = t('host.occupancy.in.logits');
    const g = logits.shape[0];
    const occ = occupiedCoords(logits.data as Float32Array, g, 0);
    expect(asArray(occ)).toEqual(asArray(t('host.occupancy.out.coords').data));
    expect(asArray(pruneInterior(occ, g))).toEqual(asArray(t('host.prune.out.coords').data));
    const input = Int32Array.from(t('host.downsample.in.coords').data);
    // One voxel over the cap triggers the remap; the remapped set is small enough to keep whole.
    const out = capVoxels(input, input.length / 3 - 1, 2, () => 0);
    expect(out.downsampleFactor).toBe(2);
    expect(asArray(out.coords)).toEqual(asArray(t('host.downsample.out.coords').data));
  });

  it('stage-2 index tensors equal the TypeScript builders', () => {
    const coords = Int32Array.from(t('slat_denoiser.host.coords').data);
    const st = buildSlatStructures(coords, pack.manifest.slat.poolMeanIncludeSelf);
    expect(asArray(st.nbr)).toEqual(asArray(t('slat_denoiser.in.nbr').data));
    expect(asArray(st.poolChildren)).toEqual(asArray(t('slat_denoiser.in.pool_children').data));
    expect(maxAbsDiff(st.poolScale, t('slat_denoiser.in.pool_scale').data)).toBe(0);
    expect(asArray(st.parent)).toEqual(asArray(t('slat_denoiser.in.parent').data));
    expect(asArray(st.nbrCoarse)).toEqual(asArray(t('slat_denoiser.in.nbr_coarse').data));
    expect(asArray(st.coordsCoarse)).toEqual(asArray(t('slat_denoiser.in.coords_coarse').data));
  });

  it('decoder windows and subdivision maps equal the TypeScript builders', () => {
    const m = pack.manifest;
    const coords = Int32Array.from(t('mesh_decoder.in.coords').data);
    const st = buildDecoderStructures(coords, m.decoder.window, m.decoder.shifts, m.decoder.subdivisions);
    st.windows.forEach((w, i) => {
      expect(t(`mesh_decoder.in.win${i}_idx`).shape).toEqual([w.windows, w.length]);
      expect(asArray(w.idx)).toEqual(asArray(t(`mesh_decoder.in.win${i}_idx`).data));
      expect(asArray(w.valid)).toEqual(asArray(t(`mesh_decoder.in.win${i}_valid`).data));
      expect(asArray(w.inv)).toEqual(asArray(t(`mesh_decoder.in.win${i}_inv`).data));
    });
    st.subdivisions.forEach((s, j) => {
      expect(asArray(s.nbr)).toEqual(asArray(t(`mesh_decoder.in.nbr_sub${j + 1}`).data));
    });
  });
});
