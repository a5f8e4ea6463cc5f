// Rectified-flow Euler sampler with classifier-free guidance, as SAM 3D runs both stages. The network
// call and the acceleration policy are injected, so the same loop serves stage 1, stage 2 and every
// strategy.
import type { SamplerConfig } from '../pack/manifest.ts';
import { throwIfAborted } from '../errors.ts';
import type { Fields, SamplingSetup, StepContext, StepPolicy } from '../accelerate/policy.ts';
import { cfgActive, timeGrid } from './schedule.ts';

/** One network evaluation: velocities for x at time t (not yet scaled by timeScale). */
export type Evaluate = (
  x: Fields,
  t: number,
  branch: 'cond' | 'uncond',
  tokens?: Int32Array,
) => Promise<Fields>;

export type StepRecord = {
  k: number;
  t: number;
  computed: boolean;
  evaluations: number;
  tokens: number | null;
};

export type SampleResult = { x: Fields; evaluations: number; trace: StepRecord[] };

export async function sampleFlow(opts: {
  config: SamplerConfig;
  x0: Fields;
  evaluate: Evaluate;
  policy: StepPolicy;
  setup: SamplingSetup;
  signal?: AbortSignal;
  onStep?: (done: number, of: number, x: Fields) => void;
}): Promise<SampleResult> {
  const { config, evaluate, policy } = opts;
  const times = timeGrid(config.steps, config.rescaleT);
  const x: Fields = Object.fromEntries(Object.entries(opts.x0).map(([k, v]) => [k, Float32Array.from(v)]));
  const guidedNames = config.cfg.outputs === 'all' ? Object.keys(x) : config.cfg.outputs;
  const s = config.cfg.strength;
  const trace: StepRecord[] = [];
  let evaluations = 0;
  policy.begin?.(opts.setup);

  for (let k = 0; k < config.steps; k++) {
    throwIfAborted(opts.signal);
    const ctx: StepContext = {
      k,
      steps: config.steps,
      t: times[k],
      dt: times[k + 1] - times[k],
      guided: cfgActive(config, times[k]),
      x,
    };
    const plan = policy.plan(ctx);
    let v: Fields;
    let calls = 0;
    if (plan.compute) {
      const tokens = plan.tokens;
      v = await evaluate(x, ctx.t, 'cond', tokens);
      calls++;
      if (ctx.guided) {
        const vu = await evaluate(x, ctx.t, 'uncond', tokens);
        calls++;
        for (const name of guidedNames) {
          const c = v[name];
          const u = vu[name];
          if (!c || !u) throw new Error(`guidance output "${name}" missing from the network outputs`);
          for (let i = 0; i < c.length; i++) c[i] = (1 + s) * c[i] - s * u[i];
        }
      }
      if (tokens) {
        if (!policy.expand) throw new Error(`policy ${policy.name} selected tokens but cannot expand them`);
        v = policy.expand(ctx, v, tokens);
      }
    } else {
      v = policy.reuse(ctx);
    }
    policy.observe(ctx, v, plan.compute);
    for (const [name, xs] of Object.entries(x)) {
      const vs = v[name];
      if (!vs || vs.length !== xs.length) throw new Error(`velocity "${name}" has the wrong length`);
      for (let i = 0; i < xs.length; i++) xs[i] += ctx.dt * vs[i];
    }
    evaluations += calls;
    trace.push({
      k,
      t: ctx.t,
      computed: plan.compute,
      evaluations: calls,
      tokens: plan.compute && plan.tokens ? plan.tokens.length : null,
    });
    opts.onStep?.(k + 1, config.steps, x);
  }
  return { x, evaluations, trace };
}
