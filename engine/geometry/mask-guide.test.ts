import { describe, expect, it } from 'vitest';
import { cameraFromFov, rasterizeSilhouette } from '../metrics/silhouette.ts';
import { zPose } from '../metrics/test-shapes.ts';
import { FILL_MARGIN, guideStructureByMask } from './mask-guide.ts';
import { applyPose } from './pose.ts';
import { voxelSurfaceMesh } from './voxel-mesh.ts';

// A table seen along canonical z (the camera's forward axis under zPose(0)): a top drawn confidently, four
// legs drawn weakly (below the threshold), and a spur sticking out of the top, one cell apart, that the mask
// does not have.
const G = 16;
const idx = (x: number, y: number, z: number) => (x * G + y) * G + z;
const top: number[][] = [],
  legs: number[][] = [],
  spur: number[][] = [];
for (let x = 3; x < 13; x++) for (let y = 8; y < 10; y++) for (let z = 5; z < 10; z++) top.push([x, y, z]);
for (const x of [3, 12]) for (const z of [5, 9]) for (let y = 2; y < 8; y++) legs.push([x, y, z]);
for (let x = 14; x < 16; x++) for (let y = 8; y < 10; y++) for (let z = 5; z < 10; z++) spur.push([x, y, z]);
const threshold = 0.5;
// Far and narrow, so that depth hardly changes a cell's footprint (about 11 px).
const cam = cameraFromFov(320, 320, 10);
const pose = zPose(0, [0, 0, 10], 1);
const maskOf = (cells: number[][]) => {
  const m = voxelSurfaceMesh(cells.flat(), G);
  return rasterizeSilhouette(applyPose(Float32Array.from(m.vertices), pose), m.faces, cam).mask;
};
const truthMask = maskOf([...top, ...legs]);
const logitsWith = (legLogit: number) => {
  const l = new Float32Array(G ** 3).fill(-20);
  for (const [x, y, z] of [...top, ...spur]) l[idx(x, y, z)] = 6;
  // The front legs a little stronger than the back ones: the fill takes the best cell in front of a pixel.
  for (const [x, y, z] of legs) l[idx(x, y, z)] = legLogit + (z === 5 ? 0.5 : 0);
  return l;
};
const guide = (legLogit: number, mask = truthMask) =>
  guideStructureByMask({ logits: logitsWith(legLogit), res: G, threshold, pose, camera: cam, mask });
const cells = (coords: Int32Array) => {
  const out = new Set<number>();
  for (let i = 0; i < coords.length; i += 3) out.add(idx(coords[i], coords[i + 1], coords[i + 2]));
  return out;
};

describe('guideStructureByMask', () => {
  it('carves what the mask lacks and fills weak parts it has, one cell in front of each pixel', () => {
    const got = guide(threshold - 3);
    expect(got.stats.applied).toBe(true);
    expect(got.stats.layoutIoU).toBeGreaterThan(0.5);
    const kept = cells(got.coords);
    for (const [x, y, z] of top) expect(kept.has(idx(x, y, z))).toBe(true);
    for (const [x, y, z] of spur) expect(kept.has(idx(x, y, z))).toBe(false);
    expect(got.stats.carved).toBe(spur.length);
    // Each leg pixel column gets its front (stronger) cell; the back legs stay hidden behind them.
    for (const [x, y, z] of legs) expect(kept.has(idx(x, y, z))).toBe(z === 5);
    expect(got.stats.added).toBe(legs.length / 2);
    expect(kept.size).toBe(top.length + legs.length / 2);
    // Sorted like occupiedCoords, so stage 2 sees rows in the usual order.
    const order = Array.from({ length: got.coords.length / 3 }, (_, i) =>
      idx(got.coords[3 * i], got.coords[3 * i + 1], got.coords[3 * i + 2]),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('adds nothing the model rules out (logit more than FILL_MARGIN below the threshold)', () => {
    const got = guide(threshold - FILL_MARGIN - 1);
    expect(got.stats.applied).toBe(true);
    expect(got.stats.added).toBe(0);
    expect(got.stats.carved).toBe(spur.length);
  });

  it('leaves stage 1 alone when its voxels do not match the mask in any fitted layout', () => {
    // A mask of a different object: a thin vertical bar where the table is not.
    const bar = maskOf(Array.from({ length: 14 }, (_, y) => [1, y + 1, 7]));
    const got = guide(threshold - 3, bar);
    expect(got.stats.applied).toBe(false);
    expect(got.stats.layoutIoU).toBeLessThan(0.5);
    expect(got.stats.carved + got.stats.added).toBe(0);
    expect(cells(got.coords)).toEqual(new Set([...top, ...spur].map(([x, y, z]) => idx(x, y, z))));
  });
});
