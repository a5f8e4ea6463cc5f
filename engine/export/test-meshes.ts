// Small closed meshes and a PLY splitter for the export tests (canonical z-up, inside [-0.5, 0.5]³).
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
  const t = (1 + Math.sqrt(5)) / 2;
  const pts: number[][] = [
    [-1, t, 0],
    [1, t, 0],
    [-1, -t, 0],
    [1, -t, 0],
    [0, -1, t],
    [0, 1, t],
    [0, -1, -t],
    [0, 1, -t],
    [t, 0, -1],
    [t, 0, 1],
    [-t, 0, -1],
    [-t, 0, 1],
  ].map((p) => norm(p));
  // prettier-ignore
  let faces = [
    0, 11, 5, 0, 5, 1, 0, 1, 7, 0, 7, 10, 0, 10, 11, 1, 5, 9, 5, 11, 4, 11, 10, 2, 10, 7, 6, 7, 1, 8,
    3, 9, 4, 3, 4, 2, 3, 2, 6, 3, 6, 8, 3, 8, 9, 4, 9, 5, 2, 4, 11, 6, 2, 10, 8, 6, 7, 9, 8, 1,
  ];
  for (let l = 0; l < levels; l++) {
    const mid = new Map<string, number>();
    const m = (a: number, b: number): number => {
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      let i = mid.get(key);
      if (i === undefined) {
        i = pts.length;
        pts.push(norm([0, 1, 2].map((k) => pts[a][k] + pts[b][k])));
        mid.set(key, i);
      }
      return i;
    };
    const next: number[] = [];
    for (let f = 0; f < faces.length; f += 3) {
      const [a, b, c] = [faces[f], faces[f + 1], faces[f + 2]];
      const ab = m(a, b),
        bc = m(b, c),
        ca = m(c, a);
      next.push(a, ab, ca, b, bc, ab, c, ca, bc, ab, bc, ca);
    }
    faces = next;
  }
  const vertices = new Float32Array(pts.flatMap((p) => p.map((x) => x * 0.5)));
  return { vertices, faces: new Uint32Array(faces), colors: vertices.map((x) => x + 0.5) };
}

function norm(p: number[]): number[] {
  const l = Math.hypot(p[0], p[1], p[2]);
  return p.map((x) => x / l);
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
