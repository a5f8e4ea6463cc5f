// Time grids and guidance windows of SAM 3D's rectified-flow samplers (t = 0 is noise, 1 is data).
import type { SamplerConfig } from '../pack/manifest.ts';

/** t_k = u / (1 + (r−1)(1−u)), u = k/steps, k = 0..steps (steps+1 values, float64). */
export function timeGrid(steps: number, rescaleT: number): Float64Array {
  const t = new Float64Array(steps + 1);
  for (let k = 0; k <= steps; k++) {
    const u = k / steps;
    t[k] = u / (1 + (rescaleT - 1) * (1 - u));
  }
  return t;
}

/** Whether step k (at time t) runs the unconditional pass: inside the interval on t·timeScale. */
export function cfgActive(cfg: SamplerConfig, t: number): boolean {
  const T = t * cfg.timeScale;
  return cfg.cfg.strength > 0 && T >= cfg.cfg.interval[0] && T <= cfg.cfg.interval[1];
}

/** Network evaluations a full (unaccelerated) run makes. */
export function fullEvaluations(cfg: SamplerConfig): number {
  const t = timeGrid(cfg.steps, cfg.rescaleT);
  let n = 0;
  for (let k = 0; k < cfg.steps; k++) n += cfgActive(cfg, t[k]) ? 2 : 1;
  return n;
}
