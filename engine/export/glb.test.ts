import { NodeIO, type Document } from '@gltf-transform/core';
import { validateBytes, type ValidationReport } from 'gltf-validator';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { meshToGlb, writeGlb } from './glb.ts';
import { poseToGltfMatrix, Z_UP_TO_Y_UP } from './frames.ts';
import { cube, icosphere } from './test-meshes.ts';
import type { ExportMesh } from './mesh.ts';

const io = new NodeIO();

async function validate(glb: Uint8Array): Promise<ValidationReport> {
  const report = await validateBytes(glb);
  if (report.issues.numErrors || report.issues.numWarnings) console.error(report.issues.messages);
  return report;
}

function prim(doc: Document) {
  const meshes = doc.getRoot().listMeshes();
  expect(meshes).toHaveLength(1);
  return meshes[0].listPrimitives()[0];
}

function signedVolume(pos: ArrayLike<number>, idx: ArrayLike<number>): number {
  let v = 0;
  for (let f = 0; f < idx.length; f += 3) {
    const [a, b, c] = [idx[f] * 3, idx[f + 1] * 3, idx[f + 2] * 3];
    v +=
      pos[a] * (pos[b + 1] * pos[c + 2] - pos[b + 2] * pos[c + 1]) -
      pos[a + 1] * (pos[b] * pos[c + 2] - pos[b + 2] * pos[c]) +
      pos[a + 2] * (pos[b] * pos[c + 1] - pos[b + 1] * pos[c]);
  }
  return v / 6;
}

