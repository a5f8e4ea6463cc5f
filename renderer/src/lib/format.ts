// Number and time formatting for labels (tabular, compact).
export function fmtMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  return `${m} m ${String(Math.round(s - m * 60)).padStart(2, '0')} s`;
}

export function fmtInt(n: number | null | undefined): string {
  return n == null || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en-US');
}

export function fmtNum(n: number | null | undefined, digits = 3): string {
  if (n == null || !Number.isFinite(n)) return '—';
  return Math.abs(n) >= 100 ? n.toFixed(1) : n.toPrecision(digits);
}

export function fmtPct(n: number | null | undefined): string {
  return n == null || !Number.isFinite(n) ? '—' : `${(n * 100).toFixed(1)} %`;
}

export function fmtKnob(v: number | boolean): string {
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(4)));
}

const STAGE_NAMES: Record<string, string> = {
  queued: 'Queued',
  preprocess: 'Preprocess',
  condition: 'Condition',
  ss_condition: 'Condition · stage 1',
  slat_condition: 'Condition · stage 2',
  stage1: 'Stage 1 · structure',
  ss_decoder: 'Occupancy decode',
  structure: 'Voxel structure',
  stage2: 'Stage 2 · latent',
  decode: 'Decode mesh',
  gs_decoder: 'Decode splats',
};

export function stageLabel(name: string): string {
  return STAGE_NAMES[name] ?? name.replace(/_/g, ' ');
}

/** A score that may come as a fraction (0..1) or in percent (0..100), shown in percent. */
export function fmtScore(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return '—';
  return n > 1.0001 ? `${n.toFixed(1)} %` : fmtPct(n);
}
