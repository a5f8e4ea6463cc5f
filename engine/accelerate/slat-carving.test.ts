import { describe, expect, it } from 'vitest';
import type { SamplerConfig } from '../pack/manifest.ts';
import { sampleFlow } from '../sampling/flow-sampler.ts';
import { Rng } from '../sampling/rng.ts';
import type { Fields, StepPolicy } from './policy.ts';
import { slatCarving, type SlatCarvingOptions } from './slat-carving.ts';
import { STREAK_LIMIT } from './token-select.ts';

// The real stage-2 sampler: 25 linear steps (dt = 0.04), CFG 1 while t·1000 ∈ [0, 500].
const SLAT: SamplerConfig = {
  steps: 25,
  rescaleT: 1,
  timeScale: 1000,
  cfg: { strength: 1, interval: [0, 500], outputs: 'all' },
  shortcutD: null,
  uncondTokens: 1,
};
const N = 400;
const C = 8;
const DT = 0.04;

/** Appendix A.2's token-wise field v = (target − x)/(1.1 − t) + 0.3·sin(6·w·t), with our own random draws. */
function syntheticField(seed = 1) {
  const rng = new Rng(seed);
  const target = rng.normals(N * C);
  const w = rng.normals(N * C);
  const x0 = rng.normals(N * C);
  const spatial = Float32Array.from({ length: N }, () => rng.uniform());
  return { target, w, x0, spatial };
}

async function run(options: SlatCarvingOptions, seed = 1, policy: StepPolicy = slatCarving(options)) {
  const { target, w, x0, spatial } = syntheticField(seed);
  const xs: Float32Array[] = [];
  const used: Float32Array[] = [];
  const evaluated: { t: number; branch: string; tokens?: Int32Array; out: Float32Array }[] = [];
  const spy: StepPolicy = {
    name: policy.name,
    begin: (s) => policy.begin?.(s),
    plan: (ctx) => policy.plan(ctx),
    reuse: (ctx) => policy.reuse(ctx),
    expand: (ctx, p, tokens) => policy.expand!(ctx, p, tokens),
    observe: (ctx, v, computed) => {
      xs[ctx.k] = Float32Array.from(ctx.x.x);
      used[ctx.k] = Float32Array.from(v.x);
      policy.observe(ctx, v, computed);
    },
  };
  const res = await sampleFlow({
    config: SLAT,
    x0: { x: x0 },
    policy: spy,
    setup: { tokens: N, spatialScores: spatial },
    // Evaluates only the rows it is given, like stage 2 on the active subset.
    evaluate: async (x, t, branch, tokens) => {
      const rows = tokens ?? Int32Array.from({ length: N }, (_, i) => i);
      const out = new Float32Array(rows.length * C);
      rows.forEach((r, j) => {
        for (let c = 0; c < C; c++) {
          const i = r * C + c;
          out[j * C + c] = (target[i] - x.x[i]) / (1.1 - t) + 0.3 * Math.sin(6 * w[i] * t);
        }
      });
      evaluated.push({ t, branch, tokens, out: Float32Array.from(out) });
      return { x: out } as Fields;
    },
  });
  const full = res.trace.filter((s) => s.computed).map((s) => s.k);
  const fed = res.trace.filter((s) => s.computed).map((s) => s.tokens ?? N);
  return { ...res, full, fed, xs, used, evaluated, policy };
}

const CLI = { slat_thresh: 0.5, slat_warmup: 2, slat_carving_ratio: 0.15 };
const README = { slat_thresh: 1.5, slat_warmup: 3, slat_carving_ratio: 0.1 };

