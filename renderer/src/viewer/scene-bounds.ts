// Bounds of objects placed by their poses (the corners of each mesh's canonical box), for framing.
import type { MeshData, Pose } from '../client/api';
import { placeCanonicalPoint } from './frames';

export type Bounds = {
  min: [number, number, number];
  max: [number, number, number];
  center: [number, number, number];
};

type Box = { min: number[]; max: number[] };

/** Axis-aligned box of a mesh in its canonical z-up frame (the unit cube when empty). */
export function canonicalBox(mesh: MeshData | null): Box {
  const v = mesh?.vertices;
  if (!v || v.length < 3) return { min: [-0.5, -0.5, -0.5], max: [0.5, 0.5, 0.5] };
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < v.length; i++) {
    const k = i % 3;
    if (v[i] < min[k]) min[k] = v[i];
    if (v[i] > max[k]) max[k] = v[i];
  }
  return { min, max };
}

export function sceneBounds(items: { pose: Pose; mesh: MeshData | null }[]): Bounds | null {
  if (items.length === 0) return null;
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (const { pose, mesh } of items) {
    const b = canonicalBox(mesh);
    for (const x of [b.min[0], b.max[0]])
      for (const y of [b.min[1], b.max[1]])
        for (const z of [b.min[2], b.max[2]]) {
          const q = placeCanonicalPoint(pose, [x, y, z]);
          for (let i = 0; i < 3; i++) {
            min[i] = Math.min(min[i], q[i]);
            max[i] = Math.max(max[i], q[i]);
          }
        }
  }
  const center = [0, 1, 2].map((i) => (min[i] + max[i]) / 2) as [number, number, number];
  return { min, max, center };
}
