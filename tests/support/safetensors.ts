// Reader for the safetensors files our PyTorch scripts write as test fixtures (8-byte little-endian
// header length, JSON header, raw little-endian data).
import { readFileSync } from 'node:fs';

export type FixtureTensor = {
  dtype: 'F32' | 'I32' | 'U8' | 'I64';
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
};

export function readSafetensors(path: string): Record<string, FixtureTensor> {
  const buf = readFileSync(path);
  const headerLen = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + headerLen).toString('utf8')) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const base = 8 + headerLen;
  const out: Record<string, FixtureTensor> = {};
  for (const [name, spec] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [b, e] = spec.data_offsets;
    const bytes = new Uint8Array(buf.buffer.slice(buf.byteOffset + base + b, buf.byteOffset + base + e));
    let data: FixtureTensor['data'];
    if (spec.dtype === 'F32') data = new Float32Array(bytes.buffer);
    else if (spec.dtype === 'I32') data = new Int32Array(bytes.buffer);
    else if (spec.dtype === 'U8' || spec.dtype === 'BOOL') data = bytes;
    else if (spec.dtype === 'I64') data = Int32Array.from(new BigInt64Array(bytes.buffer), Number);
    else throw new Error(`${path}: tensor ${name} has unsupported dtype ${spec.dtype}`);
    out[name] = { dtype: spec.dtype as FixtureTensor['dtype'], shape: spec.shape, data };
  }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}
