import { describe, expect, it } from 'vitest';
import { STRATEGY_NAMES } from '../accelerate/presets.ts';
import { strategyFromKnobs, strategyInfos } from './strategies.ts';

describe('strategy catalogue', () => {
  const infos = strategyInfos();

  it('lists every preset with documented knobs whose defaults resolve', () => {
    expect(infos.map((s) => s.name)).toEqual(STRATEGY_NAMES);
    for (const s of infos) {
      for (const k of s.knobs) {
        expect(k.help.length, `${s.name}.${k.name}`).toBeGreaterThan(8);
        if (typeof k.value === 'number' && k.min !== undefined) {
          expect(k.value).toBeGreaterThanOrEqual(k.min);
          expect(k.value).toBeLessThanOrEqual(k.max!);
        }
      }
      const values = Object.fromEntries(s.knobs.map((k) => [k.name, k.value]));
      expect(() => strategyFromKnobs(s.name, values), s.name).not.toThrow();
    }
  });

  it('maps the fast-sam3d switches onto the enable flags', () => {
    const base = Object.fromEntries(
      infos.find((s) => s.name === 'fast-sam3d')!.knobs.map((k) => [k.name, k.value]),
    );
    const onlySs = strategyFromKnobs('fast-sam3d', {
      ...base,
      slat_carving: false,
      mesh_aggregation: false,
    }).build();
    expect([onlySs.stage1.name, onlySs.stage2.name, onlySs.aggregation.name]).toEqual([
      'ss-step-cache',
      'full',
      expect.any(String),
    ]);
    expect(onlySs.aggregation.name).not.toMatch(/spectral/);
    const none = strategyFromKnobs('fast-sam3d', {
      ss_cache: false,
      slat_carving: false,
      mesh_aggregation: false,
    });
    expect(none.name).toBe('full');
  });

  it('prefixes baseline knobs and rejects unknown or out-of-range ones', () => {
    expect(strategyFromKnobs('taylorseer', { interval: 5 }).knobs.interval).toBe(5);
    expect(() => strategyFromKnobs('taylorseer', { bogus: 1 })).toThrow(/unknown knob "bogus"/);
    expect(() => strategyFromKnobs('fast-sam3d', { ss_cache_stride: 0 })).toThrow(/ss_cache_stride/);
    expect(() => strategyFromKnobs('full', { ss_cache_stride: 2 })).toThrow(/no knobs/);
    expect(() => strategyFromKnobs('warp-drive', {})).toThrow(/unknown strategy/);
  });
});
