// Runs every case of resources/fixtures/test-pack/stages.safetensors through onnxruntime-node and
// compares with the PyTorch outputs. Usage (repo root): node modeling/tools/check_pack_ort.mjs
import fs from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const packDir = process.argv[2] ?? path.join(root, 'resources/packs/test');
const fixture = process.argv[3] ?? path.join(root, 'resources/fixtures/test-pack/stages.safetensors');

function readSafetensors(file) {
  const buf = fs.readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  const out = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [b, e] = info.data_offsets;
    const bytes = buf.subarray(8 + n + b, 8 + n + e);
    const copy = new Uint8Array(bytes); // aligned copy
    const ctor = { F32: Float32Array, I32: Int32Array, U8: Uint8Array }[info.dtype];
    out[name] = { dtype: info.dtype, shape: info.shape, data: new ctor(copy.buffer) };
  }
  return out;
}

const manifest = JSON.parse(fs.readFileSync(path.join(packDir, 'manifest.json'), 'utf8'));
const tensors = readSafetensors(fixture);
const cases = [
  ...new Set(
    Object.keys(tensors)
      .filter((k) => /\.in\./.test(k) && !k.startsWith('host.'))
      .map((k) => k.split('.')[0]),
  ),
];
let worst = 0;
let failed = false;
for (const c of cases) {
  const stage = c.replace(/_uncond$/, '');
  const spec = manifest.stages[stage];
  const session = await ort.InferenceSession.create(path.join(packDir, spec.file));
  const names = session.inputNames.join(',');
  const want = spec.inputs.map((i) => i.name).join(',');
  if (names !== want) throw new Error(`${stage}: graph inputs ${names} != manifest ${want}`);
  const feeds = {};
  for (const i of spec.inputs) {
    const t = tensors[`${c}.in.${i.name}`];
    const data = i.dtype === 'bool' ? Uint8Array.from(t.data, (v) => v) : t.data;
    feeds[i.name] = new ort.Tensor(i.dtype === 'bool' ? 'bool' : i.dtype, data, t.shape);
  }
  const t0 = performance.now();
  const res = await session.run(feeds);
  const ms = performance.now() - t0;
  for (const o of spec.outputs) {
    const ref = tensors[`${c}.out.${o.name}`];
    const got = res[o.name];
    if (got.dims.join(',') !== ref.shape.join(','))
      throw new Error(`${c}.${o.name}: dims ${got.dims} vs ${ref.shape}`);
    let maxAbs = 0,
      maxRef = 0;
    for (let k = 0; k < ref.data.length; k++) {
      maxAbs = Math.max(maxAbs, Math.abs(got.data[k] - ref.data[k]));
      maxRef = Math.max(maxRef, Math.abs(ref.data[k]));
    }
    const rel = maxAbs / Math.max(maxRef, 1e-12);
    worst = Math.max(worst, rel);
    const ok = rel < 1e-4 && Number.isFinite(maxAbs);
    if (!ok) failed = true;
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} ${c}.${o.name} [${ref.shape}] max|d|=${maxAbs.toExponential(2)} rel=${rel.toExponential(2)} (${ms.toFixed(1)} ms)`,
    );
  }
  await session.release?.();
}
console.log(`worst relative error ${worst.toExponential(2)}`);
process.exit(failed ? 1 : 0);
