// Fast-SAM3D's user-facing knobs, named exactly as the published CLI spells them, with both sets of
// published values and range checks whose messages say what a valid value is (and why, where the
// reference crashes or silently misbehaves outside it).
import { UserError } from '../errors.ts';

export type SsCacheKnobs = {
  /** One full step + (stride − 1) cached steps per cycle; 1 disables caching. */
  ss_cache_stride: number;
  /** Leading steps that are always computed. */
  ss_warmup: number;
  /** Extrapolation order: 0 hold, 1 linear, 2 quadratic. */
  ss_order: number;
  /** Weight of the previous step's velocity in the layout-token blend (see ss-step-cache.ts). */
  ss_momentum_beta: number;
};

export type SlatCarvingKnobs = {
  /** Accumulated-error threshold τ below which a step is reused; ≤ 0 disables reuse. */
  slat_thresh: number;
  /** Leading steps that are always computed. */
  slat_warmup: number;
  /** Fraction of tokens carved from each computed step (from step 2); 0 disables carving. */
  slat_carving_ratio: number;
};

export type MeshSpectralKnobs = {
  mesh_spectral_threshold_low: number;
  mesh_spectral_threshold_high: number;
};

export type FastSam3dKnobs = SsCacheKnobs & SlatCarvingKnobs & MeshSpectralKnobs;

/** argparse defaults of notebook/infer.py and infer_scene.py. */
export const FAST_SAM3D_CLI: Readonly<FastSam3dKnobs> = Object.freeze({
  ss_cache_stride: 3,
  ss_warmup: 2,
  ss_order: 1,
  ss_momentum_beta: 0.5,
  slat_thresh: 0.5,
  slat_warmup: 2,
  slat_carving_ratio: 0.15,
  mesh_spectral_threshold_low: 0.5,
  mesh_spectral_threshold_high: 0.7,
});

/** Values used by the README, infer.sh and infer_scene.sh (likely what produced the paper numbers). */
export const FAST_SAM3D_README: Readonly<FastSam3dKnobs> = Object.freeze({
  ...FAST_SAM3D_CLI,
  slat_thresh: 1.5,
  slat_warmup: 3,
  slat_carving_ratio: 0.1,
});

function fail(name: string, rule: string, got: unknown): never {
  throw new UserError(`${name} must be ${rule}, got ${String(got)}`);
}

function int(name: string, v: unknown, min: number, max: number, rule: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(name, rule, v);
  return v;
}

function real(name: string, v: unknown, ok: (x: number) => boolean, rule: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) fail(name, rule, v);
  return v;
}

/** Fills missing knobs from `defaults` and checks every value; throws UserError on the first bad one. */
export function parseSsCacheKnobs(
  input: Partial<SsCacheKnobs> = {},
  defaults: SsCacheKnobs = FAST_SAM3D_CLI,
): SsCacheKnobs {
  const k = { ...pick(defaults, SS_KEYS), ...defined(input) };
  return {
    ss_cache_stride: int(
      'ss_cache_stride',
      k.ss_cache_stride,
      1,
      Infinity,
      'an integer ≥ 1 (1 disables caching; ≤ 0 breaks the reference schedule)',
    ),
    ss_warmup: int('ss_warmup', k.ss_warmup, 1, Infinity, 'an integer ≥ 1 (0 crashes the reference)'),
    ss_order: int('ss_order', k.ss_order, 0, 2, 'an integer in 0..2 (0 hold, 1 linear, 2 quadratic)'),
    ss_momentum_beta: real(
      'ss_momentum_beta',
      k.ss_momentum_beta,
      (x) => x >= 0 && x <= 1,
      'a number in [0, 1]',
    ),
  };
}

export function parseSlatCarvingKnobs(
  input: Partial<SlatCarvingKnobs> = {},
  defaults: SlatCarvingKnobs = FAST_SAM3D_CLI,
): SlatCarvingKnobs {
  const k = { ...pick(defaults, SLAT_KEYS), ...defined(input) };
  return {
    slat_thresh: real('slat_thresh', k.slat_thresh, () => true, 'a finite number (≤ 0 disables step reuse)'),
    slat_warmup: int('slat_warmup', k.slat_warmup, 0, Infinity, 'an integer ≥ 0'),
    slat_carving_ratio: real(
      'slat_carving_ratio',
      k.slat_carving_ratio,
      (x) => x >= 0 && x < 1,
      'a number in [0, 1) (0 disables carving)',
    ),
  };
}

export function parseMeshSpectralKnobs(
  input: Partial<MeshSpectralKnobs> = {},
  defaults: MeshSpectralKnobs = FAST_SAM3D_CLI,
): MeshSpectralKnobs {
  const k = { ...pick(defaults, MESH_KEYS), ...defined(input) };
  const low = real(
    'mesh_spectral_threshold_low',
    k.mesh_spectral_threshold_low,
    (x) => x >= 0 && x <= 1,
    'a number in [0, 1]',
  );
  const high = real(
    'mesh_spectral_threshold_high',
    k.mesh_spectral_threshold_high,
    (x) => x >= 0 && x <= 1,
    'a number in [0, 1]',
  );
  if (low > high) fail('mesh_spectral_threshold_low', `≤ mesh_spectral_threshold_high (${high})`, low);
  return { mesh_spectral_threshold_low: low, mesh_spectral_threshold_high: high };
}

/** All nine knobs at once (e.g. straight from CLI flags). */
export function parseFastSam3dKnobs(
  input: Partial<FastSam3dKnobs> = {},
  defaults: FastSam3dKnobs = FAST_SAM3D_CLI,
): FastSam3dKnobs {
  return {
    ...parseSsCacheKnobs(input, defaults),
    ...parseSlatCarvingKnobs(input, defaults),
    ...parseMeshSpectralKnobs(input, defaults),
  };
}

const SS_KEYS = ['ss_cache_stride', 'ss_warmup', 'ss_order', 'ss_momentum_beta'] as const;
const SLAT_KEYS = ['slat_thresh', 'slat_warmup', 'slat_carving_ratio'] as const;
const MESH_KEYS = ['mesh_spectral_threshold_low', 'mesh_spectral_threshold_high'] as const;

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) out[key] = o[key];
  return out;
}

// `{ ss_order: undefined }` (an unset optional flag) must not erase the default.
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
