import { useLayoutEffect, useRef } from 'react';
import { BoxGeometry, Color, Object3D, type InstancedMesh } from 'three';
import type { OccupancyPreview } from '../client/api';
import { voxelCenterYUp } from './frames';

const tmp = new Object3D();
const low = new Color('#3b5bb5');
const high = new Color('#8fb2ff');
const c = new Color();
const unitBox = new BoxGeometry(1, 1, 1);

/** Stage-1 occupancy while it samples: one instanced cube per occupied voxel, shaded by height. */
export function OccupancyVoxels({ preview }: { preview: OccupancyPreview }) {
  const ref = useRef<InstancedMesh>(null);
  const count = Math.floor(preview.coords.length / 3);
  const size = (1 / preview.res) * 0.9;
  useLayoutEffect(() => {
    const m = ref.current;
    if (!m) return;
    const d = preview.coords;
    for (let i = 0; i < count; i++) {
      const [x, y, z] = voxelCenterYUp(d[3 * i], d[3 * i + 1], d[3 * i + 2], preview.res);
      tmp.position.set(x, y, z);
      tmp.updateMatrix();
      m.setMatrixAt(i, tmp.matrix);
      m.setColorAt(i, c.copy(low).lerp(high, y + 0.5));
    }
    m.count = count;
    m.instanceMatrix.needsUpdate = true;
    if (m.instanceColor) m.instanceColor.needsUpdate = true;
    m.computeBoundingSphere();
  }, [preview, count]);
  // Capacity rounded up so small growth does not rebuild the mesh.
  const capacity = Math.max(64, 2 ** Math.ceil(Math.log2(Math.max(1, count))));
  return (
    <group>
      <instancedMesh key={capacity} ref={ref} args={[undefined, undefined, capacity]} frustumCulled={false}>
        <boxGeometry args={[size, size, size]} />
        <meshStandardMaterial roughness={0.7} />
      </instancedMesh>
      {/* the canonical cube the voxels live in */}
      <lineSegments>
        <edgesGeometry args={[unitBox]} />
        <lineBasicMaterial color="#3d4352" />
      </lineSegments>
    </group>
  );
}
