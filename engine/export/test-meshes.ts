// Small closed meshes and a PLY splitter for the export tests (canonical z-up, inside [-0.5, 0.5]³).
import { icosphere as sphere } from '../metrics/test-shapes.ts';
import type { ExportMesh } from './mesh.ts';

/** Unit cube, 8 shared corners, 12 outward CCW triangles, colour = corner position + 0.5. */
export function cube(): ExportMesh {
  const v: number[] = [];
  for (let i = 0; i < 8; i++) v.push((i & 1) - 0.5, ((i >> 1) & 1) - 0.5, ((i >> 2) & 1) - 0.5);
  // prettier-ignore
  const f = [
    0, 2, 1, 1, 2, 3, // z = -0.5
    4, 5, 6, 5, 7, 6, // z = +0.5
    0, 1, 4, 1, 5, 4, // y = -0.5
    2, 6, 3, 3, 6, 7, // y = +0.5
    0, 4, 2, 2, 4, 6, // x = -0.5
    1, 3, 5, 3, 7, 5, // x = +0.5
  ];
  const vertices = new Float32Array(v);
  return { vertices, faces: new Uint32Array(f), colors: vertices.map((x) => x + 0.5) };
}

/** Icosphere of radius 0.5 with `levels` subdivisions (20·4^levels faces), colour from position. */
export function icosphere(levels: number): ExportMesh {
  const s = sphere(levels, 0.5);
  const vertices = Float32Array.from(s.vertices);
  return { vertices, faces: Uint32Array.from(s.faces), colors: vertices.map((x) => x + 0.5) };
}

/** Splits a PLY into header lines and the binary body. */
export function splitPly(bytes: Uint8Array): { lines: string[]; body: DataView; bodyLength: number } {
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 4096)));
  const end = text.indexOf('end_header\n') + 'end_header\n'.length;
  if (end < 20) throw new Error('no PLY header');
  return {
    lines: text.slice(0, end).trim().split('\n'),
    body: new DataView(bytes.buffer, bytes.byteOffset + end),
    bodyLength: bytes.length - end,
  };
}
