import { describe, expect, it } from 'vitest';
import { knobLabel, knobTradeoff } from './knob-help';
import { groupKnobs, knobStep } from './knob-groups';

describe('knob grouping', () => {
  it('puts Fast-SAM3D knobs under their mechanism with the switch in the header', () => {
    const g = groupKnobs([
      { name: 'ss_cache_stride', value: 3, min: 1, max: 8, help: '' },
      { name: 'ss_cache', value: true, help: '' },
      { name: 'slat_thresh', value: 1.5, help: '' },
      { name: 'mesh_spectral_threshold_low', value: 0.5, min: 0, max: 1, help: '' },
      { name: 'reference_compat', value: false, help: '' },
    ]);
    expect(g.map((x) => x.id)).toEqual(['ss', 'slat', 'mesh', 'other']);
    expect(g[0].toggle?.name).toBe('ss_cache');
    expect(g[0].knobs.map((k) => k.name)).toEqual(['ss_cache_stride']);
    expect(g[3].title).toBe('Advanced');
  });

  it('baseline knobs form one plain group', () => {
    const g = groupKnobs([{ name: 'interval', value: 3, help: 'h' }]);
    expect(g).toEqual([
      { id: 'other', title: 'Settings', toggle: null, knobs: [{ name: 'interval', value: 3, help: 'h' }] },
    ]);
  });

  it('steps: engine step, integers, or a hundredth of the range', () => {
    expect(knobStep({ name: 'a', value: 3, min: 1, max: 8, help: '' })).toBe(1);
    expect(knobStep({ name: 'a', value: 0.5, min: 0, max: 1, help: '' })).toBe(0.01);
    expect(knobStep({ name: 'a', value: 0.5, step: 0.05, help: '' })).toBe(0.05);
  });

  it('labels and trade-offs', () => {
    expect(knobLabel('ss_cache_stride')).toBe('Cache stride');
    expect(knobLabel('taylorseer_interval')).toBe('Interval');
    expect(knobLabel('correctionEvery')).toBe('Correction every');
    expect(knobTradeoff('slat_carving_ratio', 'x')).toMatch(/faster/);
    expect(knobTradeoff('unknown', 'engine text')).toBe('engine text');
  });
});
