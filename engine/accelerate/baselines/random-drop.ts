// Random token drop baseline (the Fast-SAM3D paper's "Random Drop" row; no public code exists, so this
// is the plain reading [inferred]): on every step after the first, a uniformly random floor(ratio·N) of
// the per-token rows is left out of the network call (both CFG branches) and keeps its last velocity;
// the kept rows are passed in ascending order. Step 0 runs every token (no velocity to keep yet).
// Meant for stage 2, where the network really runs on the subset; it works on any per-token field.
//
// Determinism: one xoroshiro128+ stream per run, seeded from `seed` at the start of sampling; each step
// draws a partial Fisher–Yates shuffle, so a seed fixes every step's subset.
//
// Default ratio 0.4 [inferred]: the README's Random Drop row saves 60 of 462 s (1.15×); stage 2 costs
// somewhat more than the ~97 s its own Fast-SAM3D ablation saved, so about half of it must go, which
// dropping 40 % of the tokens gives (convolutions scale with the kept share, attention with its square).
import { unsafeUniformIntDistribution, xoroshiro128plus, type RandomGenerator } from 'pure-rand';
import type { Fields, SamplingSetup, StepContext, StepPlan, StepPolicy } from '../policy.ts';
import {
  checkInt,
  checkReal,
  cloneFields,
  keptRows,
  scatterRows,
  tokenWidths,
  withDefaults,
} from './common.ts';

export type RandomDropKnobs = {
  /** Fraction of the tokens left out of each step after the first. */
  ratio: number;
  /** Seed of the drop pattern. */
  seed: number;
};

export const RANDOM_DROP_DEFAULTS: Readonly<RandomDropKnobs> = Object.freeze({ ratio: 0.4, seed: 0 });

export function parseRandomDropKnobs(input: Partial<RandomDropKnobs> = {}): RandomDropKnobs {
  const k = withDefaults('random-drop', RANDOM_DROP_DEFAULTS, input);
  return {
    ratio: checkReal('random-drop', 'ratio', k.ratio, 0, 1, true),
    seed: checkInt('random-drop', 'seed', k.seed, -(2 ** 31), 2 ** 31 - 1),
  };
}

export function randomDrop(
  options: Partial<RandomDropKnobs> = {},
): StepPolicy & { readonly knobs: RandomDropKnobs } {
  const knobs = parseRandomDropKnobs(options);
  const { ratio, seed } = knobs;

  let n = 0;
  let rng: RandomGenerator = xoroshiro128plus(seed);
  let perm = new Int32Array(0);
  let widths: Map<string, number> | null = null;
  let last: Fields | null = null;

  const reset = (setup: SamplingSetup) => {
    n = setup.tokens;
    rng = xoroshiro128plus(seed);
    perm = Int32Array.from({ length: n }, (_, i) => i);
    widths = null;
    last = null;
  };

  return {
    name: 'random-drop',
    knobs,
    begin: reset,

    plan(ctx: StepContext): StepPlan {
      widths ??= tokenWidths(ctx.x, n);
      const drop = Math.floor(ratio * n);
      if (!last || drop <= 0) return { compute: true };
      // Partial Fisher–Yates over a persistent permutation: the first `drop` entries are the draw.
      for (let i = 0; i < drop; i++) {
        const j = unsafeUniformIntDistribution(i, n - 1, rng);
        const t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      const flags = new Uint8Array(n);
      for (let i = 0; i < drop; i++) flags[perm[i]] = 1;
      return { compute: true, tokens: keptRows(n, flags) };
    },

    reuse(): Fields {
      throw new Error('random-drop computes every step');
    },

    expand(_ctx: StepContext, partial: Fields, tokens: Int32Array): Fields {
      if (!last || !widths) throw new Error('random-drop: no previous velocity to keep');
      return scatterRows(last, partial, tokens, widths);
    },

    observe(_ctx: StepContext, v: Readonly<Fields>): void {
      last = cloneFields(v);
    },
  };
}
