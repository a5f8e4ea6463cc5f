import { describe, expect, it } from 'vitest';
import type { SamplerConfig } from '../pack/manifest.ts';
import { cfgActive, fullEvaluations, timeGrid } from './schedule.ts';

const ss: SamplerConfig = {
  steps: 25,
  rescaleT: 3,
  timeScale: 1000,
  cfg: { strength: 7, interval: [0, 500], outputs: 'all' },
  shortcutD: 0,
  uncondTokens: 1,
};
const slat: SamplerConfig = { ...ss, rescaleT: 1, cfg: { ...ss.cfg, strength: 1 }, shortcutD: null };

describe('time grid', () => {
  it('stage 1 with rescale 3 matches the reference values', () => {
    const t = timeGrid(25, 3);
    expect(t.length).toBe(26);
    expect(t[0]).toBe(0);
    expect(t[25]).toBe(1);
    expect(t[1]).toBeCloseTo(0.0137, 4);
    expect(t[24]).toBeCloseTo(0.8889, 4);
    for (let k = 1; k < t.length; k++) expect(t[k]).toBeGreaterThan(t[k - 1]);
  });

  it('rescale 1 is linear', () => {
    const t = timeGrid(25, 1);
    for (let k = 0; k <= 25; k++) expect(t[k]).toBeCloseTo(k / 25, 12);
  });
});

describe('guidance window', () => {
  it('stage 1 guides 19 steps: 44 evaluations', () => {
    const t = timeGrid(25, 3);
    const guided = [...t.subarray(0, 25)].filter((x) => cfgActive(ss, x)).length;
    expect(guided).toBe(19);
    expect(fullEvaluations(ss)).toBe(44);
  });

  it('stage 2 guides 13 steps: 38 evaluations', () => {
    const t = timeGrid(25, 1);
    const guided = [...t.subarray(0, 25)].filter((x) => cfgActive(slat, x)).length;
    expect(guided).toBe(13);
    expect(fullEvaluations(slat)).toBe(38);
  });

  it('strength 0 never guides', () => {
    expect(fullEvaluations({ ...ss, cfg: { ...ss.cfg, strength: 0 } })).toBe(25);
  });
});
