// Named strategies: a preset picks one policy per sampler and one aggregation policy, each built from
// its knobs. The CLI, the benchmark and the UI all resolve strategies here, so a name means the same
// thing everywhere.
import { UserError } from '../errors.ts';
import { referenceCap, type AggregationPolicy } from './aggregation.ts';
import { EASYCACHE_DEFAULTS, easyCache } from './baselines/easycache.ts';
import { FAST3DCACHE_DEFAULTS, fast3dCache } from './baselines/fast3dcache.ts';
import { RANDOM_DROP_DEFAULTS, randomDrop } from './baselines/random-drop.ts';
import { TAYLORSEER_DEFAULTS, taylorSeer } from './baselines/taylorseer.ts';
import { FAST_SAM3D_CLI, FAST_SAM3D_README, parseFastSam3dKnobs, type FastSam3dKnobs } from './knobs.ts';
import { fullPolicy, type StepPolicy } from './policy.ts';
import { slatCarving } from './slat-carving.ts';
import { spectralAggregation } from './spectral-aggregation.ts';
import { ssStepCache } from './ss-step-cache.ts';
import { uniformMerge } from './uniform-merge.ts';

export type Policies = { stage1: StepPolicy; stage2: StepPolicy; aggregation: AggregationPolicy };

export type Strategy = {
  name: string;
  description: string;
  /** The knob values in force (for reports and the UI). */
  knobs: Record<string, number | boolean>;
  /** Fresh policies for one run (policies keep per-run state). */
  build(): Policies;
};

export type KnobValues = Record<string, number | boolean | undefined>;

/** Our own presets beside the published ones: one trades fidelity for speed, one the other way. */
const TURBO: FastSam3dKnobs = {
  ...FAST_SAM3D_README,
  ss_cache_stride: 4,
  slat_thresh: 2.5,
  slat_carving_ratio: 0.2,
  mesh_spectral_threshold_low: 0.6,
  mesh_spectral_threshold_high: 0.8,
};
const SAFE: FastSam3dKnobs = {
  ...FAST_SAM3D_README,
  ss_cache_stride: 2,
  slat_thresh: 0.75,
  slat_carving_ratio: 0.05,
  mesh_spectral_threshold_low: 0.3,
  mesh_spectral_threshold_high: 0.5,
};

const FAST_FAMILY: Record<string, { knobs: FastSam3dKnobs; description: string }> = {
  'fast-sam3d': {
    knobs: FAST_SAM3D_README,
    description: 'Fast-SAM3D with the README values (all three mechanisms)',
  },
  'fast-sam3d-cli': { knobs: FAST_SAM3D_CLI, description: 'Fast-SAM3D with the published argparse defaults' },
  'fast-sam3d-turbo': {
    knobs: TURBO,
    description: 'faster: longer stage-1 stride, more reuse and carving, coarser aggregation',
  },
  'fast-sam3d-safe': {
    knobs: SAFE,
    description: 'closer to full: stride 2, little reuse and carving, gentle aggregation',
  },
};

/** Knobs of the baselines, as CLI flags `<strategy>_<knob>`. */
const BASELINES = {
  taylorseer: { defaults: TAYLORSEER_DEFAULTS, description: 'TaylorSeer forecasting on both stages' },
  easycache: { defaults: EASYCACHE_DEFAULTS, description: 'EasyCache runtime-adaptive reuse on both stages' },
  fast3dcache: {
    defaults: FAST3DCACHE_DEFAULTS,
    description: 'Fast3Dcache (phased token caching) on stage 2',
  },
  random_drop: { defaults: RANDOM_DROP_DEFAULTS, description: 'random token drop on stage 2' },
  uniform_merge: {
    defaults: { factor: 1.5 },
    description: 'uniform voxel merge with a fixed factor before stage 2',
  },
} as const;

export const FAST_SAM3D_FLAGS = Object.keys(FAST_SAM3D_CLI) as (keyof FastSam3dKnobs)[];
export const ENABLE_FLAGS = [
  'enable_ss_cache',
  'enable_slat_carving',
  'enable_mesh_aggregation',
  'enable_acceleration',
];

