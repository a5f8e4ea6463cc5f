// One-line labels and trade-offs for the knobs. Fast-SAM3D's are written here; other knobs fall back
// to the engine's own StrategyInfo help text.

export const KNOB_LABELS: Record<string, string> = {
  ss_cache_stride: 'Cache stride',
  ss_warmup: 'Warm-up steps',
  ss_order: 'Extrapolation order',
  ss_momentum_beta: 'Layout momentum β',
  slat_thresh: 'Reuse threshold τ',
  slat_warmup: 'Warm-up steps',
  slat_carving_ratio: 'Carving ratio',
  mesh_spectral_threshold_low: 'Low-detail threshold',
  mesh_spectral_threshold_high: 'High-detail threshold',
  ss_cache: 'Step caching',
  slat_carving: 'Token carving',
  mesh_aggregation: 'Spectral aggregation',
  reference_compat: 'Reference-exact mode',
};

export const KNOB_TRADEOFFS: Record<string, string> = {
  ss_cache_stride:
    'Stage 1 runs the network every Nth step and extrapolates between: higher is faster, but the shape can drift. 1 turns caching off.',
  ss_warmup: 'First stage-1 steps always computed: more keeps the coarse shape faithful, fewer saves time.',
  ss_order:
    'How cached steps are predicted (0 hold, 1 linear, 2 quadratic): higher follows curved paths but can overshoot.',
  ss_momentum_beta:
    'Weight of the previous velocity for layout tokens on cached steps: higher steadies pose and scale, lower reacts faster.',
  slat_thresh:
    'Error budget before a stage-2 step is recomputed: higher reuses more steps (faster) at some surface detail. ≤ 0 never reuses.',
  slat_warmup: 'First stage-2 steps always computed: more protects early structure, fewer saves time.',
  slat_carving_ratio:
    'Share of low-saliency tokens skipped per stage-2 step: higher is faster, flat regions may lose fine detail. 0 turns carving off.',
  mesh_spectral_threshold_low:
    'Objects with a detail score at or below this are merged 2× before stage 2: raise it for speed, lower it to keep detail.',
  mesh_spectral_threshold_high:
    'Objects scoring at or above this get only a gentle 1.25× merge: lower it to protect more objects’ detail (slower).',
  ss_cache: 'Stage-1 step caching: big stage-1 savings; turn off to isolate the other mechanisms.',
  slat_carving:
    'Stage-2 step reuse and token carving: the main stage-2 saving; off runs every stage-2 step in full.',
  mesh_aggregation:
    'Merge voxels by detail before stage 2 and decoding: fewer tokens, slightly coarser mesh.',
  reference_compat:
    'Reproduce the published code exactly, quirks included (for paper numbers); off uses the corrected variants.',
};

export function knobLabel(name: string): string {
  if (KNOB_LABELS[name]) return KNOB_LABELS[name];
  const s = name.replace(/^(taylorseer|easycache|fast3dcache|random_drop|uniform_merge)_/, '');
  const words = s
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function knobTradeoff(name: string, engineHelp: string): string {
  return KNOB_TRADEOFFS[name] ?? engineHelp;
}
