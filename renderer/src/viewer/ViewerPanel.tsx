import type { RootState } from '@react-three/fiber';
import { useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStudioInstance, useStudio } from '../app/context';
import { downloadDataUrl } from '../lib/env';
import { voxelCount } from '../lib/report';
import { runningRun, sceneRuns, viewRun } from '../store/runs-logic';
import { FrameObject } from './FrameObject';
import { meshSphere } from './geometry';
import { MeshView } from './MeshView';
import { OccupancyVoxels } from './OccupancyVoxels';
import { sceneBounds } from './scene-bounds';
import { SceneContent } from './SceneContent';
import { ViewerCanvas } from './ViewerCanvas';
import { ViewerEmpty } from './ViewerEmpty';
import { ViewerStats } from './ViewerStats';
import { ViewerToolbar } from './ViewerToolbar';

/** Right half of the workspace: the 3D result (or the stage-1 preview while a run is in flight). */
export function ViewerPanel() {
  const { ops } = useStudioInstance();
  const v = useStudio((s) => s.viewer);
  const run = useStudio(viewRun);
  const live = useStudio(runningRun);
  const scene = useStudio(useShallow(sceneRuns));
  const gl = useRef<RootState['gl'] | null>(null);

  const preview = live?.preview ?? null;
  const sceneMode = v.mode === 'scene';
  const result = run?.result ?? null;
  const bounds = useMemo(
    () => sceneBounds(scene.map((r) => ({ pose: r.result!.pose, mesh: r.result!.mesh }))),
    [scene],
  );
  const gridY = useMemo(() => (result ? minZ(result.mesh.vertices) : -0.5), [result]);
  const sphere = useMemo(() => (result ? meshSphere(result.mesh) : null), [result]);

  const stats = sceneMode
    ? scene.reduce(
        (a, r) => ({
          vertices: (a.vertices ?? 0) + r.result!.mesh.vertices.length / 3,
          faces: (a.faces ?? 0) + r.result!.mesh.faces.length / 3,
          voxels: (a.voxels ?? 0) + (voxelCount(r.result) ?? 0),
        }),
        { vertices: 0 as number | null, faces: 0 as number | null, voxels: 0 as number | null },
      )
    : preview && !result
      ? { vertices: null, faces: null, voxels: preview.coords.length / 3 }
      : result
        ? {
            vertices: result.mesh.vertices.length / 3,
            faces: result.mesh.faces.length / 3,
            voxels: voxelCount(result),
          }
        : null;

  const showPreview = !sceneMode && !!preview;
  const hasContent = sceneMode ? scene.length > 0 : showPreview || !!result;
  const title = sceneMode
    ? `${scene.length} object${scene.length === 1 ? '' : 's'} in scene`
    : showPreview
      ? `Stage 1 preview · step ${preview!.step}`
      : run
        ? `${run.objectName} · ${run.strategy} · seed ${run.seed}`
        : '';

  const screenshot = () => {
    const canvas = gl.current?.domElement;
    if (!canvas) return;
    const name = sceneMode ? 'scene' : (run?.objectName ?? 'view').replace(/\s+/g, '-').toLowerCase();
    try {
      downloadDataUrl(canvas.toDataURL('image/png'), `fsam3d-${name}.png`);
    } catch (e) {
      ops.toast('error', `Screenshot failed: ${String(e)}`);
    }
  };

  return (
    <section className="pane" aria-label="3D view">
      <ViewerToolbar onScreenshot={screenshot} canShoot={hasContent} />
      <div className="viewer-stage" data-testid="viewer-canvas" data-has-mesh={hasContent && !showPreview}>
        <ViewerCanvas
          grid={v.grid}
          gridY={sceneMode ? (bounds?.min[1] ?? -0.5) : gridY}
          onCreated={(s) => (gl.current = s.gl)}
        >
          {sceneMode && bounds && (
            <SceneContent runs={scene} bounds={bounds} shading={v.shading} wireframe={v.wireframe} />
          )}
          {!sceneMode && (
            <FrameObject
              radius={showPreview || !sphere ? 0.75 : sphere.radius}
              center={showPreview || !sphere ? undefined : sphere.center}
              frameKey={`${showPreview ? 'preview' : (run?.id ?? 'none')}`}
            />
          )}
          {!sceneMode && showPreview && <OccupancyVoxels preview={preview!} />}
          {!sceneMode && !showPreview && result && (
            <MeshView mesh={result.mesh} shading={v.shading} wireframe={v.wireframe} />
          )}
        </ViewerCanvas>
        {hasContent && title && (
          <div className="side-label" data-testid="viewer-title">
            {run && !sceneMode && !showPreview && (
              <span className="swatch" style={{ background: run.color }} />
            )}
            <span>{title}</span>
          </div>
        )}
        {!hasContent && <ViewerEmpty scene={sceneMode} running={!!live} />}
        {stats && hasContent && <ViewerStats {...stats} />}
        {live && !showPreview && hasContent && !sceneMode && (
          <div className="float-badge">
            <span className="spinner" />
            Reconstructing…
          </div>
        )}
      </div>
    </section>
  );
}

function minZ(v: Float32Array): number {
  let m = Infinity;
  for (let i = 2; i < v.length; i += 3) m = Math.min(m, v[i]);
  return Number.isFinite(m) ? m : -0.5;
}
