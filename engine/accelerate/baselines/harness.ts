// Test harness for the baseline policies: the real sampler configs of both stages, synthetic fields of
// the real shapes, and a spy that records what the policy made the sampler do. Used by the tests only.
import type { SamplerConfig } from '../../pack/manifest.ts';
import { sampleFlow, type Evaluate, type SampleResult } from '../../sampling/flow-sampler.ts';
import { Rng } from '../../sampling/rng.ts';
import { timeGrid } from '../../sampling/schedule.ts';
import type { Fields, StepPolicy } from '../policy.ts';

/** Stage 1 (sparse structure + layout): 25 steps on the rescaled grid, CFG 7 while t·1000 ≤ 500. */
export const STAGE1: SamplerConfig = {
  steps: 25,
  rescaleT: 3,
  timeScale: 1000,
  cfg: { strength: 7, interval: [0, 500], outputs: 'all' },
  shortcutD: 0,
  uncondTokens: 1,
};

/** Stage 2 (structured latent): 25 linear steps, CFG 1 while t·1000 ≤ 500. */
export const STAGE2: SamplerConfig = {
  ...STAGE1,
  rescaleT: 1,
  cfg: { strength: 1, interval: [0, 500], outputs: 'all' },
  shortcutD: null,
};

export const STAGE1_TOKENS = 4096;
export const LAYOUT: Record<string, number> = {
  '6drotation_normalized': 6,
  translation: 3,
  scale: 3,
  translation_scale: 1,
};

export function noise(n: number, seed: number): Float32Array {
  return new Rng(seed).normals(n);
}

/** Stage-1 state: 'shape' (4096 × 8) and the four layout modalities. */
export function stage1State(seed = 1): Fields {
  const x: Fields = { shape: noise(STAGE1_TOKENS * 8, seed) };
  let s = seed;
  for (const [name, dim] of Object.entries(LAYOUT)) x[name] = noise(dim, ++s * 7919);
  return x;
}

export type Step = { k: number; computed: boolean; tokens: Int32Array | null; v: Fields };

/** Wraps a policy and records each step's decision, evaluated tokens and the velocity used. */
export function spy(policy: StepPolicy): { policy: StepPolicy; steps: Step[] } {
  const steps: Step[] = [];
  let tokens: Int32Array | null = null;
  const wrapped: StepPolicy = {
    name: policy.name,
    begin: (setup) => {
      steps.length = 0;
      policy.begin?.(setup);
    },
    plan: (ctx) => {
      const p = policy.plan(ctx);
      tokens = p.compute && p.tokens ? p.tokens : null;
      return p;
    },
    reuse: (ctx) => policy.reuse(ctx),
    expand: policy.expand ? (ctx, partial, t) => policy.expand!(ctx, partial, t) : undefined,
    observe: (ctx, v, computed) => {
      steps.push({
        k: ctx.k,
        computed,
        tokens,
        v: Object.fromEntries(Object.entries(v).map(([n, a]) => [n, Float32Array.from(a)])),
      });
      policy.observe(ctx, v, computed);
    },
  };
  return { policy: wrapped, steps };
}

export function run(
  config: SamplerConfig,
  x0: Fields,
  tokens: number,
  policy: StepPolicy,
  evaluate: Evaluate,
): Promise<SampleResult> {
  return sampleFlow({ config, x0, evaluate, policy, setup: { tokens } });
}

/** Step index of a grid time (the synthetic fields below are defined per step index). */
export function stepOf(config: SamplerConfig, t: number): number {
  const g = timeGrid(config.steps, config.rescaleT);
  let best = 0;
  for (let k = 1; k < g.length; k++) if (Math.abs(g[k] - t) < Math.abs(g[best] - t)) best = k;
  return best;
}
