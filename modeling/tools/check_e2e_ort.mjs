// Replays the e2e reference through onnxruntime-node with the stored noise: both samplers, the SS
// decoder and the mesh decoder, and checks that occupancy and vertex-sdf signs match PyTorch exactly.
// Usage (repo root):
//   (cd modeling && /usr/bin/python3 -m fsam3d_ref.pipeline --dump-structures /tmp/e2e_structures.safetensors)
//   node modeling/tools/check_e2e_ort.mjs /tmp/e2e_structures.safetensors
import fs from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const packDir = path.join(root, 'resources/packs/test');
const structFile = process.argv[2] ?? '/tmp/e2e_structures.safetensors';

function readSafetensors(file) {
  const buf = fs.readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  const out = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [b, e] = info.data_offsets;
    const copy = new Uint8Array(buf.subarray(8 + n + b, 8 + n + e));
    const ctor = { F32: Float32Array, I32: Int32Array, U8: Uint8Array }[info.dtype];
    out[name] = { shape: info.shape, data: new ctor(copy.buffer) };
  }
  return out;
}
const e2e = readSafetensors(path.join(root, 'resources/fixtures/test-pack/e2e.safetensors'));
const st = readSafetensors(structFile);
const man = JSON.parse(fs.readFileSync(path.join(packDir, 'manifest.json'), 'utf8'));
const sess = async (s) => ort.InferenceSession.create(path.join(packDir, man.stages[s].file));
const T = (x, dtype = 'float32') => new ort.Tensor(dtype, x.data, x.shape);
const diff = (a, b) => {
  let m = 0,
    r = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i] - b[i]));
    r = Math.max(r, Math.abs(b[i]));
  }
  return `max|d|=${m.toExponential(2)} (max|ref|=${r.toPrecision(3)})`;
};

function grid(steps, r) {
  return Array.from({ length: steps + 1 }, (_, k) => {
    const u = k / steps;
    return u / (1 + (r - 1) * (1 - u));
  });
}
async function sample(run, x, sampler, cond, uncondTokens, dim) {
  const t = grid(sampler.steps, sampler.rescaleT);
  const s = sampler.cfg.strength;
  const unc = { data: new Float32Array(uncondTokens * dim), shape: [1, uncondTokens, dim] };
  for (let k = 0; k < sampler.steps; k++) {
    const Tk = Math.fround(t[k] * sampler.timeScale);
    const dt = Math.fround(t[k + 1] - t[k]);
    let v = await run(x, Tk, cond);
    if (
      s > 0 &&
      t[k] * sampler.timeScale >= sampler.cfg.interval[0] &&
      t[k] * sampler.timeScale <= sampler.cfg.interval[1]
    ) {
      const vu = await run(x, Tk, unc);
      for (const n in v)
        v[n] = v[n].map((a, i) => Math.fround(Math.fround((1 + s) * a) - Math.fround(s * vu[n][i])));
    }
    for (const n in x)
      x[n] = { shape: x[n].shape, data: x[n].data.map((a, i) => Math.fround(a + Math.fround(dt * v[n][i]))) };
  }
  return x;
}

// Stage 1.
const names = ['shape', ...man.ss.layout.map((l) => l.name)];
const ssd = await sess('ss_denoiser');
let x = Object.fromEntries(names.map((n) => [n, e2e[`ss.noise.${n}`]]));
x = await sample(
  async (x, Tk, cond) => {
    const feeds = {
      t: new ort.Tensor('float32', Float32Array.of(Tk), [1]),
      d: new ort.Tensor('float32', Float32Array.of(man.ss.sampler.shortcutD * man.ss.sampler.timeScale), [1]),
      cond: T(cond),
    };
    for (const n of names) feeds[`x_${n}`] = T(x[n]);
    const o = await ssd.run(feeds);
    return Object.fromEntries(names.map((n) => [n, o[`v_${n}`].data]));
  },
  x,
  man.ss.sampler,
  e2e['ss.cond'],
  man.ss.sampler.uncondTokens,
  man.condition.dim,
);
for (const n of names) console.log(`ss.latent.${n}: ${diff(x[n].data, e2e[`ss.latent.${n}`].data)}`);
const dec = await sess('ss_decoder');
const logits = (await dec.run({ shape_latent: T(x.shape) })).occupancy_logits.data;
const ref = e2e['ss.occupancy_logits'].data;
let flips = 0;
for (let i = 0; i < ref.length; i++) if (logits[i] > 0 !== ref[i] > 0) flips++;
console.log(`occupancy: ${diff(logits, ref)}, sign flips ${flips}`);

// Stage 2 (structures from the dump).
const sld = await sess('slat_denoiser');
const idx = ['nbr', 'pool_children', 'parent', 'nbr_coarse', 'coords_coarse'];
let y = { x: e2e['slat.noise'] };
y = await sample(
  async (y, Tk, cond) => {
    const feeds = {
      x: T(y.x),
      t: new ort.Tensor('float32', Float32Array.of(Tk), [1]),
      cond: T(cond),
      pool_scale: T(st['slat.pool_scale']),
    };
    for (const n of idx) feeds[n] = T(st[`slat.${n}`], 'int32');
    return { x: (await sld.run(feeds)).v.data };
  },
  y,
  man.slat.sampler,
  e2e['slat.cond'],
  man.slat.sampler.uncondTokens,
  man.condition.dim,
);
console.log(`slat.latent: ${diff(y.x.data, e2e['slat.latent'].data)}`);
const C = man.slat.latentChannels;
const feats = y.x.data.map((v, i) =>
  Math.fround(Math.fround(v * man.slat.std[i % C]) + man.slat.mean[i % C]),
);
console.log(`slat.feats: ${diff(feats, e2e['slat.feats'].data)}`);

// Mesh decoder.
const md = await sess('mesh_decoder');
const feeds = { feats: new ort.Tensor('float32', feats, e2e['slat.feats'].shape) };
for (const i of man.stages.mesh_decoder.inputs) {
  if (i.name === 'feats') continue;
  const t = st[`mesh.${i.name}`];
  feeds[i.name] = new ort.Tensor(i.dtype, i.dtype === 'bool' ? Uint8Array.from(t.data) : t.data, t.shape);
}
const cube = (await md.run(feeds)).cube_feats;
const K = man.decoder.mesh.channels;
const rows = e2e['mesh.cube_feats_rows'];
console.log(`cube_feats rows 0..127: ${diff(cube.data.subarray(0, rows.data.length), rows.data)}`);
const rowsum = new Float32Array(cube.dims[0]);
for (let r = 0; r < cube.dims[0]; r++) {
  let s = 0;
  for (let c = 0; c < K; c++) s += cube.data[r * K + c];
  rowsum[r] = s;
}
console.log(`cube_feats rowsum: ${diff(rowsum, e2e['mesh.cube_feats_rowsum'].data)}`);
const [a, b] = man.decoder.mesh.layout.sdf;
const neg = st['mesh.sdf_negative'].data;
let sdfFlips = 0,
  minAbs = Infinity;
for (let r = 0; r < cube.dims[0]; r++)
  for (let c = a; c < b; c++) {
    const v = Math.fround(cube.data[r * K + c] + man.decoder.mesh.sdfBias);
    minAbs = Math.min(minAbs, Math.abs(v));
    if ((v < 0 ? 1 : 0) !== neg[r * (b - a) + c - a]) sdfFlips++;
  }
console.log(`corner sdf sign flips ${sdfFlips}, min |sdf+bias| ${minAbs.toExponential(2)}`);
process.exit(flips || sdfFlips ? 1 : 0);
