import { useMemo } from 'react';
import { fmtMs } from '../lib/format';
import type { Shading, StudioRun } from '../store/types';
import { MeshView } from '../viewer/MeshView';
import { FrameObject } from '../viewer/FrameObject';
import { ViewerCanvas } from '../viewer/ViewerCanvas';
import type { CameraSync } from './camera-sync';
import { heatColors } from './heat';
import { HeatLegend } from './HeatLegend';
import { SyncedControls } from './SyncedControls';

/** One side of the comparison: a run's mesh with a camera synced to the other side. */
export function CompareSide(props: {
  side: 'a' | 'b';
  run: StudioRun | null;
  sync: CameraSync;
  shading: Shading;
  wireframe: boolean;
  grid: boolean;
  heat: { distances: Float32Array; max: number } | null;
  frameKey: string;
  sphere: { center: [number, number, number]; radius: number } | null;
  /** Uniform display scale (the run's pose scale relative to A's), 1 for the canonical mesh. */
  scale: number;
}) {
  const { run, heat } = props;
  const mesh = run?.result?.mesh ?? null;
  const colors = useMemo(
    () =>
      heat && mesh && heat.distances.length === mesh.vertices.length / 3
        ? heatColors(heat.distances, heat.max)
        : undefined,
    [heat, mesh],
  );
  return (
    <div className="compare-side" data-testid={`compare-side-${props.side}`}>
      {run && (
        <div className="side-label">
          <span className={props.side === 'a' ? 'side-tag' : 'side-tag b'}>{props.side.toUpperCase()}</span>
          <span>{run.strategy}</span>
          <span className="faint num">{fmtMs(run.result?.report.totalMs)}</span>
          {props.scale !== 1 && <span className="faint num">· ×{props.scale.toFixed(2)}</span>}
        </div>
      )}
      <div className="viewer-stage">
        <ViewerCanvas grid={props.grid} controls={<SyncedControls sync={props.sync} id={props.side} />}>
          <FrameObject
            radius={props.sphere?.radius ?? 0.75}
            center={props.sphere?.center}
            frameKey={props.frameKey}
          />
          {mesh && (
            <group scale={props.scale}>
              <MeshView
                mesh={mesh}
                shading={colors ? 'color' : props.shading}
                wireframe={props.wireframe}
                colors={colors}
              />
            </group>
          )}
        </ViewerCanvas>
        {!run && (
          <div className="viewer-empty">
            <p className="hint">Choose run {props.side.toUpperCase()} above, or tick A/B in the history.</p>
          </div>
        )}
        {colors && heat && <HeatLegend max={heat.max} />}
      </div>
    </div>
  );
}
