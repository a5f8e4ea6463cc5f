// Runs every case of a stages.safetensors fixture (or an official dump, gpu/official_dump.py) through
// onnxruntime-node and prints one JSON line per output: {"case", "output", "maxAbs", "maxRef", "ms"}.
// Usage (repo root): [FSAM3D_EP=cuda] node modeling/sam3d_export/tools/check_ort.mjs PACK_DIR FIXTURE.safetensors
import fs from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';

const [packDir, fixture] = process.argv.slice(2);
const buf = fs.readFileSync(fixture);
const n = Number(buf.readBigUInt64LE(0));
const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
const tensors = {};
for (const [name, info] of Object.entries(header)) {
  if (name === '__metadata__') continue;
  const [b, e] = info.data_offsets;
  const copy = new Uint8Array(buf.subarray(8 + n + b, 8 + n + e));
  const ctor = { F32: Float32Array, I32: Int32Array, U8: Uint8Array }[info.dtype];
  tensors[name] = { shape: info.shape, data: new ctor(copy.buffer) };
}
const manifest = JSON.parse(fs.readFileSync(path.join(packDir, 'manifest.json'), 'utf8'));
const cases = [...new Set(Object.keys(tensors).filter((k) => k.includes('.in.')).map((k) => k.split('.')[0]))];
const stageOf = (c) => c.replace(/_uncond$|_step\d+$/, '');
for (const c of cases) {
  const stage = stageOf(c);
  const spec = manifest.stages[stage];
  const ep = process.env.FSAM3D_EP ?? 'cpu';
  const session = await ort.InferenceSession.create(path.join(packDir, spec.file), {
    intraOpNumThreads: ep === 'cpu' ? 1 : undefined,
    executionProviders: [ep],
  });
  const feeds = {};
  for (const i of spec.inputs) {
    const t = tensors[`${c}.in.${i.name}`];
    feeds[i.name] = new ort.Tensor(i.dtype, i.dtype === 'bool' ? Uint8Array.from(t.data) : t.data, t.shape);
  }
  const t0 = performance.now();
  const res = await session.run(feeds);
  const ms = performance.now() - t0;
  for (const o of spec.outputs) {
    const ref = tensors[`${c}.out.${o.name}`];
    const got = res[o.name];
    let maxAbs = got.dims.join(',') === ref.shape.join(',') ? 0 : Infinity;
    let maxRef = 0;
    for (let k = 0; k < ref.data.length; k++) {
      const d = Math.abs(got.data[k] - ref.data[k]);
      maxAbs = Number.isNaN(d) ? Infinity : Math.max(maxAbs, d);
      maxRef = Math.max(maxRef, Math.abs(ref.data[k]));
    }
    console.log(JSON.stringify({ case: c, output: o.name, maxAbs, maxRef, ms }));
  }
  await session.release();
}