describe('slat carving: reuse schedule', () => {
  it('README knobs in compat reuse everything after step 2, as in the doc (3 calls; 400, 400, 360 tokens)', async () => {
    const r = await run({ ...README, referenceCompat: true });
    expect(r.full).toEqual([0, 1, 2]);
    expect(r.fed).toEqual([400, 400, 360]);
    expect(r.evaluations).toBe(6); // all three inside the CFG window
  });

  it('protects the last two steps by default; protectLastSteps 0 is the reference, bit for bit', async () => {
    const own = await run(README);
    expect(own.full).toEqual([0, 1, 2, 23, 24]);
    const ref = await run({ ...README, referenceCompat: true });
    const off = await run({ ...README, protectLastSteps: 0 });
    expect(off.full).toEqual(ref.full);
    expect(off.x).toEqual(ref.x);
    expect((await run({ ...README, protectLastSteps: 5 })).full).toEqual([0, 1, 2, 20, 21, 22, 23, 24]);
    expect((await run({ ...README, referenceCompat: true, protectLastSteps: 1 })).full).toEqual([
      0, 1, 2, 24,
    ]);
  });

  it('accumulates k·dt per reused step and reuses ⌈τ/(k·dt)⌉ − 1 steps after each computed one', async () => {
    const r = await run({ ...CLI, referenceCompat: true });
    const h = (r.policy as ReturnType<typeof slatCarving>).history;
    expect(r.full.slice(0, 3)).toEqual([0, 1, 2]);
    expect(r.fed).toEqual(r.full.map((k) => (k < 2 ? 400 : 340)));
    let runs = 0;
    for (const f of r.full.filter((k) => k >= 2)) {
      const kEst = h[f].kEstimate!;
      expect(kEst).toBeGreaterThan(0);
      const next = f + Math.ceil(CLI.slat_thresh / (kEst * DT));
      for (let s = f + 1; s < Math.min(next, 25); s++) {
        expect(h[s].computed).toBe(false);
        expect(h[s].error - (s > f + 1 ? h[s - 1].error : 0)).toBeCloseTo(kEst * DT, 4);
        runs++;
      }
      if (next < 25) expect(h[next].computed).toBe(true);
    }
    expect(runs).toBeGreaterThan(10);
    expect(r.full).toEqual([0, 1, 2, 15]); // on this field (k ≈ 0.98; the doc's field had k ≈ 1.43)
  });

  it('computes steps 0–2 whatever the warm-up; τ ≤ 0 disables reuse', async () => {
    expect((await run({ ...CLI, slat_warmup: 0, referenceCompat: true })).full.slice(0, 4)).toEqual([
      0, 1, 2, 15,
    ]);
    expect((await run({ ...CLI, slat_warmup: 6, referenceCompat: true })).full.slice(0, 6)).toEqual([
      0, 1, 2, 3, 4, 5,
    ]);
    expect((await run({ ...CLI, slat_thresh: 0 })).full).toHaveLength(25);
    expect((await run({ ...CLI, slat_thresh: -1 })).full).toHaveLength(25);
  });

  it('reused steps move along v = x + (v_f − x_f) of the last computed step f', async () => {
    const r = await run({ ...CLI, referenceCompat: true });
    for (let k = 3; k < 25; k++) {
      if (r.full.includes(k)) continue;
      const f = Math.max(...r.full.filter((s) => s < k));
      for (let i = 0; i < N * C; i += 37)
        expect(r.used[k][i]).toBeCloseTo(r.xs[k][i] + (r.used[f][i] - r.xs[f][i]), 5);
    }
  });
});

