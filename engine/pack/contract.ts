// The tensor contract each stage must satisfy, computed from the manifest's constants. A pack whose
// declared tensors disagree with this cannot run, whatever its ONNX files say.
import type { Manifest, StageName, TensorSpec } from './manifest.ts';

type Expected = { inputs: TensorSpec[]; outputs: TensorSpec[]; why: string };

const f32 = (name: string, shape: TensorSpec['shape']): TensorSpec => ({ name, dtype: 'float32', shape });
const i32 = (name: string, shape: TensorSpec['shape']): TensorSpec => ({ name, dtype: 'int32', shape });
const i64 = (name: string, shape: TensorSpec['shape']): TensorSpec => ({ name, dtype: 'int64', shape });
const bool = (name: string, shape: TensorSpec['shape']): TensorSpec => ({ name, dtype: 'bool', shape });

function images(s: number, withPointmap: boolean): TensorSpec[] {
  const list = [
    f32('image_crop', [1, 3, s, s]),
    f32('image_full', [1, 3, s, s]),
    f32('mask_crop', [1, 1, s, s]),
    f32('mask_full', [1, 1, s, s]),
  ];
  if (withPointmap) {
    list.push(
      f32('pointmap_crop', [1, 3, s, s]),
      f32('pointmap_full', [1, 3, s, s]),
      f32('pointmap_weight', [1]),
    );
  }
  return list;
}

/** Names of the decoder's window inputs for shift index i. */
export const windowInputs = (i: number) => [`win${i}_idx`, `win${i}_valid`, `win${i}_inv`] as const;

function decoderInputs(m: Manifest, withSubdivisions: boolean): TensorSpec[] {
  const c = m.slat.latentChannels;
  const list: TensorSpec[] = [f32('feats', ['N', c]), i32('coords', ['N', 3])];
  m.decoder.shifts.forEach((_, i) => {
    const [idx, valid, inv] = windowInputs(i);
    list.push(i32(idx, [`W${i}`, `Lw${i}`]), bool(valid, [`W${i}`, `Lw${i}`]), i32(inv, ['N']));
  });
  if (withSubdivisions) {
    for (let j = 1; j <= m.decoder.subdivisions; j++) list.push(i32(`nbr_sub${j}`, [subAxis(j), 27]));
  }
  return list;
}

/** Row-count axis after j subdivisions: N, N8, N64, … */
export const subAxis = (j: number) => (j === 0 ? 'N' : `N${8 ** j}`);

export function expectedStage(m: Manifest, stage: StageName): Expected {
  const s = m.image.size;
  const d = m.condition.dim;
  const shapeTokens = m.ss.latentRes ** 3;
  const c = m.slat.latentChannels;
  switch (stage) {
    case 'ss_condition':
      return {
        inputs: images(s, true),
        outputs: [f32('cond', [1, m.condition.ssTokens, d])],
        why: 'image.size, condition.ssTokens, condition.dim',
      };
    case 'slat_condition':
      return {
        inputs: images(s, false),
        outputs: [f32('cond', [1, m.condition.slatTokens, d])],
        why: 'image.size, condition.slatTokens, condition.dim',
      };
    case 'ss_denoiser': {
      const x = [f32('x_shape', ['B', shapeTokens, m.ss.latentChannels])];
      const v = [f32('v_shape', ['B', shapeTokens, m.ss.latentChannels])];
      for (const l of m.ss.layout) {
        x.push(f32(`x_${l.name}`, ['B', 1, l.dim]));
        v.push(f32(`v_${l.name}`, ['B', 1, l.dim]));
      }
      const inputs = [...x, f32('t', ['B'])];
      if (m.ss.sampler.shortcutD !== null) inputs.push(f32('d', ['B']));
      inputs.push(f32('cond', ['B', 'L', d]));
      return { inputs, outputs: v, why: 'ss.latentRes³ × ss.latentChannels, ss.layout, condition.dim' };
    }
    case 'ss_decoder': {
      const g = m.ss.occupancyRes;
      return {
        inputs: [f32('shape_latent', ['B', shapeTokens, m.ss.latentChannels])],
        outputs: [f32('occupancy_logits', ['B', g, g, g])],
        why: 'ss.latentRes³ × ss.latentChannels → ss.occupancyRes³',
      };
    }
    case 'slat_denoiser':
      return {
        inputs: [
          f32('x', ['B', 'N', c]),
          f32('t', ['B']),
          f32('cond', ['B', 'L', d]),
          i32('nbr', ['N', 27]),
          i32('pool_children', ['M', 8]),
          f32('pool_scale', ['M', 1]),
          i32('parent', ['N']),
          i32('nbr_coarse', ['M', 27]),
          i32('coords_coarse', ['M', 3]),
        ],
        outputs: [f32('v', ['B', 'N', c])],
        why: 'slat.latentChannels, condition.dim',
      };
    case 'mesh_decoder':
      return {
        inputs: decoderInputs(m, true),
        outputs: [f32('cube_feats', [subAxis(m.decoder.subdivisions), m.decoder.mesh.channels])],
        why: 'slat.latentChannels, decoder.shifts, decoder.subdivisions, decoder.mesh.channels',
      };
    case 'depth':
      // image: the photo resized on the host to the token grid (h, w), [0,1]; out_hw: the photo's (H, W).
      return {
        inputs: [f32('image', [1, 3, 'h', 'w']), i64('out_hw', [2])],
        outputs: [f32('points_affine', [1, 'H', 'W', 3]), f32('mask_raw', [1, 'H', 'W'])],
        why: 'depth stage (docs/pack-format.md)',
      };
    case 'gs_decoder': {
      const g = m.decoder.gaussians;
      return {
        inputs: decoderInputs(m, false),
        outputs: [f32('gs_raw', ['N', g ? g.perVoxel * 14 : 'K'])],
        why: 'decoder.gaussians.perVoxel × 14',
      };
    }
  }
}

const fmt = (shape: TensorSpec['shape']) => `[${shape.join(',')}]`;

/** Differences between a declared stage and the contract, one line each. */
export function contractMismatches(m: Manifest, stage: StageName): string[] {
  const spec = m.stages[stage];
  if (!spec) return [];
  const exp = expectedStage(m, stage);
  const out: string[] = [];
  if (stage === 'depth' && !m.depth)
    out.push(`${spec.file}: stages.depth needs the manifest's "depth" section (numTokens, patch, …)`);
  for (const [kind, want, have] of [
    ['input', exp.inputs, spec.inputs],
    ['output', exp.outputs, spec.outputs],
  ] as const) {
    for (const w of want) {
      const h = have.find((t) => t.name === w.name);
      if (!h) {
        out.push(
          `${spec.file} ${kind} "${w.name}": missing from the manifest (contract: ${w.dtype} ${fmt(w.shape)})`,
        );
      } else if (h.dtype !== w.dtype) {
        out.push(`${spec.file} ${kind} "${w.name}": manifest says ${h.dtype}, contract expects ${w.dtype}`);
      } else if (fmt(h.shape) !== fmt(w.shape)) {
        out.push(
          `${spec.file} ${kind} "${w.name}": manifest says ${fmt(h.shape)}, contract expects ${fmt(w.shape)} (${exp.why})`,
        );
      }
    }
    for (const h of have) {
      if (!want.some((w) => w.name === h.name))
        out.push(`${spec.file} ${kind} "${h.name}": not part of the contract`);
    }
  }
  return out;
}
