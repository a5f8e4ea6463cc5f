// Strategy catalogue for the UI: every preset of engine/accelerate/presets.ts with its knobs, ranges and
// help, and the mapping from the UI's knob values back to resolveStrategy. Ranges follow the parse
// functions (knobs.ts, baselines/*); where those allow any value the UI range is a sensible slider span.
import { resolveStrategy, STRATEGY_NAMES, type KnobValues, type Strategy } from '../accelerate/presets.ts';
import { UserError } from '../errors.ts';
import type { StrategyInfo } from '../../renderer/src/client/api.ts';

type Meta = { min?: number; max?: number; step?: number; help: string };

const FAST: Record<string, Meta> = {
  ss_cache_stride: {
    min: 1,
    max: 10,
    step: 1,
    help: 'stage 1: one full step + (stride − 1) extrapolated steps per cycle; 1 disables caching',
  },
  ss_warmup: { min: 1, max: 50, step: 1, help: 'stage 1: leading steps that are always computed' },
  ss_order: { min: 0, max: 2, step: 1, help: 'stage 1: extrapolation order (0 hold, 1 linear, 2 quadratic)' },
  ss_momentum_beta: {
    min: 0,
    max: 1,
    step: 0.05,
    help: "stage 1: weight of the previous step's velocity for the layout tokens",
  },
  slat_thresh: {
    min: 0,
    max: 5,
    step: 0.05,
    help: 'stage 2: accumulated-error threshold below which a step is reused; 0 disables reuse',
  },
  slat_warmup: { min: 0, max: 50, step: 1, help: 'stage 2: leading steps that are always computed' },
  slat_carving_ratio: {
    min: 0,
    max: 0.95,
    step: 0.01,
    help: 'stage 2: fraction of tokens carved from each computed step; 0 disables carving',
  },
  mesh_spectral_threshold_low: {
    min: 0,
    max: 1,
    step: 0.05,
    help: 'aggregation: spectral energy ratio below which voxels merge most (≤ high)',
  },
  mesh_spectral_threshold_high: {
    min: 0,
    max: 1,
    step: 0.05,
    help: 'aggregation: spectral energy ratio above which voxels are kept (≥ low)',
  },
  ss_cache: { help: 'run the stage-1 modality-aware step cache' },
  slat_carving: { help: 'run the stage-2 token carving and step reuse' },
  mesh_aggregation: { help: 'run the spectral-aware voxel aggregation before stage 2' },
  reference_compat: { help: "reproduce the published code's quirks exactly (for comparisons)" },
};

const BASELINE: Record<string, Record<string, Meta>> = {
  taylorseer: {
    interval: { min: 1, max: 10, step: 1, help: 'one full step + (interval − 1) forecast steps per cycle' },
    order: { min: 0, max: 4, step: 1, help: 'Taylor order (0 hold, 1 linear, 2 quadratic…)' },
    warmup: { min: 1, max: 50, step: 1, help: 'leading steps that are always computed' },
  },
  easycache: {
    threshold: {
      min: 0,
      max: 1,
      step: 0.01,
      help: 'accumulated-change threshold below which a step is reused; 0 disables reuse',
    },
    warmup: { min: 0, max: 50, step: 1, help: 'leading steps that are always computed' },
  },
  fast3dcache: {
    fullRatio: { min: 0, max: 1, step: 0.05, help: 'phase 1 (all tokens) covers this fraction of the steps' },
    anchorRatio: { min: 0, max: 1, step: 0.05, help: 'anchor step as a fraction of the steps' },
    slope: { min: -1, max: 0, step: 0.01, help: 'log-linear slope of the active-token count per step' },
    endRatio: {
      min: 0,
      max: 1,
      step: 0.05,
      help: 'phase 3 starts at this fraction of the steps (≥ fullRatio)',
    },
    finalRatio: { min: 0, max: 0.95, step: 0.05, help: 'phase 3 cache ratio' },
    correctionEvery: {
      min: 0,
      max: 25,
      step: 1,
      help: 'every n-th phase-3 step evaluates every token; 0 never',
    },
    streakLimit: {
      min: 1,
      max: 25,
      step: 1,
      help: 'a token cached this many steps in a row is forced back in',
    },
    accelWeight: { min: 0, max: 1, step: 0.05, help: 'weight of the acceleration term in the change score' },
    changeTolerance: {
      min: 0,
      max: 1,
      step: 0.01,
      help: 'relative movement that counts a token as changing',
    },
  },
  random_drop: {
    ratio: {
      min: 0,
      max: 0.95,
      step: 0.05,
      help: 'fraction of tokens left out of each step after the first',
    },
    seed: { min: 0, max: 2 ** 31 - 1, step: 1, help: 'seed of the drop pattern' },
  },
  uniform_merge: {
    factor: { min: 1, max: 4, step: 0.1, help: 'voxel coarsening factor for every object' },
  },
};

const FAST_SWITCHES = ['ss_cache', 'slat_carving', 'mesh_aggregation'] as const;
const ENABLE_OF = {
  ss_cache: 'enable_ss_cache',
  slat_carving: 'enable_slat_carving',
  mesh_aggregation: 'enable_mesh_aggregation',
} as const;

const baselineKey = (name: string) => name.replace('-', '_');

export function strategyInfos(): StrategyInfo[] {
  return STRATEGY_NAMES.map((name) => {
    const s = resolveStrategy(name);
    const table = name.startsWith('fast-sam3d') ? FAST : (BASELINE[baselineKey(name)] ?? {});
    const knobs = Object.entries(s.knobs).map(([k, value]) => ({
      name: k,
      value,
      ...(table[k] ?? { help: k }),
    }));
    if (name === 'uniform-merge')
      knobs.push({ name: 'reference_compat', value: false, ...FAST.reference_compat });
    return { name, description: s.description, knobs };
  });
}

/** Resolves a strategy from the UI's knob values (names as in strategyInfos). */
export function strategyFromKnobs(name: string, knobs: Record<string, number | boolean>): Strategy {
  if (name.startsWith('fast-sam3d')) {
    const values: KnobValues = {};
    for (const [k, v] of Object.entries(knobs)) {
      if (!(k in FAST)) throw new UserError(`${name}: unknown knob "${k}"`);
      if (!(FAST_SWITCHES as readonly string[]).includes(k)) values[k] = v;
    }
    const on = FAST_SWITCHES.filter((k) => knobs[k] !== false);
    // resolveStrategy reads "no enable flag" as "all on", so all three switched off means no acceleration.
    if (on.length === 0) return resolveStrategy('full');
    if (on.length < FAST_SWITCHES.length) for (const k of on) values[ENABLE_OF[k]] = true;
    return resolveStrategy(name, values);
  }
  const key = baselineKey(name);
  const table = BASELINE[key];
  if (!table) {
    if (name === 'full') {
      const extra = Object.keys(knobs);
      if (extra.length) throw new UserError(`full has no knobs, got "${extra[0]}"`);
      return resolveStrategy('full', {});
    }
    throw new UserError(`unknown strategy "${name}"; choose from ${STRATEGY_NAMES.join(', ')}`);
  }
  const values: KnobValues = {};
  for (const [k, v] of Object.entries(knobs)) {
    if (k === 'reference_compat' && key === 'uniform_merge') values.reference_compat = v;
    else if (k in table) values[`${key}_${k}`] = v;
    else throw new UserError(`${name}: unknown knob "${k}" (known: ${Object.keys(table).join(', ')})`);
  }
  return resolveStrategy(name, values);
}
