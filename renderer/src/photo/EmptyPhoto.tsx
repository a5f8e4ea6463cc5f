import { useOps, useStudio } from '../app/context';
import { Icon } from '../lib/Icon';
import { OpenImageButton } from './OpenImageButton';

/** First screen: open a photo, drop one, or start from a bundled sample. */
export function EmptyPhoto() {
  const ops = useOps();
  const samples = useStudio((s) => s.engine.hello?.samples) ?? [];
  const ready = useStudio((s) => s.engine.status === 'ready');
  return (
    <div className="empty">
      <div className="empty-icon">
        <Icon name="image" size={22} />
      </div>
      <h2>Start with a photo</h2>
      <p>Open or drop an image, then click the object you want in 3D.</p>
      <div className="row" style={{ marginTop: 6 }}>
        <OpenImageButton label="Open photo…" primary testId="open-image-empty" />
      </div>
      {samples.length > 0 && (
        <>
          <p style={{ marginTop: 10 }}>or try a sample</p>
          <div className="samples">
            {samples.map((s) => (
              <button
                key={s.name}
                className="btn"
                data-testid="open-sample"
                data-sample={s.name}
                disabled={!ready}
                onClick={() => void ops.openSample(s.name)}
              >
                <Icon name="image" />
                {s.name}
              </button>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