describe('meshToGlb', () => {
  it('writes a valid GLB: counts, y-up, colours, uint32 indices, generator', async () => {
    const mesh = cube();
    expect(signedVolume(mesh.vertices, mesh.faces)).toBeCloseTo(1, 6);
    const glb = await meshToGlb(mesh, { zUpToYUp: Z_UP_TO_Y_UP });
    const report = await validate(glb);
    expect(report.issues.numErrors).toBe(0);
    expect(report.issues.numWarnings).toBe(0);

    // NodeIO does not read `generator` back; the validator reports it from the JSON chunk.
    expect(report.info?.generator).toBe('Fast-SAM3D Studio');
    const doc = await io.readBinary(glb);
    const p = prim(doc);
    const pos = p.getAttribute('POSITION')!;
    const col = p.getAttribute('COLOR_0')!;
    const ind = p.getIndices()!;
    expect(pos.getCount()).toBe(8);
    expect(ind.getCount()).toBe(36);
    expect(ind.getArray()).toBeInstanceOf(Uint32Array);
    expect(Array.from(ind.getArray()!)).toEqual(Array.from(mesh.faces));
    expect(pos.getMin([])).toEqual([-0.5, -0.5, -0.5]);
    expect(pos.getMax([])).toEqual([0.5, 0.5, 0.5]);
    expect(col.getType()).toBe('VEC4');
    expect(col.getNormalized()).toBe(true);
    expect(col.getArray()).toBeInstanceOf(Uint8Array);
    expect(p.getAttribute('NORMAL')).toBeNull();
    // A rotation keeps orientation, so the closed mesh still has outward winding.
    expect(signedVolume(pos.getArray()!, ind.getArray()!)).toBeCloseTo(1, 6);

    for (let i = 0; i < 8; i++) {
      const [x, y, z] = mesh.vertices.subarray(i * 3, i * 3 + 3);
      // (x, y, z) z-up → (x, z, −y) y-up
      expect(pos.getElement(i, [])).toEqual([x, z, -y]);
      const c = Array.from(mesh.colors.subarray(i * 3, i * 3 + 3)).map((v) => Math.round(v * 255));
      expect(Array.from((col.getArray() as Uint8Array).subarray(i * 4, i * 4 + 4))).toEqual([...c, 255]);
    }
    // Node is identity when the pose is not placed.
    const node = doc.getRoot().listNodes()[0];
    expect(node.getMatrix()).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  });

  it('puts canonical +z at +y', async () => {
    const mesh: ExportMesh = {
      vertices: new Float32Array([0, 0, 0.5, 0.5, 0, 0, 0, 0.5, 0]),
      faces: new Uint32Array([0, 1, 2]),
      colors: new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]),
    };
    const doc = await io.readBinary(await meshToGlb(mesh, { zUpToYUp: Z_UP_TO_Y_UP }));
    const pos = prim(doc).getAttribute('POSITION')!;
    expect(pos.getElement(0, [])).toEqual([0, 0.5, 0]);
    expect(pos.getElement(2, [])).toEqual([0, 0, -0.5]);
  });

  it('adds unit smooth normals that point outward', async () => {
    const glb = await meshToGlb(icosphere(2), { zUpToYUp: Z_UP_TO_Y_UP, normals: true });
    const report = await validate(glb);
    expect(report.issues.numErrors).toBe(0);
    expect(report.issues.numWarnings).toBe(0);
    const p = prim(await io.readBinary(glb));
    const pos = p.getAttribute('POSITION')!;
    const nrm = p.getAttribute('NORMAL')!;
    expect(nrm.getCount()).toBe(pos.getCount());
    for (let i = 0; i < pos.getCount(); i++) {
      const v = pos.getElement(i, []);
      const n = nrm.getElement(i, []);
      expect(Math.hypot(n[0], n[1], n[2])).toBeCloseTo(1, 5);
      expect((v[0] * n[0] + v[1] * n[1] + v[2] * n[2]) / 0.5).toBeGreaterThan(0.99);
    }
  });

  it('weld + simplify reaches about the target, keeps COLOR_0 and validates', async () => {
    const sphere = icosphere(4); // 5120 faces
    // Unweld into a triangle soup so weld has work to do.
    const n = sphere.faces.length;
    const soup: ExportMesh = {
      vertices: new Float32Array(n * 3),
      colors: new Float32Array(n * 3),
      faces: new Uint32Array(n),
    };
    for (let i = 0; i < n; i++) {
      soup.vertices.set(sphere.vertices.subarray(sphere.faces[i] * 3, sphere.faces[i] * 3 + 3), i * 3);
      soup.colors.set(sphere.colors.subarray(sphere.faces[i] * 3, sphere.faces[i] * 3 + 3), i * 3);
      soup.faces[i] = i;
    }
    const glb = await meshToGlb(soup, {
      zUpToYUp: Z_UP_TO_Y_UP,
      weld: true,
      targetFaces: 500,
      normals: true,
    });
    const report = await validate(glb);
    expect(report.issues.numErrors).toBe(0);
    expect(report.issues.numWarnings).toBe(0);
    const p = prim(await io.readBinary(glb));
    const faces = p.getIndices()!.getCount() / 3;
    expect(faces).toBeGreaterThan(400);
    expect(faces).toBeLessThanOrEqual(500);
    expect(p.getIndices()!.getArray()).toBeInstanceOf(Uint32Array);
    const pos = p.getAttribute('POSITION')!;
    const col = p.getAttribute('COLOR_0')!;
    expect(col.getCount()).toBe(pos.getCount());
    expect(pos.getCount()).toBeLessThan(400); // welded: ~faces/2 vertices
    // Colour still follows position (colour = canonical position + 0.5, canonical = (x, −z, y) of y-up).
    for (let i = 0; i < pos.getCount(); i++) {
      const [x, y, z] = pos.getElement(i, [0, 0, 0]);
      const c = col.getElement(i, [0, 0, 0, 0]); // normalised read-back in [0, 1]
      expect(Math.abs(c[0] - (x + 0.5))).toBeLessThan(0.01);
      expect(Math.abs(c[1] - (-z + 0.5))).toBeLessThan(0.01);
      expect(Math.abs(c[2] - (y + 0.5))).toBeLessThan(0.01);
    }
    expect(signedVolume(pos.getArray()!, p.getIndices()!.getArray()!)).toBeGreaterThan(0.45);
  });

  it('places the pose in the glTF camera frame only when asked', async () => {
    // Quarter turn about canonical z, in PyTorch3D row-vector form: p·R.
    const c = Math.SQRT1_2;
    const R = [
      [c, c, 0],
      [-c, c, 0],
      [0, 0, 1],
    ];
    const pose = { rotation: R, translation: [0.1, -0.2, 2], scale: 0.3 };
    const mesh = cube();

    const plain = await io.readBinary(await meshToGlb(mesh, { zUpToYUp: Z_UP_TO_Y_UP, pose }));
    expect(plain.getRoot().listNodes()[0].getMatrix()).toEqual([
      1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1,
    ]);

    const glb = await meshToGlb(mesh, { zUpToYUp: Z_UP_TO_Y_UP, pose, placeInCamera: true });
    const report = await validate(glb);
    expect(report.issues.numErrors).toBe(0);
    expect(report.issues.numWarnings).toBe(0);
    const doc = await io.readBinary(glb);
    const world = doc.getRoot().listNodes()[0].getWorldMatrix();
    const pos = prim(doc).getAttribute('POSITION')!;
    for (let i = 0; i < 8; i++) {
      const [x, y, z] = mesh.vertices.subarray(i * 3, i * 3 + 3);
      // Expected: PyTorch3D camera point (s·p)·R + t, then glTF camera = (−x, y, −z).
      const cam = [0, 1, 2].map((k) => 0.3 * (x * R[0][k] + y * R[1][k] + z * R[2][k]) + pose.translation[k]);
      const want = [-cam[0], cam[1], -cam[2]];
      const v = pos.getElement(i, []);
      const got = [0, 1, 2].map(
        (r) => world[r] * v[0] + world[4 + r] * v[1] + world[8 + r] * v[2] + world[12 + r],
      );
      for (let k = 0; k < 3; k++) expect(got[k]).toBeCloseTo(want[k], 5);
    }
    // Object is in front of a glTF camera at the origin (negative z).
    expect(world[14]).toBeCloseTo(-2, 6);
  });

  it('rejects bad input', async () => {
    const m = cube();
    await expect(
      meshToGlb({ ...m, faces: new Uint32Array([0, 1, 99]) }, { zUpToYUp: Z_UP_TO_Y_UP }),
    ).rejects.toThrow(/out of range/);
    await expect(
      meshToGlb(m, {
        zUpToYUp: [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, -1],
        ],
      }),
    ).rejects.toThrow(/reflection/);
    await expect(meshToGlb(m, { zUpToYUp: Z_UP_TO_Y_UP, placeInCamera: true })).rejects.toThrow(/pose/);
    expect(() =>
      poseToGltfMatrix(
        {
          rotation: [
            [2, 0, 0],
            [0, 1, 0],
            [0, 0, 1],
          ],
          translation: [0, 0, 0],
          scale: 1,
        },
        Z_UP_TO_Y_UP,
      ),
    ).toThrow(/orthonormal/);
  });
});

describe('writeGlb', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('writes the same bytes meshToGlb returns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fsam3d-glb-'));
    dirs.push(dir);
    const path = join(dir, 'sub', 'out.glb');
    await writeGlb(path, cube(), { zUpToYUp: Z_UP_TO_Y_UP });
    const bytes = new Uint8Array(await readFile(path));
    expect(bytes).toEqual(await meshToGlb(cube(), { zUpToYUp: Z_UP_TO_Y_UP }));
  });
});
