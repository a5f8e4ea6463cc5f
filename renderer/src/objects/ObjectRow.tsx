import { useOps, useStudio } from '../app/context';
import { Icon } from '../lib/Icon';
import { fmtMs } from '../lib/format';
import { runById } from '../store/runs-logic';
import type { StudioObject } from '../store/types';

function describe(o: StudioObject, running: boolean, ms: number | null): string {
  if (running) return 'Reconstructing…';
  if (ms != null) return `3D ready · ${fmtMs(ms)}`;
  if (o.mask) return o.mask.source === 'import' ? 'Imported mask' : `Mask · ${o.points.length} clicks`;
  return o.points.length ? `${o.points.length} clicks` : 'Click it in the photo';
}

export function ObjectRow({ object: o }: { object: StudioObject }) {
  const ops = useOps();
  const selected = useStudio((s) => s.selectedObjectId === o.id);
  const running = useStudio((s) => s.runs.some((r) => r.objectId === o.id && r.status === 'running'));
  const ms = useStudio((s) => runById(s, o.activeRunId)?.result?.report.totalMs ?? null);
  return (
    <div
      className={selected ? 'row-button selected' : 'row-button'}
      role="option"
      aria-selected={selected}
      tabIndex={0}
      data-testid="object-row"
      data-object-id={o.id}
      onClick={() => ops.selectObject(o.id)}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && ops.selectObject(o.id)}
    >
      <span className="swatch" style={{ background: o.color }} />
      <span className="row-main">
        <span className="row-title">{o.name}</span>
        <span className="row-sub">{describe(o, running, ms)}</span>
      </span>
      <span className="row-actions">
        <button
          className="btn ghost icon-only"
          title="Remove object (its runs stay in the history)"
          aria-label={`Remove ${o.name}`}
          onClick={(e) => {
            e.stopPropagation();
            ops.removeObject(o.id);
          }}
        >
          <Icon name="close" size={13} />
        </button>
      </span>
    </div>
  );
}