describe('slat carving: token carving', () => {
  it('runs the network on the active rows only and carved rows keep their previous velocity', async () => {
    const r = await run({ ...CLI, slat_thresh: 0 });
    for (let k = 2; k < 25; k++) {
      const calls = r.evaluated.filter((e) => Math.abs(e.t - k / 25) < 1e-12);
      const tokens = calls[0].tokens;
      if (k === 6) expect(tokens).toBeUndefined(); // every carved token hit the streak limit at once
      if (!tokens) continue;
      expect(calls.every((c) => c.tokens === tokens)).toBe(true); // cond and uncond share the subset
      const active = new Set(tokens);
      for (let n = 0; n < N; n++) {
        const row = r.used[k].subarray(n * C, n * C + C);
        if (active.has(n)) {
          const j = tokens.indexOf(n);
          expect(Array.from(row)).toEqual(Array.from(calls[0].out.subarray(j * C, j * C + C)));
        } else {
          expect(Array.from(row)).toEqual(Array.from(r.used[k - 1].subarray(n * C, n * C + C)));
        }
      }
    }
  });

  it('carves floor(ρN) tokens from step 2, never one token more than 4 computed steps in a row', async () => {
    const r = await run({ ...CLI, slat_thresh: 0, referenceCompat: true });
    expect(r.full).toHaveLength(25);
    expect(r.fed.slice(0, 6)).toEqual([400, 400, 340, 340, 340, 340]);
    expect(r.fed[6]).toBe(400);
    expect(Math.min(...r.fed)).toBe(340);
    const streak = new Int32Array(N);
    for (let k = 0; k < 25; k++) {
      const tokens = r.evaluated.find((e) => Math.abs(e.t - k / 25) < 1e-12)!.tokens;
      const active = new Set(tokens ?? []);
      for (let n = 0; n < N; n++) streak[n] = tokens && !active.has(n) ? streak[n] + 1 : 0;
      expect(Math.max(...streak)).toBeLessThanOrEqual(STREAK_LIMIT);
    }
  });

  it('does not carve when floor(ρN) is 0', async () => {
    const r = await run({ ...CLI, slat_carving_ratio: 0 });
    expect(r.trace.every((s) => s.tokens === null)).toBe(true);
    expect((await run({ ...CLI, slat_carving_ratio: 0.002 })).trace.every((s) => s.tokens === null)).toBe(
      true,
    );
  });

  it('expand fills carved rows from the previous velocity', () => {
    const p = slatCarving({ ...CLI, slat_thresh: 0 });
    p.begin!({ tokens: 4 });
    const x = { x: new Float32Array(8) };
    const ctx = (k: number) => ({ k, steps: 25, t: k / 25, dt: DT, guided: false, x });
    for (const k of [0, 1]) {
      expect(p.plan(ctx(k))).toEqual({ compute: true });
      p.observe(ctx(k), { x: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }, true);
    }
    // 4 tokens · 0.15 → floor 0: nothing carved on so few tokens.
    expect(p.plan(ctx(2))).toEqual({ compute: true });
    const q = slatCarving({ ...CLI, slat_thresh: 0, slat_carving_ratio: 0.5 });
    q.begin!({ tokens: 4, spatialScores: Float32Array.from([1, 0, 1, 0]) });
    for (const k of [0, 1]) {
      q.plan(ctx(k));
      q.observe(ctx(k), { x: new Float32Array(8).fill(1) }, true);
    }
    const carvedPlan = q.plan(ctx(2));
    // Equal magnitudes and no motion: spatial decides, tokens 1 and 3 are carved.
    expect(carvedPlan).toEqual({ compute: true, tokens: Int32Array.from([0, 2]) });
    const v = q.expand!(ctx(2), { x: Float32Array.from([9, 9, 8, 8]) }, Int32Array.from([0, 2]));
    expect(Array.from(v.x)).toEqual([9, 9, 1, 1, 8, 8, 1, 1]);
    expect(() => q.expand!(ctx(2), { x: new Float32Array(6) }, Int32Array.from([0, 2]))).toThrow(
      '3 rows for 2 tokens',
    );
  });
});

describe('slat carving: state and knobs', () => {
  it('is deterministic and resets between generations when the policy object is reused', async () => {
    const policy = slatCarving(CLI);
    const a = await run(CLI, 2, policy);
    const b = await run(CLI, 2, policy);
    const c = await run(CLI, 2);
    expect(b.x).toEqual(a.x);
    expect(c.x).toEqual(a.x);
    expect(b.trace).toEqual(a.trace);
  });

  it('validates its knobs', () => {
    expect(() => slatCarving({ ...CLI, slat_carving_ratio: 1 })).toThrow(
      'slat_carving_ratio must be a number in [0, 1)',
    );
    expect(() => slatCarving({ ...CLI, slat_warmup: 1.5 })).toThrow(
      'slat_warmup must be an integer ≥ 0, got 1.5',
    );
    expect(() => slatCarving({ ...CLI, protectLastSteps: -1 })).toThrow(
      'protectLastSteps must be an integer ≥ 0',
    );
    const p = slatCarving(CLI);
    expect(() => p.begin!({ tokens: 3, spatialScores: new Float32Array(2) })).toThrow(
      '2 entries for 3 tokens',
    );
  });
});
