import { fmtInt } from '../lib/format';

/** Mesh size overlay: vertices, faces, voxels. */
export function ViewerStats(props: { vertices: number | null; faces: number | null; voxels: number | null }) {
  return (
    <div className="viewer-stats num" data-testid="viewer-stats">
      <span>
        Vertices<b data-testid="stat-vertices">{fmtInt(props.vertices)}</b>
      </span>
      <span>
        Faces<b data-testid="stat-faces">{fmtInt(props.faces)}</b>
      </span>
      <span>
        Voxels<b data-testid="stat-voxels">{fmtInt(props.voxels)}</b>
      </span>
    </div>
  );
}
