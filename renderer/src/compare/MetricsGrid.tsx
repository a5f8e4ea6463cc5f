import { fmtNum, fmtPct, fmtScore } from '../lib/format';
import { silhouetteNote } from '../lib/report';
import type { MetricsEntry, StudioRun } from '../store/types';

function Metric(props: { name: string; value: string; id: string; tip: string; hero?: boolean }) {
  return (
    <div className={props.hero ? 'metric hero' : 'metric'} data-tip={props.tip}>
      <div className="metric-name">{props.name}</div>
      <div className="metric-value" data-testid={`metric-${props.id}`}>
        {props.value}
      </div>
    </div>
  );
}

const silhouetteTip = (run: string, note: string | null) =>
  `Re-projected mesh vs the photo mask, run ${run}${note ? ` (${note})` : ''}.`;

/** Speed-up and fidelity of B against A as reference (client.metrics), plus silhouette IoU per run. */
export function MetricsGrid(props: { a: StudioRun; b: StudioRun; entry: MetricsEntry | undefined }) {
  const { a, b, entry } = props;
  const ta = a.result?.report.totalMs;
  const tb = b.result?.report.totalMs;
  const speedup = ta && tb ? `${(ta / tb).toFixed(2)}×` : '—';
  const m = entry?.state === 'done' ? entry.value : null;
  const pending = entry?.state === 'pending' || !entry;
  const v = (x: number | undefined, f: (n: number) => string) =>
    m && x !== undefined ? f(x) : pending ? '…' : '—';
  const silA = a.result?.silhouetteIoU;
  const silB = b.result?.silhouetteIoU;
  return (
    <div data-testid="metrics">
      <div className="metric-grid">
        <Metric
          hero
          name="Speed-up"
          id="speedup"
          value={speedup}
          tip="Wall time of A divided by wall time of B."
        />
        <Metric
          name="F1 @ 0.05"
          id="f1"
          value={v(m?.f1, fmtScore)}
          tip="F-score of surface points within 5 % of the object size; 100 % = same surface."
        />
        <Metric
          name="Chamfer L1"
          id="cdL1"
          value={v(m?.cdL1, (n) => fmtNum(n, 3))}
          tip="Mean symmetric surface distance (object units); lower is closer."
        />
        <Metric
          name="Chamfer L2"
          id="cdL2"
          value={v(m?.cdL2, (n) => fmtNum(n, 3))}
          tip="Mean squared symmetric surface distance; punishes large deviations."
        />
        <Metric
          name="Volume IoU"
          id="vIoU"
          value={v(m?.vIoU, fmtScore)}
          tip="Overlap of the two voxelised volumes."
        />
        <Metric
          name="3D box IoU"
          id="boxIoU"
          value={v(m?.boxIoU, fmtScore)}
          tip="Overlap of the two placed, oriented bounding boxes (layout agreement)."
        />
        {(silA != null || silB != null) && (
          <>
            <Metric
              name="Silhouette IoU · A"
              id="silhouette-a"
              value={fmtPct(silA)}
              tip={silhouetteTip('A', silhouetteNote(a.result))}
            />
            <Metric
              name="Silhouette IoU · B"
              id="silhouette-b"
              value={fmtPct(silB)}
              tip={silhouetteTip('B', silhouetteNote(b.result))}
            />
          </>
        )}
      </div>
      {entry?.state === 'failed' && (
        <p className="hint" style={{ margin: '8px 0 0' }} data-testid="metrics-error">
          Metrics unavailable: {entry.error}
        </p>
      )}
    </div>
  );
}
