// Minimal mesh shape the metrics need: any triangle mesh (engine Mesh is assignable).
export interface TriMesh {
  /** V×3 positions. */
  vertices: ArrayLike<number>;
  /** F×3 vertex indices. */
  faces: ArrayLike<number>;
}

export type Vec3 = [number, number, number];
