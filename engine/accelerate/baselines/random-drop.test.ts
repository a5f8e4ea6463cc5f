import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors.ts';
import type { Evaluate } from '../../sampling/flow-sampler.ts';
import type { Fields } from '../policy.ts';
import { noise, run, spy, STAGE1, STAGE1_TOKENS, stage1State, STAGE2 } from './harness.ts';
import { parseRandomDropKnobs, RANDOM_DROP_DEFAULTS, randomDrop } from './random-drop.ts';

const C = 8;

/** A stage-2 style network: runs on the given rows only and returns one row per evaluated token. */
function subsetNet(log?: { tokens: Int32Array | undefined; branch: string }[]): Evaluate {
  return async (x, t, branch, tokens) => {
    log?.push({ tokens, branch });
    const n = x.x.length / C;
    const rows = tokens ?? Int32Array.from({ length: n }, (_, i) => i);
    const out = new Float32Array(rows.length * C);
    for (let j = 0; j < rows.length; j++) {
      for (let c = 0; c < C; c++) out[j * C + c] = Math.sin(rows[j] + c) + t + 0.1 * x.x[rows[j] * C + c];
    }
    return { x: out } as Fields;
  };
}

describe('randomDrop', () => {
  it('exports its defaults and validates knobs', () => {
    expect(RANDOM_DROP_DEFAULTS).toEqual({ ratio: 0.4, seed: 0 });
    expect(parseRandomDropKnobs({ seed: 7 })).toEqual({ ratio: 0.4, seed: 7 });
    expect(() => randomDrop({ ratio: 1 })).toThrow(UserError);
    expect(() => randomDrop({ ratio: 1 })).toThrow(/ratio must be a number in \[0, 1\), got 1/);
    expect(() => randomDrop({ ratio: -0.1 })).toThrow(/ratio/);
    expect(() => randomDrop({ seed: 1.5 })).toThrow(/seed must be an integer/);
    expect(() => randomDrop({ seed: 2 ** 40 })).toThrow(/seed/);
    expect(() => randomDrop({ rate: 0.1 } as never)).toThrow(/unknown knob "rate"/);
  });

  it('stage 2 defaults: every step computed (38 evaluations); steps 1–24 run on N − floor(0.4·N) tokens', async () => {
    // N = 250: floor(0.4·250) = 100 dropped, 150 evaluated from step 1 on; step 0 evaluates all 250.
    // No step is skipped, so evaluations stay 13 guided × 2 + 12 = 38 (the saving is in tokens).
    const N = 250;
    const log: { tokens: Int32Array | undefined; branch: string }[] = [];
    const res = await run(STAGE2, { x: noise(N * C, 1) }, N, randomDrop(), subsetNet(log));
    expect(res.evaluations).toBe(38);
    expect(res.trace.map((s) => s.tokens)).toEqual([null, ...Array(24).fill(150)]);
    // Cond and uncond of one step share the same subset object; the subset is ascending and unique.
    for (let i = 0; i + 1 < log.length; i++) {
      if (log[i + 1].branch === 'uncond') expect(log[i + 1].tokens).toBe(log[i].tokens);
    }
    for (const { tokens } of log.slice(2)) {
      for (let j = 1; j < tokens!.length; j++) expect(tokens![j]).toBeGreaterThan(tokens![j - 1]);
      expect(tokens![0]).toBeGreaterThanOrEqual(0);
      expect(tokens![tokens!.length - 1]).toBeLessThan(N);
    }
  });

  it('dropped tokens keep their last velocity, evaluated tokens get the new one', async () => {
    const N = 40;
    const s = spy(randomDrop({ ratio: 0.5, seed: 3 }));
    await run(STAGE2, { x: noise(N * C, 2) }, N, s.policy, subsetNet());
    for (let k = 1; k < 25; k++) {
      const kept = new Set(s.steps[k].tokens!);
      expect(kept.size).toBe(20);
      for (let r = 0; r < N; r++) {
        for (let c = 0; c < C; c++) {
          const i = r * C + c;
          if (!kept.has(r)) expect(s.steps[k].v.x[i]).toBe(s.steps[k - 1].v.x[i]);
        }
      }
      // Some kept row changed (t moved), so the evaluation really landed in place.
      const r0 = s.steps[k].tokens![0];
      expect(s.steps[k].v.x[r0 * C]).not.toBe(s.steps[k - 1].v.x[r0 * C]);
    }
  });

  it('is deterministic per seed, differs across seeds, and varies the subset between steps', async () => {
    const N = 100;
    const x0 = { x: noise(N * C, 4) };
    const subsets = async (seed: number, policy = randomDrop({ seed })) => {
      const s = spy(policy);
      const r = await run(STAGE2, x0, N, s.policy, subsetNet());
      return {
        tokens: s.steps.map((st) => (st.tokens ? Array.from(st.tokens) : null)),
        x: Array.from(r.x.x),
      };
    };
    const reused = randomDrop({ seed: 42 });
    const a = await subsets(42, reused);
    const b = await subsets(42, reused); // same instance: begin() reseeds
    const c = await subsets(42);
    const d = await subsets(43);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(d.tokens).not.toEqual(a.tokens);
    expect(a.tokens[1]).not.toEqual(a.tokens[2]);
  });

  it('ratio 0 never drops; on stage 1 only the per-token shape field is subset, layout is kept whole', async () => {
    const none = await run(STAGE2, { x: noise(10 * C, 5) }, 10, randomDrop({ ratio: 0 }), subsetNet());
    expect(none.trace.every((s) => s.tokens === null)).toBe(true);

    // A dense stage-1 network ignores the subset and returns every row (as stage1.ts does today): the
    // policy still holds the dropped shape rows. Every step runs: 19 guided × 2 + 6 = 44 evaluations.
    const dense: Evaluate = async (x, t) =>
      Object.fromEntries(
        Object.entries(x).map(([n, a]) => [n, a.map((u, i) => Math.cos(u + i) + t)]),
      ) as Fields;
    const s = spy(randomDrop({ ratio: 0.25 }));
    const res = await run(STAGE1, stage1State(3), STAGE1_TOKENS, s.policy, dense);
    expect(res.evaluations).toBe(44);
    expect(s.steps[5].tokens!.length).toBe(STAGE1_TOKENS - 1024);
    const kept = new Set(s.steps[5].tokens!);
    const dropped = [...Array(STAGE1_TOKENS).keys()].find((r) => !kept.has(r))!;
    expect(s.steps[5].v.shape[dropped * 8]).toBe(s.steps[4].v.shape[dropped * 8]);
    expect(s.steps[5].v.translation[0]).not.toBe(s.steps[4].v.translation[0]);
  });
});
