import { Fragment } from 'react';
import { knobLabel } from '../accel/knob-help';
import { useOps, useStudio } from '../app/context';
import { fmtKnob, fmtMs } from '../lib/format';
import { providerUsed } from '../lib/report';
import type { StudioRun } from '../store/types';

function status(r: StudioRun): string {
  if (r.status === 'running') return 'running…';
  if (r.status === 'failed') return 'failed';
  if (r.status === 'cancelled') return 'cancelled';
  return fmtMs(r.result?.report.totalMs);
}

/** One run: object colour, strategy, time, seed; A/B compare chip; its settings when it is shown. */
export function HistoryRow({ run: r, index }: { run: StudioRun; index: number }) {
  const ops = useOps();
  const shown = useStudio((s) => s.viewRunId === r.id);
  const slot = useStudio((s) => (s.compare.a === r.id ? 'a' : s.compare.b === r.id ? 'b' : null));
  const done = r.status === 'done';
  const knobs = Object.entries(r.knobs);
  const where = [r.packId, providerUsed(r.result)].filter(Boolean).join(' · ');
  return (
    <div>
      <div
        className={shown ? 'row-button selected' : 'row-button'}
        role="button"
        tabIndex={0}
        aria-disabled={!done}
        data-testid="history-row"
        data-run-id={r.id}
        data-status={r.status}
        title={done ? 'Reopen this result' : (r.error ?? undefined)}
        onClick={() => done && ops.reopenRun(r.id)}
        onKeyDown={(e) => e.key === 'Enter' && done && ops.reopenRun(r.id)}
      >
        <span className="swatch" style={{ background: r.color }} />
        <span className="row-main">
          <span className="row-title history-title">
            <span>
              <span className="faint num">#{index}</span> {r.strategy}
            </span>
            <span className={done ? 'num' : 'num faint'}>
              {!done && <span className={`status-dot ${r.status}`} />}
              {status(r)}
            </span>
          </span>
          <span className="row-sub num">
            {r.objectName} · seed {r.seed}
            {r.maskGuide === false ? ' · no mask guide' : ''}
            {r.status === 'failed' && r.error ? ` · ${r.error}` : ''}
          </span>
        </span>
        {done && (
          <button
            className={slot ? `chip ${slot}` : 'chip'}
            title={slot ? `Compare slot ${slot.toUpperCase()} (click to remove)` : 'Pick for comparison'}
            data-testid="history-compare"
            onClick={(e) => {
              e.stopPropagation();
              ops.toggleCompare(r.id);
            }}
          >
            {slot ? slot.toUpperCase() : 'A/B'}
          </button>
        )}
      </div>
      {shown && (
        <div className="run-settings" data-testid="run-settings">
          {knobs.length === 0 && (
            <>
              <span>Acceleration</span>
              <b>none</b>
            </>
          )}
          {knobs.map(([k, v]) => (
            <Fragment key={k}>
              <span title={k}>{knobLabel(k)}</span>
              <b>{fmtKnob(v)}</b>
            </Fragment>
          ))}
          {where && <span className="run-where">{where}</span>}
        </div>
      )}
    </div>
  );
}
