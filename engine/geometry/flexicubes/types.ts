/** Half-open channel range [start, end) inside one decoder output row. */
export type ChannelRange = readonly [number, number];

/** Channel ranges of the mesh decoder output (decoder.mesh.layout in the manifest). */
export interface FlexiCubesLayout {
  /** 8 per-corner sdf values. */
  sdf: ChannelRange;
  /** 8 corners × 3 deformation offsets, corner-major. */
  deform: ChannelRange;
  /** 12 per-edge β weights, in CUBE_EDGES order. */
  beta: ChannelRange;
  /** 8 per-corner α weights. */
  alpha: ChannelRange;
  /** 1 γ weight. */
  gamma: ChannelRange;
  /** 8 corners × C colour channels (C ≥ 3, RGB first), corner-major. */
  color: ChannelRange;
}

export interface FlexiCubesInput {
  /** R×3 voxel coordinates on the res³ cube grid, any order, each voxel once. */
  coords: Int32Array;
  /** R×channels decoder features, row i belongs to voxel i. */
  feats: Float32Array;
  channels: number;
  res: number;
  /** Added to every per-corner sdf before averaging (−1/res for SAM 3D). */
  sdfBias: number;
  /** FlexiCubes weight_scale (0.99 for SAM 3D). */
  weightScale: number;
  layout: FlexiCubesLayout;
  /**
   * Absent: the reference's rule, every vertex outside the active cubes has sdf +1 (the band's inner side
   * becomes a hidden second surface). Set: the region the active cubes enclose (gaps up to 2·sealInterior
   * cubes wide closed) and every positive vertex not connected to the outside count as inside (sdf −1), so
   * that region is solid and holes through the band into it are sealed (interior.ts).
   */
  sealInterior?: number;
}

export interface FlexiCubesMesh {
  /** V×3 positions, z-up canonical frame, within [−0.5, 0.5]³. */
  vertices: Float32Array;
  /** F×3 vertex indices; winding faces the positive-sdf side. */
  faces: Uint32Array;
  /** V×3 RGB in [0, 1]. */
  colors: Float32Array;
}
