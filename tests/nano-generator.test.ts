// The nano pack's procedural data generator (modeling/nano/data) is seeded and reproducible: the same seed
// gives the same sample within a process, and regenerating a shipped synthetic sample from its held-out
// seed gives back the committed photo, mask, ground truth and layout. Also the training code that reads
// the generator's frame (the crop lift) or shards (ss_refine's sampling). Runs Debian's PyTorch (.ci/run
// installs python3-torch); generating one sample takes well under a second.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { readGlbMesh } from '../engine/bench/inputs.ts';
import { REPO } from './support/paths.ts';

const PYTHON = '/usr/bin/python3';
const MODELING = path.join(REPO, 'modeling');
const SAMPLES = path.join(REPO, 'resources', 'samples');
const tmp = mkdtempSync(path.join(tmpdir(), 'fsam3d-nano-gen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const python = (args: string[]) =>
  execFileSync(PYTHON, args, {
    cwd: MODELING,
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', PYTHONWARNINGS: 'ignore' },
  });

const pixels = async (file: string) => (await sharp(file).raw().toBuffer({ resolveWithObject: true })).data;
const IDENTITY: [[number, number, number], [number, number, number], [number, number, number]] = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

describe('nano data generator', () => {
  it('gives identical samples for one seed and different ones for another', () => {
    const out = python([
      '-c',
      `import numpy as np
from nano.data.sample import make_sample
a, b, c = make_sample(7), make_sample(7), make_sample(8)
keys = sorted(k for k, v in a.items() if isinstance(v, np.ndarray))
print(len(keys), all(np.array_equal(a[k], b[k]) for k in keys), np.array_equal(a['photo'], c['photo']))`,
    ]);
    const [n, same, collide] = out.trim().split(' ');
    expect(Number(n)).toBeGreaterThanOrEqual(5); // photo, mask, occupancy, sdf, colour, ...
    expect(same).toBe('True');
    expect(collide).toBe('False');
  }, 60_000);

  it('folds the pose into the shape: one layout rotation, and the posed ground truth projects onto the mask', () => {
    // The grids are in the view-aligned frame (modeling/nano/DESIGN.md section 2): every sample's rotation
    // is VIEW_ROTATION, and the surface points posed with (R, s, t) and the true camera land on the mask.
    const out = python([
      '-c',
      `import numpy as np
from nano.data.sample import VIEW_ROTATION, make_sample
for seed in (3, 11, 10000004):
    s = make_sample(seed)
    p = np.argwhere((s['sdf'] < 0) & (s['sdf'] > -1.5 / 64)) / 64 - 0.5  # just inside the surface
    x = p * s['scale'] @ s['rotation'] + s['translation']
    H, W = s['mask'].shape
    u = np.floor(W / 2 - s['focal'] * x[:, 0] / x[:, 2]).astype(int)
    v = np.floor(H / 2 - s['focal'] * x[:, 1] / x[:, 2]).astype(int)
    ok = (u >= 0) & (u < W) & (v >= 0) & (v < H)
    inside = s['mask'][v[ok], u[ok]].mean() * ok.mean()
    print(int(np.array_equal(s['rotation'], VIEW_ROTATION)), round(float(inside), 4))`,
    ]);
    const rows = out
      .trim()
      .split('\n')
      .map((l) => l.split(' ').map(Number));
    expect(rows).toHaveLength(3);
    for (const [same, inside] of rows) {
      expect(same).toBe(1);
      expect(inside).toBeGreaterThan(0.98); // a grazing ray may miss where a point rounds into the pixel
    }
  }, 60_000);

  it("puts the stage-1 denoiser's crop lift over the grid columns the object occupies", () => {
    // nano/nets.py crop_lift_matrix hands each shape token the crop patches in front of it; its axes must be
    // the view-aligned frame's (x = image right, z = image up). The mask crop lifted through it must match
    // the ground-truth occupancy seen along depth better than any flipped or swapped reading of it.
    const out = python([
      '-c',
      `import numpy as np, torch, torch.nn.functional as F
from nano.data.make_shard import encode
from nano.data.sample import make_sample
from nano.nets import crop_lift_matrix
L = crop_lift_matrix()
views = {'lift': lambda a: a, 'flipx': lambda a: a.flip(0), 'flipz': lambda a: a.flip(1), 'swap': lambda a: a.T}
score = {k: [] for k in views}
for seed in (3, 11, 25, 10000004, 10000009, 10000017):
    enc, _ = encode(make_sample(seed))
    crop = torch.from_numpy(enc['mask_crop']).float().reshape(1, 1, 112, 112)
    lifted = (L @ F.avg_pool2d(crop, 16).reshape(49)).reshape(8, 8)
    occ = torch.from_numpy(np.unpackbits(enc['occupancy'])[:32 ** 3].reshape(32, 32, 32)).float()
    outline = F.avg_pool2d(occ.amax(1)[None, None], 4)[0, 0]
    for k, f in views.items():
        score[k].append(np.corrcoef(f(lifted).flatten(), outline.flatten())[0, 1])
print(float(L.sum(1).min()), float(L.sum(1).max()), *(float(np.mean(score[k])) for k in views))`,
    ]);
    const [lo, hi, lift, ...others] = out.trim().split(' ').map(Number);
    expect(lo).toBeCloseTo(1, 5); // bilinear weights: each column is a convex mix of patches
    expect(hi).toBeCloseTo(1, 5);
    expect(lift).toBeGreaterThan(0.85); // measured 0.92; flipped or swapped readings 0.73-0.83
    for (const o of others) expect(lift).toBeGreaterThan(o + 0.05);
  }, 60_000);

  it("shares ss_refine's stage-1 sampling between processes, resumably, in image order", () => {
    // train.py --stage ss_refine --sample-part I/N: each process samples every N-th chunk of the training
    // images' stage-1 latents; the trainer needs them all, in image order, each drawn once with its seed.
    const shard = path.join(tmp, 'refine.npz');
    python(['-m', 'nano.data.make_shard', '--start', '0', '--count', '5', '--out', shard]);
    const out = python([
      '-c',
      `import os, torch
from nano import config as C, nets, train
from nano.dataset import Shards
from nano.export import manifest_constants
from nano.stage1_sample import sample_shape_latents
torch.manual_seed(0); torch.set_num_threads(1)
train.REFINE_SAMPLES, train.REFINE_CHUNK = 5, 2
m = nets.build_all()
for v in m.values(): v.eval()
data = Shards('${shard}', train.STAGE_KEYS['ss_refine'])
d = '${path.join(tmp, 'refine')}'; os.makedirs(d)
first = train.refine_latents(m, data, d, (0, 2))
files = sorted(os.listdir(d))
lat = train.refine_latents(m, data, d, (1, 2))
stamps = {f: os.path.getmtime(os.path.join(d, f)) for f in os.listdir(d)}
again = train.refine_latents(m, data, d)
direct = sample_shape_latents(m, data.images([2, 3]), C.SEED + 2)
thr = manifest_constants({'occupancy_threshold': train.REFINE_THRESHOLD}, 'trained')['ss']['occupancyThreshold']
print(first is None, ','.join(files), 'x'.join(map(str, lat.shape)), stamps == {f: os.path.getmtime(os.path.join(d, f)) for f in os.listdir(d)},
      bool(torch.equal(lat, again)), float((lat[2:4] - direct).abs().max()), thr)`,
    ]);
    const [none, files, shape, untouched, same, diff, thr] = out.trim().split('\n').at(-1)!.split(' ');
    expect(none).toBe('True'); // one share alone is not the whole set
    expect(files).toBe('samples-000.pt,samples-002.pt'); // part 0/2: chunks 0 and 2 of 3
    expect(shape).toBe('5x512x8'); // every image once
    expect(untouched).toBe('True'); // a full run over finished chunks samples none again
    expect(same).toBe('True'); // and returns what the shares wrote
    expect(Number(diff)).toBeLessThan(1e-2); // chunk 1 = images 2-3 with seed SEED + 2 (stored as fp16)
    expect(Number(thr)).toBe(0.5); // the refined decoder's cut reaches the manifest
  }, 120_000);

  it('regenerates a shipped synthetic sample from its held-out seed', async () => {
    const shipped = readdirSync(SAMPLES).filter((d) => d.startsWith('synthetic-'));
    expect(shipped).toHaveLength(6);
    const name = shipped.find((d) => d.startsWith('synthetic-02-'))!;
    python(['-m', 'nano.heldout', '--start', '2', '--count', '1', '--folders', '--out', tmp]);
    const [a, b] = [path.join(SAMPLES, name), path.join(tmp, name)];
    expect((await pixels(path.join(b, 'mask.png'))).equals(await pixels(path.join(a, 'mask.png')))).toBe(
      true,
    );
    // PNG pixels may differ by one level where float rounding lands differently on another CPU.
    const [p, q] = [await pixels(path.join(a, 'photo.png')), await pixels(path.join(b, 'photo.png'))];
    expect(q.length).toBe(p.length);
    let worst = 0;
    for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i] - q[i]));
    expect(worst).toBeLessThanOrEqual(1);
    const [ta, tb] = [a, b].map((d) => JSON.parse(readFileSync(path.join(d, 'truth.json'), 'utf8')));
    expect(tb.seed).toBe(ta.seed);
    expect(tb.family).toBe(ta.family);
    for (let i = 0; i < 3; i++) expect(tb.pose.translation[i]).toBeCloseTo(ta.pose.translation[i], 5);
    const [ma, mb] = await Promise.all([a, b].map((d) => readGlbMesh(path.join(d, 'gt.glb'), IDENTITY)));
    expect(mb.faces.length).toBe(ma.faces.length);
    expect(mb.vertices.length).toBe(ma.vertices.length);
  }, 60_000);
});
