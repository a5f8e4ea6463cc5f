import { useEffect, useState } from 'react';
import { useOps, useStudio } from '../app/context';
import { Icon } from '../lib/Icon';

/** The run seed (every random draw of a run comes from it). */
export function SeedField() {
  const ops = useOps();
  const seed = useStudio((s) => s.seed);
  const [text, setText] = useState(String(seed));
  useEffect(() => setText(String(seed)), [seed]);
  const commit = () => {
    const v = Number(text);
    if (Number.isFinite(v)) ops.setSeed(v);
    else setText(String(seed));
  };
  return (
    <div className="field">
      <span className="field-label" data-tip="Same seed, same settings, same mesh. Compare runs on one seed.">
        Seed
      </span>
      <div className="row">
        <input
          className="input num"
          style={{ flex: 1 }}
          value={text}
          inputMode="numeric"
          aria-label="Seed"
          data-testid="seed"
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
        />
        <button
          className="btn icon-only"
          onClick={ops.randomSeed}
          title="Random seed"
          aria-label="Random seed"
        >
          <Icon name="dice" />
        </button>
      </div>
    </div>
  );
}
