// Per-stage fixture cases ("<case>.in.<name>" / "<case>.out.<name>", case = stage or "<stage>_<variant>")
// and running one case through the engine's session cache.
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import type { Pack } from '../../engine/pack/load.ts';
import type { StageName } from '../../engine/pack/manifest.ts';
import type { SessionCache } from '../../engine/pack/sessions.ts';
import type { FixtureTensor } from './safetensors.ts';

export type StageCase = { inputs: Record<string, FixtureTensor>; outputs: Record<string, FixtureTensor> };

export function stageCases(fixtures: Record<string, FixtureTensor>): Map<string, StageCase> {
  const cases = new Map<string, StageCase>();
  for (const [key, t] of Object.entries(fixtures)) {
    const [name, dir, ...rest] = key.split('.');
    if (name === 'host' || (dir !== 'in' && dir !== 'out')) continue; // host-side references
    const entry = cases.get(name) ?? { inputs: {}, outputs: {} };
    (dir === 'in' ? entry.inputs : entry.outputs)[rest.join('.')] = t;
    cases.set(name, entry);
  }
  return cases;
}

export const caseStage = (name: string) => name.replace(/_uncond$/, '') as StageName;

function toTensor(t: FixtureTensor, dtype: string): ort.Tensor {
  if (dtype === 'bool') return new ort.Tensor('bool', Uint8Array.from(t.data), t.shape);
  if (dtype === 'int32') return new ort.Tensor('int32', Int32Array.from(t.data), t.shape);
  return new ort.Tensor('float32', Float32Array.from(t.data), t.shape);
}

/** Runs the case's stage on its inputs; returns each output's error relative to max(1, |reference|). */
export async function runStageCase(pack: Pack, sessions: SessionCache, name: string, c: StageCase) {
  const stage = caseStage(name);
  const spec = pack.manifest.stages[stage]!;
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of spec.inputs) {
    const t = c.inputs[input.name];
    expect(t, `fixture input ${input.name}`).toBeDefined();
    feeds[input.name] = toTensor(t, input.dtype);
  }
  const out = await sessions.run(stage, feeds);
  const errors: Record<string, number> = {};
  for (const [oname, want] of Object.entries(c.outputs)) {
    const got = out[oname];
    expect(got.dims).toEqual(want.shape);
    let scale = 1;
    let err = 0;
    for (let i = 0; i < want.data.length; i++) {
      scale = Math.max(scale, Math.abs(want.data[i]));
      const d = Math.abs((got.data as Float32Array)[i] - want.data[i]);
      err = Number.isNaN(d) ? Infinity : Math.max(err, d);
    }
    errors[oname] = err / scale;
  }
  return errors;
}
