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

export function providerUsed(r: RunResult | null | undefined): string | null {
  const used = (r?.report?.provider as { used?: Record<string, string> } | undefined)?.used;
  if (!used || typeof used !== 'object') return null;
  const set = [...new Set(Object.values(used))];
  return set.length ? set.join(', ') : null;
}
