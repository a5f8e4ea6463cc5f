// Fast-SAM3D knobs grouped by mechanism, with each mechanism's on/off switch in its header.
import type { StrategyInfo } from '../client/api';

export type KnobDef = StrategyInfo['knobs'][number];
export type KnobGroup = { id: string; title: string; toggle: KnobDef | null; knobs: KnobDef[] };

const GROUPS = [
  { id: 'ss', title: 'Stage 1 · step caching', prefix: 'ss_', toggle: 'ss_cache' },
  { id: 'slat', title: 'Stage 2 · token carving', prefix: 'slat_', toggle: 'slat_carving' },
  { id: 'mesh', title: 'Spectral aggregation', prefix: 'mesh_', toggle: 'mesh_aggregation' },
];

export function groupKnobs(knobs: KnobDef[]): KnobGroup[] {
  const used = new Set<string>();
  const out: KnobGroup[] = [];
  for (const g of GROUPS) {
    const toggle = knobs.find((k) => k.name === g.toggle) ?? null;
    const members = knobs.filter((k) => k.name.startsWith(g.prefix) && k.name !== g.toggle);
    if (!toggle && members.length === 0) continue;
    if (toggle) used.add(toggle.name);
    members.forEach((k) => used.add(k.name));
    out.push({ id: g.id, title: g.title, toggle, knobs: members });
  }
  const rest = knobs.filter((k) => !used.has(k.name));
  if (rest.length)
    out.push({ id: 'other', title: out.length ? 'Advanced' : 'Settings', toggle: null, knobs: rest });
  return out;
}

/** Step for a numeric knob: the engine's, else 1 for integer ranges, else 1/100 of the range. */
export function knobStep(k: KnobDef): number {
  if (k.step) return k.step;
  const ints = [k.value, k.min, k.max].every(
    (v) => v === undefined || (typeof v === 'number' && Number.isInteger(v)),
  );
  if (ints) return 1;
  if (k.min !== undefined && k.max !== undefined) return Number(((k.max - k.min) / 100).toPrecision(2));
  return 0.01;
}
