// Export of one or several finished runs. One canonical object is meshToGlb's default file; several
// objects become one GLB with a node per object: placed by their poses in the glTF camera frame
// (scene), or side by side 1.2 m apart (canonical). PLY holds one merged mesh in the z-up frame Blender
// shows (canonical objects as decoded; a scene transformed like the GLB, then y-up → z-up).
import { NodeIO, type Scene } from '@gltf-transform/core';
import { mergeDocuments, unpartition } from '@gltf-transform/functions';
import { meshToGlb, meshToPly, poseToGltfMatrix, Z_UP_TO_Y_UP } from '../export/index.ts';
import type { Mesh } from '../stages/decode.ts';
import type { Pose } from '../../renderer/src/client/api.ts';

export type ExportItem = { name: string; mesh: Mesh; pose: Pose };

const SPACING = 1.2;

export async function exportGlb(
  items: ExportItem[],
  scene: boolean,
  targetFaces?: number,
): Promise<Uint8Array> {
  const glbs = await Promise.all(
    items.map((it) =>
      meshToGlb(it.mesh, {
        zUpToYUp: Z_UP_TO_Y_UP,
        targetFaces,
        ...(scene ? { pose: it.pose, placeInCamera: true } : {}),
      }),
    ),
  );
  if (glbs.length === 1 && !scene) return glbs[0];
  const io = new NodeIO();
  const doc = await io.readBinary(glbs[0]);
  const root = doc.getRoot().listScenes()[0];
  for (let i = 1; i < glbs.length; i++) {
    const src = await io.readBinary(glbs[i]);
    const map = mergeDocuments(doc, src);
    const merged = map.get(src.getRoot().listScenes()[0]) as Scene;
    for (const node of merged.listChildren()) root.addChild(node);
    merged.dispose();
  }
  root.listChildren().forEach((node, i) => {
    node.setName(items[i].name);
    node.getMesh()?.setName(items[i].name);
    if (!scene) node.setTranslation([(i - (items.length - 1) / 2) * SPACING, 0, 0]);
  });
  await doc.transform(unpartition());
  return io.writeBinary(doc);
}

export function exportPly(items: ExportItem[], scene: boolean): Uint8Array {
  const parts = items.map((it, i) => {
    const v = it.mesh.vertices;
    const out = new Float32Array(v.length);
    if (scene) {
      const M = poseToGltfMatrix(it.pose, Z_UP_TO_Y_UP); // column-major, acts on y-up vertices
      for (let j = 0; j < v.length; j += 3) {
        const [x, y, z] = [v[j], v[j + 2], -v[j + 1]]; // z-up → y-up
        const gx = M[0] * x + M[4] * y + M[8] * z + M[12];
        const gy = M[1] * x + M[5] * y + M[9] * z + M[13];
        const gz = M[2] * x + M[6] * y + M[10] * z + M[14];
        out[j] = gx; // y-up → z-up: (x, y, z) ↦ (x, −z, y)
        out[j + 1] = -gz;
        out[j + 2] = gy;
      }
    } else {
      const dx = (i - (items.length - 1) / 2) * SPACING;
      for (let j = 0; j < v.length; j += 3) {
        out[j] = v[j] + dx;
        out[j + 1] = v[j + 1];
        out[j + 2] = v[j + 2];
      }
    }
    return { vertices: out, faces: it.mesh.faces, colors: it.mesh.colors };
  });
  return meshToPly(concat(parts));
}

function concat(parts: Mesh[]): Mesh {
  if (parts.length === 1) return parts[0];
  const nv = parts.reduce((a, p) => a + p.vertices.length, 0);
  const nf = parts.reduce((a, p) => a + p.faces.length, 0);
  const out: Mesh = {
    vertices: new Float32Array(nv),
    colors: new Float32Array(nv),
    faces: new Uint32Array(nf),
  };
  let vo = 0;
  let fo = 0;
  for (const p of parts) {
    out.vertices.set(p.vertices, vo);
    out.colors.set(p.colors, vo);
    for (let i = 0; i < p.faces.length; i++) out.faces[fo + i] = p.faces[i] + vo / 3;
    vo += p.vertices.length;
    fo += p.faces.length;
  }
  return out;
}
