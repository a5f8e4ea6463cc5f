import { useOps, useStudio } from '../app/context';
import { Icon } from '../lib/Icon';

/** Shown when hello() fails: what happened and a retry. */
export function OfflineScreen() {
  const ops = useOps();
  const error = useStudio((s) => s.engine.error);
  return (
    <div className="offline">
      <div className="empty" data-testid="engine-offline">
        <div className="empty-icon">
          <Icon name="alert" size={22} />
        </div>
        <h2>Can’t reach the engine</h2>
        <p>{error ?? 'The engine did not answer.'}</p>
        <button className="btn primary" onClick={() => void ops.connect()} data-testid="engine-retry">
          Try again
        </button>
      </div>
    </div>
  );
}
