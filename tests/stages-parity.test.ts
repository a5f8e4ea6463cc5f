// Each ONNX stage of the test pack, run through the engine's session cache, against the PyTorch
// outputs for the same inputs (resources/fixtures/test-pack/stages.safetensors).
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPack } from '../engine/pack/load.ts';
import type { StageName } from '../engine/pack/manifest.ts';
import { SessionCache } from '../engine/pack/sessions.ts';
import { capVoxels, occupiedCoords, pruneInterior } from '../engine/geometry/occupancy.ts';
import { buildDecoderStructures, buildSlatStructures } from '../engine/sparse/index.ts';
import { maxAbsDiff, readSafetensors, type FixtureTensor } from './support/safetensors.ts';
import { TEST_PACK, fixturePath } from './support/paths.ts';

const fixtures = readSafetensors(fixturePath('stages.safetensors'));
const pack = loadPack(TEST_PACK, { verifyHashes: true });
const sessions = new SessionCache(pack, { threads: 1 });
afterAll(() => sessions.dispose());

/** Fixture cases: "<case>.in.<name>" / "<case>.out.<name>", where case is a stage or "<stage>_<variant>". */
const cases = new Map<
  string,
  { inputs: Record<string, FixtureTensor>; outputs: Record<string, FixtureTensor> }
>();
for (const [key, t] of Object.entries(fixtures)) {
  const [name, dir, ...rest] = key.split('.');
  if (name === 'host' || (dir !== 'in' && dir !== 'out')) continue; // host-side references, tested below
  const entry = cases.get(name) ?? { inputs: {}, outputs: {} };
  (dir === 'in' ? entry.inputs : entry.outputs)[rest.join('.')] = t;
  cases.set(name, entry);
}

function toTensor(t: FixtureTensor, dtype: string): ort.Tensor {
  if (dtype === 'bool') return new ort.Tensor('bool', Uint8Array.from(t.data), t.shape);
  if (dtype === 'int32') return new ort.Tensor('int32', Int32Array.from(t.data), t.shape);
  return new ort.Tensor('float32', Float32Array.from(t.data), t.shape);
}

describe('test pack stages vs PyTorch', () => {
  it('covers every stage of the pack', () => {
    const stages = new Set([...cases.keys()].map((c) => c.replace(/_uncond$/, '')));
    for (const s of Object.keys(pack.manifest.stages)) expect(stages).toContain(s);
  });

  for (const [name, c] of cases) {
    it(`${name}: max abs error ≤ 1e-4`, async () => {
      const stage = name.replace(/_uncond$/, '') as StageName;
      const spec = pack.manifest.stages[stage]!;
      const feeds: Record<string, ort.Tensor> = {};
      for (const input of spec.inputs) {
        const t = c.inputs[input.name];
        expect(t, `fixture input ${input.name}`).toBeDefined();
        feeds[input.name] = toTensor(t, input.dtype);
      }
      const out = await sessions.run(stage, feeds);
      for (const [oname, want] of Object.entries(c.outputs)) {
        const got = out[oname];
        expect(got.dims).toEqual(want.shape);
        // Absolute error, relative to the output's magnitude when that exceeds 1.
        let scale = 1;
        for (const v of want.data) scale = Math.max(scale, Math.abs(v));
        expect(maxAbsDiff(got.data as Float32Array, want.data) / scale).toBeLessThanOrEqual(1e-4);
      }
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
