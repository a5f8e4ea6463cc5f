import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.ts';
import {
  FAST_SAM3D_CLI,
  FAST_SAM3D_README,
  parseFastSam3dKnobs,
  parseMeshSpectralKnobs,
  parseSlatCarvingKnobs,
  parseSsCacheKnobs,
} from './knobs.ts';

describe('Fast-SAM3D knobs', () => {
  it('publishes the argparse defaults and the README values', () => {
    expect(FAST_SAM3D_CLI).toEqual({
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
    expect(FAST_SAM3D_README).toEqual({
      ...FAST_SAM3D_CLI,
      slat_thresh: 1.5,
      slat_warmup: 3,
      slat_carving_ratio: 0.1,
    });
    expect(parseFastSam3dKnobs()).toEqual(FAST_SAM3D_CLI);
    expect(parseFastSam3dKnobs({}, FAST_SAM3D_README)).toEqual(FAST_SAM3D_README);
  });

  it('fills unset (undefined) knobs from the defaults and keeps set ones', () => {
    expect(parseSsCacheKnobs({ ss_order: undefined, ss_cache_stride: 5 })).toEqual({
      ss_cache_stride: 5,
      ss_warmup: 2,
      ss_order: 1,
      ss_momentum_beta: 0.5,
    });
    expect(parseSlatCarvingKnobs({ slat_thresh: 0 })).toEqual({
      slat_thresh: 0,
      slat_warmup: 2,
      slat_carving_ratio: 0.15,
    });
  });

  it('rejects out-of-range values with a message naming the knob, the rule and the value', () => {
    const bad: [() => unknown, string][] = [
      [
        () => parseSsCacheKnobs({ ss_warmup: 0 }),
        'ss_warmup must be an integer ≥ 1 (0 crashes the reference), got 0',
      ],
      [() => parseSsCacheKnobs({ ss_cache_stride: 0 }), 'ss_cache_stride must be an integer ≥ 1'],
      [() => parseSsCacheKnobs({ ss_cache_stride: 2.5 }), 'got 2.5'],
      [() => parseSsCacheKnobs({ ss_order: 3 }), 'ss_order must be an integer in 0..2'],
      [() => parseSsCacheKnobs({ ss_order: -1 }), 'ss_order must be an integer in 0..2'],
      [
        () => parseSsCacheKnobs({ ss_momentum_beta: 1.5 }),
        'ss_momentum_beta must be a number in [0, 1], got 1.5',
      ],
      [() => parseSsCacheKnobs({ ss_momentum_beta: NaN }), 'got NaN'],
      [() => parseSlatCarvingKnobs({ slat_thresh: Infinity }), 'slat_thresh must be a finite number'],
      [() => parseSlatCarvingKnobs({ slat_warmup: -1 }), 'slat_warmup must be an integer ≥ 0, got -1'],
      [
        () => parseSlatCarvingKnobs({ slat_carving_ratio: 1 }),
        'slat_carving_ratio must be a number in [0, 1)',
      ],
      [() => parseSlatCarvingKnobs({ slat_carving_ratio: -0.1 }), 'got -0.1'],
      [
        () => parseMeshSpectralKnobs({ mesh_spectral_threshold_high: 1.2 }),
        'mesh_spectral_threshold_high must be a number in [0, 1]',
      ],
      [
        () => parseMeshSpectralKnobs({ mesh_spectral_threshold_low: 0.8, mesh_spectral_threshold_high: 0.7 }),
        'mesh_spectral_threshold_low must be ≤ mesh_spectral_threshold_high (0.7), got 0.8',
      ],
      [() => parseSsCacheKnobs({ ss_order: '1' as unknown as number }), 'ss_order must be an integer'],
    ];
    for (const [f, msg] of bad) {
      expect(f).toThrow(UserError);
      expect(f).toThrow(msg);
    }
  });

  it('accepts the documented edge values', () => {
    expect(() =>
      parseSsCacheKnobs({ ss_cache_stride: 1, ss_warmup: 1, ss_order: 0, ss_momentum_beta: 0 }),
    ).not.toThrow();
    expect(() => parseSsCacheKnobs({ ss_order: 2, ss_momentum_beta: 1 })).not.toThrow();
    expect(() =>
      parseSlatCarvingKnobs({ slat_thresh: -1, slat_warmup: 0, slat_carving_ratio: 0 }),
    ).not.toThrow();
    expect(() =>
      parseMeshSpectralKnobs({ mesh_spectral_threshold_low: 0.6, mesh_spectral_threshold_high: 0.6 }),
    ).not.toThrow();
  });
});
