import { useMemo } from 'react';
import { Matrix4 } from 'three';
import type { Shading, StudioRun } from '../store/types';
import { sceneMatrixElements } from './frames';
import { FrameObject } from './FrameObject';
import { MeshView } from './MeshView';
import type { Bounds } from './scene-bounds';

/**
 * Every object placed by its pose in the photo's camera frame (see frames.ts). The view starts on the
 * photo's side of the objects (the photo's camera is at the origin), a little above, framed to fit.
 */
export function SceneContent(props: {
  runs: StudioRun[];
  bounds: Bounds;
  shading: Shading;
  wireframe: boolean;
}) {
  return (
    <>
      {props.runs.map((r) => (
        <PlacedRun key={r.id} run={r} shading={props.shading} wireframe={props.wireframe} />
      ))}
      <FrameScene bounds={props.bounds} />
    </>
  );
}

function PlacedRun(props: { run: StudioRun; shading: Shading; wireframe: boolean }) {
  const result = props.run.result!;
  const matrix = useMemo(
    () => new Matrix4().set(...(sceneMatrixElements(result.pose) as Parameters<Matrix4['set']>)),
    [result.pose],
  );
  return (
    <group matrix={matrix} matrixAutoUpdate={false}>
      <MeshView mesh={result.mesh} shading={props.shading} wireframe={props.wireframe} />
    </group>
  );
}

/** Look at the objects from the photo's side (the camera sits at the origin), framed to fit. */
function FrameScene({ bounds }: { bounds: Bounds }) {
  const [cx, cy, cz] = bounds.center;
  const radius = Math.max(0.05, Math.hypot(...bounds.max.map((v, i) => v - bounds.min[i])) / 2);
  const len = Math.hypot(cx, cy, cz);
  const direction: [number, number, number] =
    len > 1e-6 ? [-cx / len, -cy / len + 0.25, -cz / len] : [0, 0.25, 1];
  return (
    <FrameObject
      radius={radius}
      center={bounds.center}
      direction={direction}
      frameKey={bounds.center.join(',')}
    />
  );
}
