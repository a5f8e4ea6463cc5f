// Binary little-endian PLY writers. Headers follow the layout plyfile/trimesh emit so common tools
// (MeshLab, Blender, 3DGS viewers) read them.
import { applyRows, assertRotation, toM3, type Mat3 } from './frames.ts';
import { checkMesh, GENERATOR, toU8, type ExportMesh } from './mesh.ts';

export interface PlyProperty {
  name: string;
  type: 'float' | 'uchar' | 'int';
}

/** ASCII header for one `vertex` element plus an optional triangle `face` element. */
export function plyHeader(vertexCount: number, props: readonly PlyProperty[], faceCount?: number): string {
  const lines = [
    'ply',
    'format binary_little_endian 1.0',
    `comment generator ${GENERATOR}`,
    `element vertex ${vertexCount}`,
  ];
  for (const p of props) lines.push(`property ${p.type} ${p.name}`);
  if (faceCount !== undefined)
    lines.push(`element face ${faceCount}`, 'property list uchar int vertex_indices');
  lines.push('end_header');
  return lines.join('\n') + '\n';
}

export interface MeshPlyOptions {
  /** Optional rotation applied as v·M (e.g. Z_UP_TO_Y_UP). Default: canonical z-up, as the Gaussian PLY. */
  rotate?: Mat3;
}

/** Mesh → binary PLY: vertex x y z (float) red green blue (uchar), faces as uchar-count int lists. */
export function meshToPly(mesh: ExportMesh, options: MeshPlyOptions = {}): Uint8Array {
  const [nV, nF] = checkMesh(mesh);
  let verts = mesh.vertices;
  if (options.rotate) {
    const m = toM3(options.rotate, 'rotate');
    assertRotation(m, 'rotate');
    verts = applyRows(verts, m);
  }
  const header = new TextEncoder().encode(
    plyHeader(
      nV,
      [
        { name: 'x', type: 'float' },
        { name: 'y', type: 'float' },
        { name: 'z', type: 'float' },
        { name: 'red', type: 'uchar' },
        { name: 'green', type: 'uchar' },
        { name: 'blue', type: 'uchar' },
      ],
      nF,
    ),
  );
  const out = new Uint8Array(header.length + nV * 15 + nF * 13);
  out.set(header);
  const dv = new DataView(out.buffer);
  let o = header.length;
  for (let i = 0; i < nV; i++, o += 15) {
    dv.setFloat32(o, verts[i * 3], true);
    dv.setFloat32(o + 4, verts[i * 3 + 1], true);
    dv.setFloat32(o + 8, verts[i * 3 + 2], true);
    out[o + 12] = toU8(mesh.colors[i * 3]);
    out[o + 13] = toU8(mesh.colors[i * 3 + 1]);
    out[o + 14] = toU8(mesh.colors[i * 3 + 2]);
  }
  for (let f = 0; f < nF; f++, o += 13) {
    out[o] = 3;
    dv.setInt32(o + 1, mesh.faces[f * 3], true);
    dv.setInt32(o + 5, mesh.faces[f * 3 + 1], true);
    dv.setInt32(o + 9, mesh.faces[f * 3 + 2], true);
  }
  return out;
}
