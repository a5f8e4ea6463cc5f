// Runs `full` and each strategy on the same photo, mask, pack and noise, and measures each against the
// full run (and against ground truth when given). Strategies are interleaved within every repeat so
// machine noise spreads evenly; timings are medians with their spread reported.
import type { Strategy } from '../accelerate/presets.ts';
import { compareMeshes, isClosed, poseBoxIoU } from '../metrics/index.ts';
import type { Pack } from '../pack/load.ts';
import { SessionCache, type Provider } from '../pack/sessions.ts';
import { runPipeline, type RunResult } from '../pipeline.ts';
import type { Mesh } from '../stages/decode.ts';

export type StrategyRow = {
  input: string;
  strategy: string;
  knobs: Record<string, number | boolean>;
  /** Median wall time per stage (ms) over the repeats. */
  stageMs: Record<string, number>;
  totalMs: number;
  /** Relative spread of the total: (max − min) / median over the repeats. */
  totalSpread: number;
  speedup: number;
  evaluations: { stage1: number; stage2: number };
  tokens: { voxels: number; stage2Evaluated: number };
  vsFull: { cdL1: number; cdL2: number; f1: number; vIoU: number; boxIoU: number };
  vsTruth: { cdL1: number; cdL2: number; f1: number; vIoU: number } | null;
  /** Output checks that need no reference: silhouette IoU against the input mask, a boundary-free
   *  surface, vertex colours that vary (fractions of inputs in the per-strategy mean rows). */
  output: { silhouetteIoU: number; silhouetteIoUPredicted: number; closed: number; coloured: number };
  result: RunResult;
};

/** Vertex colours present and not all equal (a decoder that lost colour gives one flat value). */
export function hasColour(mesh: Mesh): boolean {
  const c = mesh.colors;
  for (let i = 3; i < c.length; i++) if (Math.abs(c[i] - c[i % 3]) > 1 / 255) return true;
  return false;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export async function compareStrategies(opts: {
  input: { name: string; image: string; mask: string; truth?: Mesh };
  pack: Pack;
  strategies: Strategy[];
  seed?: number;
  repeat?: number;
  provider?: Provider;
  threads?: number;
  onRun?: (strategy: string, repeat: number) => void;
  sessions?: SessionCache;
  /** Edit stage 1's voxels by the mask (RunOptions.maskGuide; default true). */
  maskGuide?: boolean;
  /** Start with one untimed run (default true); a caller that reuses warm sessions can skip it. */
  warmUp?: boolean;
}): Promise<StrategyRow[]> {
  const sessions =
    opts.sessions ?? new SessionCache(opts.pack, { provider: opts.provider, threads: opts.threads });
  const repeat = Math.max(1, opts.repeat ?? 1);
  const names = opts.strategies.map((s) => s.name);
  if (!names.includes('full')) throw new Error('compareStrategies needs "full" among the strategies');
  const runs = new Map<string, RunResult[]>(names.map((n) => [n, []]));
  const once = (s: Strategy) =>
    runPipeline({
      image: opts.input.image,
      mask: opts.input.mask,
      pack: opts.pack,
      seed: opts.seed ?? 0,
      sessions,
      maskGuide: opts.maskGuide,
      policies: s.build(),
    });
  try {
    // One untimed run creates every session, so no strategy pays for model loading.
    if (opts.warmUp ?? true) await once(opts.strategies[0]);
    for (let r = 0; r < repeat; r++) {
      for (const s of opts.strategies) {
        opts.onRun?.(s.name, r);
        runs.get(s.name)!.push(await once(s));
      }
    }
  } finally {
    if (!opts.sessions) await sessions.dispose();
  }
  const full = runs.get('full')!;
  const fullTotal = median(full.map((r) => r.report.totalMs));
  const ref = full[0];
  return opts.strategies.map((s) => {
    const rs = runs.get(s.name)!;
    const totals = rs.map((r) => r.report.totalMs);
    const total = median(totals);
    const stageNames = rs[0].report.timings.map((t) => t.name);
    const stageMs = Object.fromEntries(
      stageNames.map((n) => [n, median(rs.map((r) => r.report.timings.find((t) => t.name === n)?.ms ?? 0))]),
    );
    const res = rs[0];
    // Shape metrics normalise each mesh to its own unit cube: aggregation legitimately shrinks the
    // canonical mesh (the pose scale grows by the same factor); layout drift is the box IoU's job.
    const m = compareMeshes(res.mesh, ref.mesh, { normalization: 'independent' });
    const truth = opts.input.truth
      ? compareMeshes(res.mesh, opts.input.truth, { normalization: 'independent' })
      : null;
    return {
      input: opts.input.name,
      strategy: s.name,
      knobs: s.knobs,
      stageMs,
      totalMs: total,
      totalSpread: (Math.max(...totals) - Math.min(...totals)) / total,
      speedup: fullTotal / total,
      evaluations: res.report.evaluations,
      tokens: { voxels: res.report.tokens.voxels, stage2Evaluated: res.report.tokens.stage2Evaluated },
      vsFull: {
        cdL1: m.cdL1,
        cdL2: m.cdL2,
        f1: m.f1,
        vIoU: m.vIoU,
        boxIoU: poseBoxIoU(res.mesh, res.pose, ref.mesh, ref.pose),
      },
      vsTruth: truth ? { cdL1: truth.cdL1, cdL2: truth.cdL2, f1: truth.f1, vIoU: truth.vIoU } : null,
      output: {
        silhouetteIoU: res.report.silhouette.iou,
        silhouetteIoUPredicted: res.report.silhouette.iouPredicted,
        closed: isClosed(res.mesh) ? 1 : 0,
        coloured: hasColour(res.mesh) ? 1 : 0,
      },
      result: res,
    };
  });
}
