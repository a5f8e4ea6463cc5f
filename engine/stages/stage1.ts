// Stage 1: denoise the sparse-structure latent and the layout tokens together, decode occupancy, and
// turn it into the voxel set stage 2 works on.
import type { Fields, StepPolicy } from '../accelerate/policy.ts';
import type { SessionCache } from '../pack/sessions.ts';
import { sampleFlow, type StepRecord } from '../sampling/flow-sampler.ts';
import type { NoiseSource } from '../sampling/rng.ts';
import { f32, outputF32, type Feeds } from './tensors.ts';

export type Stage1Result = {
  latent: Fields;
  evaluations: number;
  trace: StepRecord[];
};

/** Modality names in the order noise is drawn: shape first, then the layout in manifest order. */
export function stage1Modalities(sessions: SessionCache): { name: string; size: number; dims: number[] }[] {
  const m = sessions.pack.manifest;
  const tokens = m.ss.latentRes ** 3;
  return [
    { name: 'shape', size: tokens * m.ss.latentChannels, dims: [1, tokens, m.ss.latentChannels] },
    ...m.ss.layout.map((l) => ({ name: l.name, size: l.dim, dims: [1, 1, l.dim] })),
  ];
}

export async function sampleStage1(opts: {
  sessions: SessionCache;
  cond: Float32Array;
  noise: NoiseSource;
  policy: StepPolicy;
  signal?: AbortSignal;
  onStep?: (done: number, of: number, x: Fields) => void;
}): Promise<Stage1Result> {
  const { sessions, cond } = opts;
  const m = sessions.pack.manifest;
  const cfg = m.ss.sampler;
  const D = m.condition.dim;
  const mods = stage1Modalities(sessions);
  const x0: Fields = {};
  for (const mod of mods) x0[mod.name] = opts.noise('ss', mod.name, mod.size);
  const condT = f32(cond, [1, cond.length / D, D]);
  const uncondT = f32(new Float32Array(cfg.uncondTokens * D), [1, cfg.uncondTokens, D]);

  const res = await sampleFlow({
    config: cfg,
    x0,
    policy: opts.policy,
    setup: { tokens: m.ss.latentRes ** 3 },
    signal: opts.signal,
    onStep: opts.onStep,
    evaluate: async (x, t, branch, tokens) => {
      // The stage-1 graph has a fixed token grid; only stage 2 can run on a subset.
      if (tokens)
        throw new Error(
          `policy ${opts.policy.name} asked stage 1 for a token subset, which it cannot evaluate`,
        );
      const feeds: Feeds = {
        t: f32(Float32Array.of(t * cfg.timeScale), [1]),
        cond: branch === 'cond' ? condT : uncondT,
      };
      if (cfg.shortcutD !== null) feeds.d = f32(Float32Array.of(cfg.shortcutD * cfg.timeScale), [1]);
      for (const mod of mods) feeds[`x_${mod.name}`] = f32(x[mod.name], mod.dims);
      const out = await sessions.run('ss_denoiser', feeds);
      const v: Fields = {};
      for (const mod of mods) v[mod.name] = Float32Array.from(outputF32(out, `v_${mod.name}`, 'ss_denoiser'));
      return v;
    },
  });
  return { latent: res.x, evaluations: res.evaluations, trace: res.trace };
}

/** Occupancy logits (G³, axes x,y,z) from the final shape latent. */
export async function decodeOccupancy(sessions: SessionCache, shape: Float32Array): Promise<Float32Array> {
  const m = sessions.pack.manifest;
  const tokens = m.ss.latentRes ** 3;
  const out = await sessions.run('ss_decoder', {
    shape_latent: f32(shape, [1, tokens, m.ss.latentChannels]),
  });
  return outputF32(out, 'occupancy_logits', 'ss_decoder');
}
