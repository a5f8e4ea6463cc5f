// Normalisation shared by every mesh-vs-mesh metric (Chamfer, F-score, vIoU).
//
// Definition ('reference', the default): take the axis-aligned bounding box of the REFERENCE mesh's
// vertices, centre c = (min + max) / 2, longest side L = max(max − min). Both meshes are mapped by the
// SAME similarity p ↦ (p − c) / L, so the reference fits [−0.5, 0.5]³ with its longest side exactly 1 and
// the candidate lands wherever it lies relative to the reference. Joint (not per-mesh) because the
// accelerated and full runs decode into the same canonical object frame: per-mesh normalisation would
// erase exactly the scale/offset drift we want to measure, and the reference doc (section 6) asks for
// "the same normalisation" for both shapes. τ and CD values are therefore in units of the reference's
// longest bbox side.
//
// 'independent': each mesh by its own bbox with the rule above; for meshes from unrelated frames
// (e.g. against a ground truth), where only shape, not placement or size, is comparable.
import type { TriMesh, Vec3 } from './types.ts';

export type NormalizationMode = 'reference' | 'independent';

export interface Similarity {
  center: Vec3;
  /** Longest bbox side; points are divided by it. */
  size: number;
}

export function bbox(vertices: ArrayLike<number>): { min: Vec3; max: Vec3 } {
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < vertices.length; i += 3) {
    for (let k = 0; k < 3; k++) {
      const v = vertices[i + k];
      if (v < min[k]) min[k] = v;
      if (v > max[k]) max[k] = v;
    }
  }
  return { min, max };
}

export function unitCubeSimilarity(vertices: ArrayLike<number>): Similarity {
  if (vertices.length < 3) throw new Error('metrics: mesh has no vertices');
  const { min, max } = bbox(vertices);
  const size = Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  // A single point has no scale; keep units rather than divide by zero.
  return {
    center: [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2],
    size: size > 0 ? size : 1,
  };
}

export function applySimilarity(mesh: TriMesh, s: Similarity): TriMesh {
  const v = mesh.vertices;
  const out = new Float64Array(v.length);
  const inv = 1 / s.size;
  for (let i = 0; i < v.length; i += 3) {
    out[i] = (v[i] - s.center[0]) * inv;
    out[i + 1] = (v[i + 1] - s.center[1]) * inv;
    out[i + 2] = (v[i + 2] - s.center[2]) * inv;
  }
  return { vertices: out, faces: mesh.faces };
}

/** Normalise candidate `a` and reference `b` per the module definition above. */
export function normalizePair(
  a: TriMesh,
  b: TriMesh,
  mode: NormalizationMode = 'reference',
): [TriMesh, TriMesh] {
  const sb = unitCubeSimilarity(b.vertices);
  const sa = mode === 'reference' ? sb : unitCubeSimilarity(a.vertices);
  return [applySimilarity(a, sa), applySimilarity(b, sb)];
}
