import { useEffect, useMemo, useState } from 'react';
import { useOps, useStudio } from '../app/context';
import { Icon } from '../lib/Icon';
import { Switch } from '../lib/Switch';
import { metricsKey } from '../store/misc-logic';
import { runById } from '../store/runs-logic';
import { meshSphere, unionSphere } from '../viewer/geometry';
import { CameraSync } from './camera-sync';
import { CompareSide } from './CompareSide';
import { robustMax } from './heat';
import { MetricsGrid } from './MetricsGrid';
import { RunPicker } from './RunPicker';
import { TimingTable } from './TimingTable';

/**
 * Two runs side by side with one shared camera, per-stage times, speed-up and fidelity metrics of B
 * against A (A is the reference: by default full, B the accelerated run), and an optional heat map of
 * B's distance to A's surface.
 */
export function CompareView() {
  const ops = useOps();
  const compare = useStudio((s) => s.compare);
  const a = useStudio((s) => runById(s, s.compare.a));
  const b = useStudio((s) => runById(s, s.compare.b));
  const viewer = useStudio((s) => s.viewer);
  const entry = useStudio((s) => (a && b ? s.metrics[metricsKey(a.id, b.id)] : undefined));
  const sync = useMemo(() => new CameraSync(), []);
  const [heatOn, setHeatOn] = useState(true);
  const frameKey = `${compare.a}|${compare.b}`;
  const [trueSize, setTrueSize] = useState(true);
  // Spectral aggregation shrinks the canonical mesh and grows the pose scale by the same factor, so
  // canonical meshes of two strategies differ in size; "true size" scales each by its pose scale / A's.
  const scaleA = 1;
  const scaleB =
    trueSize && a?.result && b?.result && a.result.pose.scale > 0
      ? b.result.pose.scale / a.result.pose.scale
      : 1;
  const sphere = useMemo(() => {
    const scaled = (r: typeof a, k: number) => {
      if (!r?.result) return null;
      const s0 = meshSphere(r.result.mesh);
      return { center: s0.center.map((c) => c * k) as [number, number, number], radius: s0.radius * k };
    };
    const sa = scaled(a, scaleA);
    const sb = scaled(b, scaleB);
    return sa && sb ? unionSphere(sa, sb) : (sa ?? sb);
  }, [a, b, scaleB]);

  const bothDone = a?.status === 'done' && b?.status === 'done';
  useEffect(() => {
    if (bothDone) void ops.loadMetrics(a.id, b.id);
  }, [bothDone, a?.id, b?.id, ops]);

  const heat = useMemo(() => {
    if (!heatOn || entry?.state !== 'done') return null;
    const d = entry.value.distances;
    return d.length ? { distances: d, max: robustMax(d) } : null;
  }, [entry, heatOn]);

  return (
    <section className="compare" data-testid="compare-view" aria-label="Compare runs">
      <div className="toolbar">
        <RunPicker side="a" value={compare.a} onChange={(id) => ops.setCompare(id, compare.b)} />
        <button
          className="btn ghost icon-only"
          onClick={ops.swapCompare}
          title="Swap A and B"
          aria-label="Swap A and B"
        >
          <Icon name="swap" />
        </button>
        <RunPicker side="b" value={compare.b} onChange={(id) => ops.setCompare(compare.a, id)} />
        <span className="spacer" />
        <label
          className="row muted tip-below tip-right"
          style={{ fontSize: 12 }}
          data-tip="Show both meshes at their placed size (pose scale relative to A) instead of the canonical unit box."
        >
          True size
          <Switch on={trueSize} onChange={setTrueSize} label="True size" testId="toggle-true-size" />
        </label>
        <label className="row muted" style={{ fontSize: 12 }}>
          Heat map on B
          <Switch on={heatOn} onChange={setHeatOn} label="Heat map on B" testId="toggle-heatmap" />
        </label>
      </div>
      <div className="compare-views">
        <CompareSide
          side="a"
          run={a}
          sync={sync}
          shading={viewer.shading}
          wireframe={viewer.wireframe}
          grid={viewer.grid}
          heat={null}
          frameKey={frameKey}
          sphere={sphere}
          scale={scaleA}
        />
        <CompareSide
          side="b"
          run={b}
          sync={sync}
          shading={viewer.shading}
          wireframe={viewer.wireframe}
          grid={viewer.grid}
          heat={heat}
          frameKey={frameKey}
          sphere={sphere}
          scale={scaleB}
        />
      </div>
      {bothDone ? (
        <div className="metrics">
          <div>
            <TimingTable a={a} b={b} />
          </div>
          <div>
            <MetricsGrid a={a} b={b} entry={entry} />
          </div>
        </div>
      ) : (
        <div className="pane-foot">
          Pick two finished runs, or use “Compare full vs …” to make them on one seed.
        </div>
      )}
    </section>
  );
}
