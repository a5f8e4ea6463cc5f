import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../app/context';
import { fmtMs } from '../lib/format';
import type { StudioRun } from '../store/types';

export function runLabel(r: StudioRun, index: number): string {
  const t = r.result ? ` · ${fmtMs(r.result.report.totalMs)}` : '';
  return `#${index} ${r.objectName} · ${r.strategy} · seed ${r.seed}${t}`;
}

/** Choose one finished run from the history. */
export function RunPicker(props: {
  side: 'a' | 'b';
  value: string | null;
  onChange: (id: string | null) => void;
}) {
  const runs = useStudio(useShallow((s) => s.runs.filter((r) => r.status === 'done')));
  const all = useStudio((s) => s.runs);
  return (
    <div className="compare-picker">
      <span className={props.side === 'a' ? 'side-tag' : 'side-tag b'}>{props.side.toUpperCase()}</span>
      <select
        className="select"
        value={props.value ?? ''}
        aria-label={`Run ${props.side.toUpperCase()}`}
        data-testid={`compare-pick-${props.side}`}
        onChange={(e) => props.onChange(e.target.value || null)}
      >
        <option value="">Choose a run…</option>
        {runs.map((r) => (
          <option key={r.id} value={r.id}>
            {runLabel(r, all.indexOf(r) + 1)}
          </option>
        ))}
      </select>
    </div>
  );
}
