// The acceleration flags shared by `run`, `compare` and `bench`: --preset plus every knob, spelled
// as the published Fast-SAM3D CLI spells it (baselines as <strategy>_<knob>).
import type { ParseArgsConfig } from 'node:util';
import { ENABLE_FLAGS, knobFlags, STRATEGY_NAMES, type KnobValues } from '../accelerate/presets.ts';
import { UserError } from '../errors.ts';

export function strategyOptions(): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {
    reference_compat: { type: 'boolean' },
  };
  for (const { flag } of knobFlags()) options[flag] = { type: 'string' };
  for (const flag of ENABLE_FLAGS) options[flag] = { type: 'boolean' };
  return options;
}

export function knobValues(values: Record<string, unknown>): KnobValues {
  const out: KnobValues = {};
  for (const { flag } of knobFlags()) {
    const v = values[flag];
    if (v === undefined) continue;
    const n = Number(v);
    if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) {
      throw new UserError(`--${flag} must be a number, got "${String(v)}"`);
    }
    out[flag] = n;
  }
  for (const flag of [...ENABLE_FLAGS, 'reference_compat']) if (values[flag] === true) out[flag] = true;
  return out;
}

export const STRATEGY_USAGE = `acceleration: --preset ${STRATEGY_NAMES.join('|')}
  Fast-SAM3D knobs: ${knobFlags()
    .filter((k) => k.owner === 'fast-sam3d')
    .map((k) => `--${k.flag} X`)
    .join(' ')}
  switches: ${ENABLE_FLAGS.map((f) => `--${f}`).join(' ')} --reference_compat
  baseline knobs: ${knobFlags()
    .filter((k) => k.owner !== 'fast-sam3d')
    .map((k) => `--${k.flag} X`)
    .join(' ')}`;
