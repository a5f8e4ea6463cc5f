// Stage 2: denoise the structured latent over the sparse voxels of stage 1. The index tensors that
// replace sparse convolutions, pooling and unpooling are built once per object; a policy that carves
// tokens gets the network run for real on the active subset, with the indices renumbered for that subset.
import type { Fields, StepPolicy } from '../accelerate/policy.ts';
import type { SessionCache } from '../pack/sessions.ts';
import { sampleFlow, type StepRecord } from '../sampling/flow-sampler.ts';
import type { NoiseSource } from '../sampling/rng.ts';
import { buildSlatStructures, subsetSlatStructures, type SlatStructures } from '../sparse/index.ts';
import { f32, i32, outputF32, type Feeds } from './tensors.ts';

export type Stage2Result = {
  /** De-normalised latent, (N, C) row-major. */
  slat: Float32Array;
  evaluations: number;
  trace: StepRecord[];
  coarseVoxels: number;
};

function structureFeeds(st: SlatStructures): Feeds {
  return {
    nbr: i32(st.nbr, [st.n, 27]),
    pool_children: i32(st.poolChildren, [st.m, 8]),
    pool_scale: f32(st.poolScale, [st.m, 1]),
    parent: i32(st.parent, [st.n]),
    nbr_coarse: i32(st.nbrCoarse, [st.m, 27]),
    coords_coarse: i32(st.coordsCoarse, [st.m, 3]),
  };
}

/** Rows of a (N, width) array picked by ascending indices. */
export function gatherRows<T extends Float32Array | Int32Array>(src: T, width: number, rows: Int32Array): T {
  const out = new (src.constructor as { new (n: number): T })(rows.length * width);
  for (let r = 0; r < rows.length; r++)
    out.set(src.subarray(rows[r] * width, rows[r] * width + width), r * width);
  return out;
}

export async function sampleStage2(opts: {
  sessions: SessionCache;
  coords: Int32Array;
  cond: Float32Array;
  noise: NoiseSource;
  policy: StepPolicy;
  spatialScores?: Float32Array;
  signal?: AbortSignal;
  onStep?: (done: number, of: number) => void;
}): Promise<Stage2Result> {
  const { sessions, coords } = opts;
  const m = sessions.pack.manifest;
  const cfg = m.slat.sampler;
  const C = m.slat.latentChannels;
  const D = m.condition.dim;
  const n = coords.length / 3;
  const fullStructures = buildSlatStructures(coords, m.slat.poolMeanIncludeSelf);
  const fullFeeds = structureFeeds(fullStructures);
  const condT = f32(opts.cond, [1, opts.cond.length / D, D]);
  const uncondT = f32(new Float32Array(cfg.uncondTokens * D), [1, cfg.uncondTokens, D]);
  // Cond and uncond passes of one step share the same subset: build its indices once.
  let subset: { tokens: Int32Array; feeds: Feeds } | null = null;

  const res = await sampleFlow({
    config: cfg,
    x0: { x: opts.noise('slat', 'x', n * C) },
    policy: opts.policy,
    setup: { tokens: n, spatialScores: opts.spatialScores },
    signal: opts.signal,
    onStep: opts.onStep,
    evaluate: async (x, t, branch, tokens) => {
      let structure = fullFeeds;
      let rows = n;
      let input = x.x;
      if (tokens) {
        if (subset?.tokens !== tokens) {
          subset = {
            tokens,
            feeds: structureFeeds(subsetSlatStructures(fullStructures, tokens, m.slat.poolMeanIncludeSelf)),
          };
        }
        structure = subset.feeds;
        rows = tokens.length;
        input = gatherRows(x.x, C, tokens);
      }
      const out = await sessions.run('slat_denoiser', {
        ...structure,
        x: f32(input, [1, rows, C]),
        t: f32(Float32Array.of(t * cfg.timeScale), [1]),
        cond: branch === 'cond' ? condT : uncondT,
      });
      return { x: Float32Array.from(outputF32(out, 'v', 'slat_denoiser')) } as Fields;
    },
  });

  const slat = res.x.x;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < C; c++) slat[i * C + c] = slat[i * C + c] * m.slat.std[c] + m.slat.mean[c];
  }
  return { slat, evaluations: res.evaluations, trace: res.trace, coarseVoxels: fullStructures.m };
}
