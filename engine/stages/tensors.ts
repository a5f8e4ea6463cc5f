// Small helpers to build onnxruntime tensors from the engine's typed arrays.
import * as ort from 'onnxruntime-node';

export const f32 = (data: Float32Array, dims: number[]) => new ort.Tensor('float32', data, dims);
export const i32 = (data: Int32Array, dims: number[]) => new ort.Tensor('int32', data, dims);
export const bool = (data: Uint8Array, dims: number[]) => new ort.Tensor('bool', data, dims);

export function outputF32(out: Record<string, ort.Tensor>, name: string, stage: string): Float32Array {
  const t = out[name];
  if (!t || t.type !== 'float32') throw new Error(`${stage} returned no float32 output "${name}"`);
  return t.data as Float32Array;
}

export type Feeds = Record<string, ort.Tensor>;
