// Typed reads of the engine's RunReport (RunResult.report is loosely typed across the wire).
import type { RunResult } from '../client/api';

export type StageTime = { name: string; ms: number };

export function stageTimes(r: RunResult | null | undefined): StageTime[] {
  const t = r?.report?.timings;
  if (!Array.isArray(t)) return [];
  return t
    .filter((x): x is StageTime => !!x && typeof x.name === 'string' && typeof x.ms === 'number')
    .map((x) => ({ name: x.name, ms: x.ms }));
}

function num(o: unknown, ...path: string[]): number | null {
  let v: unknown = o;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function voxelCount(r: RunResult | null | undefined): number | null {
  return num(r?.report, 'tokens', 'voxels') ?? num(r?.report, 'voxels', 'occupied');
}

export function evaluations(r: RunResult | null | undefined): {
  stage1: number | null;
  stage2: number | null;
} {
  return { stage1: num(r?.report, 'evaluations', 'stage1'), stage2: num(r?.report, 'evaluations', 'stage2') };
}

/** The execution provider(s) the run's stages really ran on, e.g. "cpu" or "cuda, cpu". */
export function providerUsed(r: RunResult | null | undefined): string | null {
  const set = [...new Set(Object.values(providerStages(r)))];
  return set.length ? set.join(', ') : null;
}

/** Stage → provider it ran on (RunReport.provider.used). */
export function providerStages(r: RunResult | null | undefined): Record<string, string> {
  const used = (r?.report?.provider as { used?: unknown } | undefined)?.used;
  if (!used || typeof used !== 'object') return {};
  return Object.fromEntries(
    Object.entries(used as Record<string, unknown>).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );
}

/** The provider the run asked for (RunReport.provider.requested), e.g. "auto". */
export function providerRequested(r: RunResult | null | undefined): string | null {
  const req = (r?.report?.provider as { requested?: unknown } | undefined)?.requested;
  return typeof req === 'string' ? req : null;
}

/** How the silhouette IoU came about (RunReport.silhouette): the layout fitted to the mask or not, the IoU
 *  of the network's own layout, and the stage-1 voxels the mask guide carved and added (RunReport.voxels). */
export function silhouetteNote(r: RunResult | null | undefined): string | null {
  const predicted = num(r?.report, 'silhouette', 'iouPredicted');
  if (predicted === null) return null;
  const sil = (r?.report?.silhouette ?? {}) as { layoutFit?: unknown };
  const pct = `${(predicted * 100).toFixed(1)} %`;
  const layout = sil.layoutFit
    ? `layout fitted to the mask; ${pct} as the network placed it`
    : `network layout (${pct}); fitting it to the mask did not improve it or was off`;
  const guide = (r?.report?.voxels as { maskGuide?: { applied?: unknown } } | undefined)?.maskGuide;
  const carved = num(guide, 'carved'),
    added = num(guide, 'added');
  return guide?.applied === true && carved !== null && added !== null
    ? `${layout}; mask guide: ${carved} voxels carved, ${added} added`
    : layout;
}
