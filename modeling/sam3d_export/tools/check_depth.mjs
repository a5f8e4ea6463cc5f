// Runs the cases of a JSON fixture ({case: {image, out_hw, points_affine, mask_raw}}) through a depth
// graph with onnxruntime-node; prints one JSON line per output: {"case", "output", "maxAbs", "maxRef"}.
// Usage (repo root): node modeling/sam3d_export/tools/check_depth.mjs depth.onnx cases.json
import fs from 'node:fs';
import ort from 'onnxruntime-node';

const [model, fixture] = process.argv.slice(2);
const cases = JSON.parse(fs.readFileSync(fixture, 'utf8'));
const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
for (const [name, c] of Object.entries(cases)) {
  const res = await session.run({
    image: new ort.Tensor('float32', Float32Array.from(c.image.data), c.image.shape),
    out_hw: new ort.Tensor('int64', BigInt64Array.from(c.out_hw.data.map(BigInt)), [2]),
  });
  for (const o of ['points_affine', 'mask_raw']) {
    const got = res[o];
    const ref = c[o];
    let maxAbs = got.dims.join(',') === ref.shape.join(',') ? 0 : Infinity;
    let maxRef = 0;
    for (let k = 0; k < ref.data.length; k++) {
      const d = Math.abs(got.data[k] - ref.data[k]);
      maxAbs = Number.isNaN(d) ? Infinity : Math.max(maxAbs, d);
      maxRef = Math.max(maxRef, Math.abs(ref.data[k]));
    }
    console.log(JSON.stringify({ case: name, output: o, maxAbs, maxRef }));
  }
}
await session.release();