/** Every numeric knob flag the CLI accepts, with the strategy that reads it. */
export function knobFlags(): { flag: string; owner: string }[] {
  const flags = FAST_SAM3D_FLAGS.map((flag) => ({ flag: flag as string, owner: 'fast-sam3d' }));
  for (const [name, b] of Object.entries(BASELINES)) {
    for (const k of Object.keys(b.defaults))
      flags.push({ flag: `${name}_${k}`, owner: name.replace('_', '-') });
  }
  return flags;
}

export const STRATEGY_NAMES = [
  'full',
  ...Object.keys(FAST_FAMILY),
  ...Object.keys(BASELINES).map((b) => b.replace('_', '-')),
];

function pick(prefix: string, values: KnobValues): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(values)) {
    if (k.startsWith(`${prefix}_`) && typeof v === 'number') out[k.slice(prefix.length + 1)] = v;
  }
  return out;
}

/**
 * Resolve a preset plus knob overrides. The published `enable_*` switches keep their meaning: given
 * any of them, exactly the named mechanisms run (with `full` as the base they use the CLI defaults).
 */
export function resolveStrategy(name: string, values: KnobValues = {}): Strategy {
  const compat = values.reference_compat === true;
  const enables = ENABLE_FLAGS.filter((f) => values[f] === true);
  if (name === 'full' && enables.length === 0) {
    const unused = FAST_SAM3D_FLAGS.filter((f) => values[f] !== undefined);
    if (unused.length)
      throw new UserError(
        `--${unused[0]} has no effect with --preset full; pick a fast-sam3d preset or an --enable_* switch`,
      );
    return {
      name,
      description: 'no acceleration',
      knobs: {},
      build: () => ({ stage1: fullPolicy(), stage2: fullPolicy(), aggregation: referenceCap() }),
    };
  }
  const family =
    name === 'full'
      ? { knobs: FAST_SAM3D_CLI, description: 'selected Fast-SAM3D mechanisms' }
      : FAST_FAMILY[name];
  if (family) {
    const overrides = Object.fromEntries(FAST_SAM3D_FLAGS.map((f) => [f, values[f]]));
    const knobs = parseFastSam3dKnobs(overrides as Partial<FastSam3dKnobs>, family.knobs);
    const all = enables.length === 0 || enables.includes('enable_acceleration');
    const on = {
      ss: all || enables.includes('enable_ss_cache'),
      slat: all || enables.includes('enable_slat_carving'),
      mesh: all || enables.includes('enable_mesh_aggregation'),
    };
    const label = enables.length && name !== 'full' ? `${name}+${enables.join('+')}` : name;
    return {
      name: label,
      description: family.description,
      knobs: {
        ...knobs,
        reference_compat: compat,
        ss_cache: on.ss,
        slat_carving: on.slat,
        mesh_aggregation: on.mesh,
      },
      build: () => ({
        stage1: on.ss ? ssStepCache({ ...knobs, referenceCompat: compat }) : fullPolicy(),
        stage2: on.slat ? slatCarving({ ...knobs, referenceCompat: compat }) : fullPolicy(),
        aggregation: on.mesh ? spectralAggregation({ ...knobs, referenceCompat: compat }) : referenceCap(),
      }),
    };
  }
  const key = name.replace('-', '_') as keyof typeof BASELINES;
  const baseline = BASELINES[key];
  if (!baseline) throw new UserError(`unknown strategy "${name}"; choose from ${STRATEGY_NAMES.join(', ')}`);
  if (enables.length)
    throw new UserError(`--${enables[0]} applies to the fast-sam3d presets, not to ${name}`);
  const knobs: Record<string, number> = { ...baseline.defaults, ...pick(key, values) };
  const build = (): Policies => {
    const full = fullPolicy;
    switch (key) {
      case 'taylorseer':
        return { stage1: taylorSeer(knobs), stage2: taylorSeer(knobs), aggregation: referenceCap() };
      case 'easycache':
        return { stage1: easyCache(knobs), stage2: easyCache(knobs), aggregation: referenceCap() };
      case 'fast3dcache':
        return { stage1: full(), stage2: fast3dCache(knobs), aggregation: referenceCap() };
      case 'random_drop':
        return { stage1: full(), stage2: randomDrop(knobs), aggregation: referenceCap() };
      case 'uniform_merge':
        return {
          stage1: full(),
          stage2: full(),
          aggregation: uniformMerge({ factor: knobs.factor, referenceCompat: compat }),
        };
    }
  };
  build(); // validates the knobs now, so a bad value fails before any work starts
  return { name, description: baseline.description, knobs, build };
}
