import { useOps, useStudio } from '../app/context';
import { Icon } from '../lib/Icon';
import { Popover } from '../lib/Popover';

/** Bundled sample photos (from hello().samples). */
export function SamplesMenu(props: { compact?: boolean }) {
  const ops = useOps();
  const samples = useStudio((s) => s.engine.hello?.samples);
  if (!samples?.length) return null;
  return (
    <Popover
      trigger={(open, toggle) => (
        <button
          className={open ? 'btn ghost active' : 'btn ghost'}
          onClick={toggle}
          data-testid="samples-menu"
          title="Open a bundled sample"
          aria-label="Samples"
        >
          <Icon name="image" />
          {!props.compact && 'Samples'}
          <Icon name="chevron" size={12} />
        </button>
      )}
    >
      {(close) =>
        samples.map((s) => (
          <button
            key={s.name}
            className="menu-item"
            data-testid="open-sample"
            data-sample={s.name}
            onClick={() => {
              close();
              void ops.openSample(s.name);
            }}
          >
            <span>{s.name}</span>
            <span className="faint num">
              {s.width}×{s.height}
            </span>
          </button>
        ))
      }
    </Popover>
  );
}
