import { useOps, useStudio } from '../app/context';
import { Section } from '../layout/Section';
import { Icon } from '../lib/Icon';
import { fmtInt, fmtMs } from '../lib/format';
import { acceleratedFor } from '../store/ops';
import { selectedObject } from '../store/objects-logic';
import { runningRun, viewRun } from '../store/runs-logic';
import { ProgressView } from './ProgressView';

/** 3Dfy, cancel, the full-vs-accelerated comparison and the live progress. */
export function RunPanel() {
  const ops = useOps();
  const running = useStudio(runningRun);
  const hasMask = useStudio((s) => !!selectedObject(s)?.mask);
  const ready = useStudio((s) => s.engine.status === 'ready');
  const fast = useStudio(acceleratedFor);
  const last = useStudio(viewRun);
  const mod = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform) ? '⌘' : 'Ctrl';
  const disabled = !ready || !hasMask;

  return (
    <Section title="Reconstruct" testId="run-panel" className="pinned">
      <div className="run-actions">
        {running ? (
          <button
            className="btn danger big block"
            onClick={() => void ops.cancel()}
            data-testid="cancel-button"
          >
            <Icon name="stop" />
            Cancel
          </button>
        ) : (
          <button
            className="btn primary big block"
            onClick={() => void ops.run()}
            disabled={disabled}
            data-testid="run-button"
            title={
              hasMask
                ? `Reconstruct the selected object (${mod}+Enter)`
                : 'Click the object in the photo first'
            }
          >
            <Icon name="cube" />
            3Dfy
            <span className="kbd">{mod}+↵</span>
          </button>
        )}
        <button
          className="btn block"
          onClick={() => void ops.compareFullVsAccelerated()}
          disabled={disabled || !!running}
          data-testid="compare-full-vs-fast"
          title="Run full and the accelerated strategy on the same seed, then compare them"
        >
          <Icon name="split" />
          Compare full vs {fast}
        </button>
      </div>
      {running ? (
        <ProgressView run={running} />
      ) : (
        !hasMask && (
          <p className="hint" style={{ margin: '10px 0 0' }}>
            Click the object in the photo to make a mask, then 3Dfy it.
          </p>
        )
      )}
      {!running && last?.result && (
        <div className="last-run num" data-testid="last-run">
          Last: {last.strategy} · {fmtMs(last.result.report.totalMs)} ·{' '}
          {fmtInt(last.result.mesh.faces.length / 3)} faces
        </div>
      )}
    </Section>
  );
}
