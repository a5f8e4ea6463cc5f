import { fmtMs, stageLabel } from '../lib/format';
import { useNow } from '../lib/useNow';
import type { StudioRun } from '../store/types';

/** Per-stage progress of the run in flight: stage, step/of, elapsed, and a thin bar. */
export function ProgressView({ run }: { run: StudioRun }) {
  const now = useNow(true, 100);
  const elapsed = Math.max(0, now - run.createdAt);
  // A near-instant queue wait is noise; show it only while it lasts or when it was noticeable.
  const stages = run.stages.filter(
    (st, i) => st.name !== 'queued' || i === run.stages.length - 1 || st.endMs - st.startMs >= 100,
  );
  return (
    <div className="progress" data-testid="progress" aria-live="polite">
      <div className="progress-head">
        <span>
          <span className="status-dot running" />
          {run.strategy}
        </span>
        <span className="num muted" data-testid="progress-elapsed">
          {fmtMs(elapsed)}
        </span>
      </div>
      {stages.length === 0 && <div className="hint">Starting…</div>}
      {stages.map((st, i) => {
        const current = i === stages.length - 1;
        const frac = st.of > 0 ? st.step / st.of : 0;
        const ms = (current ? Math.max(st.endMs, elapsed) : st.endMs) - st.startMs;
        return (
          <div
            key={`${st.name}-${i}`}
            className={current ? 'stage current' : 'stage done'}
            data-testid="progress-stage"
            data-stage={st.name}
          >
            <span className="stage-name">{stageLabel(st.name)}</span>
            <span className="stage-meta">
              {st.of > 1 ? `${st.step}/${st.of} · ` : ''}
              {fmtMs(ms)}
            </span>
            <span className="bar">
              <i style={{ width: `${Math.round((current ? frac : 1) * 100)}%` }} />
            </span>
          </div>
        );
      })}
    </div>
  );
}
