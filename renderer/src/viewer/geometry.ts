// MeshData → three.js geometry (y-up), with display colours.
import { BufferAttribute, BufferGeometry } from 'three';
import type { MeshData } from '../client/api';
import { zUpToYUp } from './frames';

/** The decoder's colours are sRGB values; three.js blends in linear space. */
export function srgbToLinear(c: Float32Array): Float32Array {
  const out = new Float32Array(c.length);
  for (let i = 0; i < c.length; i++) {
    const v = Math.min(1, Math.max(0, c[i]));
    out[i] = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  }
  return out;
}

export function buildGeometry(mesh: MeshData, colors?: Float32Array): BufferGeometry {
  const g = new BufferGeometry();
  g.setAttribute('position', new BufferAttribute(zUpToYUp(mesh.vertices), 3));
  const col = colors ?? (mesh.colors.length === mesh.vertices.length ? srgbToLinear(mesh.colors) : null);
  if (col) g.setAttribute('color', new BufferAttribute(col, 3));
  g.setIndex(new BufferAttribute(mesh.faces, 1));
  g.computeVertexNormals();
  g.computeBoundingBox();
  g.computeBoundingSphere();
  return g;
}

/** Bounding sphere (box centre, half diagonal) of a canonical mesh in the y-up view frame. */
export function meshSphere(mesh: MeshData): { center: [number, number, number]; radius: number } {
  const v = mesh.vertices;
  if (v.length < 3) return { center: [0, 0, 0], radius: 0.75 };
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < v.length; i += 3) {
    // y-up: (x, z, −y)
    const p = [v[i], v[i + 2], -v[i + 1]];
    for (let k = 0; k < 3; k++) {
      if (p[k] < min[k]) min[k] = p[k];
      if (p[k] > max[k]) max[k] = p[k];
    }
  }
  const center = [0, 1, 2].map((k) => (min[k] + max[k]) / 2) as [number, number, number];
  const radius = Math.max(0.05, Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]) / 2);
  return { center, radius };
}

/** The smallest sphere around two spheres (a shared framing for side-by-side views). */
export function unionSphere(
  a: { center: [number, number, number]; radius: number },
  b: { center: [number, number, number]; radius: number },
): { center: [number, number, number]; radius: number } {
  const d = Math.hypot(b.center[0] - a.center[0], b.center[1] - a.center[1], b.center[2] - a.center[2]);
  if (d + b.radius <= a.radius) return a;
  if (d + a.radius <= b.radius) return b;
  const radius = (d + a.radius + b.radius) / 2;
  const t = (radius - a.radius) / d;
  const center = [0, 1, 2].map((k) => a.center[k] + (b.center[k] - a.center[k]) * t) as [
    number,
    number,
    number,
  ];
  return { center, radius };
}
