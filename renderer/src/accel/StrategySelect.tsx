import { useOps, useStudio } from '../app/context';

function family(name: string): 'Reference' | 'Fast-SAM3D' | 'Baselines' {
  if (name === 'full') return 'Reference';
  if (name.startsWith('fast-sam3d')) return 'Fast-SAM3D';
  return 'Baselines';
}

/** Every strategy the engine offers, grouped: reference, Fast-SAM3D presets, baselines. */
export function StrategySelect() {
  const ops = useOps();
  const strategy = useStudio((s) => s.strategy);
  const strategies = useStudio((s) => s.engine.hello?.strategies ?? null);
  const groups = (['Reference', 'Fast-SAM3D', 'Baselines'] as const)
    .map((g) => ({ g, items: (strategies ?? []).filter((x) => family(x.name) === g) }))
    .filter((x) => x.items.length > 0);
  return (
    <select
      className="select"
      style={{ width: '100%' }}
      value={strategy}
      disabled={!strategies}
      aria-label="Strategy"
      data-testid="strategy-select"
      onChange={(e) => ops.setStrategy(e.target.value)}
    >
      {!strategies && <option value={strategy}>{strategy}</option>}
      {groups.map(({ g, items }) => (
        <optgroup key={g} label={g}>
          {items.map((x) => (
            <option key={x.name} value={x.name}>
              {x.name === 'full' ? 'full (no acceleration)' : x.name}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}
