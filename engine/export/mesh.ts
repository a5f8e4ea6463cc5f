// The triangle mesh handed to the exporters (FlexiCubes output, doc 1.12), and its checks.

export const GENERATOR = 'Fast-SAM3D Studio';

export interface ExportMesh {
  /** V*3 positions in the canonical z-up frame, object inside [−0.5, 0.5]³ (metres). */
  vertices: Float32Array;
  /** F*3 vertex indices, counter-clockwise seen from outside. */
  faces: Uint32Array;
  /** V*3 RGB in [0, 1]; written unchanged as uint8 (the reference's trimesh export does no sRGB→linear step). */
  colors: Float32Array;
}

/** Throws an internal Error when the arrays do not describe a mesh; returns [V, F]. */
export function checkMesh(mesh: ExportMesh): [number, number] {
  const { vertices, faces, colors } = mesh;
  if (vertices.length % 3 !== 0)
    throw new Error(`mesh.vertices: length ${vertices.length} is not a multiple of 3`);
  if (faces.length % 3 !== 0) throw new Error(`mesh.faces: length ${faces.length} is not a multiple of 3`);
  const v = vertices.length / 3;
  const f = faces.length / 3;
  if (colors.length !== vertices.length)
    throw new Error(`mesh.colors: length ${colors.length}, expected ${vertices.length}`);
  if (v === 0 || f === 0) throw new Error('mesh is empty: nothing to export');
  for (let i = 0; i < vertices.length; i++) {
    if (!Number.isFinite(vertices[i])) throw new Error(`mesh.vertices: non-finite value at ${i}`);
    if (!Number.isFinite(colors[i])) throw new Error(`mesh.colors: non-finite value at ${i}`);
  }
  for (let i = 0; i < faces.length; i++)
    if (faces[i] >= v) throw new Error(`mesh.faces: index ${faces[i]} out of range (V=${v})`);
  return [v, f];
}

/** [0,1] float → uint8 with rounding and clamping. */
export function toU8(c: number): number {
  return c <= 0 ? 0 : c >= 1 ? 255 : Math.round(c * 255);
}
