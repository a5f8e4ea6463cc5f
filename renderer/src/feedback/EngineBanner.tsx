import { useOps, useStudio } from '../app/context';
import { Icon } from '../lib/Icon';

/** Calm notice after the engine process restarted; the studio state is untouched. */
export function EngineBanner() {
  const ops = useOps();
  const restart = useStudio((s) => s.restart);
  if (!restart) return null;
  return (
    <div className="banner" role="status" data-testid="engine-banner">
      <Icon name="info" />
      <span>The engine restarted ({restart.reason}); your photo, masks and results are safe.</span>
      <button className="btn ghost icon-only" onClick={ops.dismissRestart} aria-label="Dismiss">
        <Icon name="close" size={13} />
      </button>
    </div>
  );
}
