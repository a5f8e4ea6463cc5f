import { useMemo } from 'react';
import { useOps, useStudio } from '../app/context';
import { Section } from '../layout/Section';
import { Icon } from '../lib/Icon';
import { mergeKnobs, strategyInfo } from '../store/misc-logic';
import { groupKnobs } from './knob-groups';
import { KnobGroupView } from './KnobGroupView';
import { MaskGuideField } from './MaskGuideField';
import { SeedField } from './SeedField';
import { StrategySelect } from './StrategySelect';

/** Strategy picker (full, Fast-SAM3D presets, baselines), its knobs and the seed. */
export function AccelerationPanel() {
  const ops = useOps();
  const info = useStudio((s) => strategyInfo(s));
  const overrides = useStudio((s) => s.knobOverrides[s.strategy]);
  const current = useMemo(() => mergeKnobs(info, overrides), [info, overrides]);
  const groups = useMemo(() => groupKnobs(info?.knobs ?? []), [info]);
  const changed = overrides && Object.keys(overrides).length > 0;

  return (
    <Section
      title="Acceleration"
      testId="acceleration-panel"
      actions={
        changed ? (
          <button
            className="btn ghost"
            onClick={ops.resetKnobs}
            title="Back to this preset's values"
            data-testid="reset-knobs"
          >
            <Icon name="reset" size={14} />
            Reset
          </button>
        ) : null
      }
    >
      <StrategySelect />
      {info?.description && <div className="strategy-desc">{info.description}</div>}
      {groups.map((g) => (
        <KnobGroupView key={g.id} group={g} values={current} />
      ))}
      <SeedField />
      <MaskGuideField />
    </Section>
  );
}
