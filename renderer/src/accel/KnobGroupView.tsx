import { useOps } from '../app/context';
import { Switch } from '../lib/Switch';
import { knobTradeoff } from './knob-help';
import type { KnobGroup } from './knob-groups';
import { KnobControl } from './KnobControl';

/** A mechanism's knobs under its title, with its on/off switch in the header. */
export function KnobGroupView(props: { group: KnobGroup; values: Record<string, number | boolean> }) {
  const ops = useOps();
  const { group, values } = props;
  const on = group.toggle ? values[group.toggle.name] !== false : true;
  return (
    <div className={on ? 'knob-group' : 'knob-group off'} data-testid={`knob-group-${group.id}`}>
      <div className="knob-group-head">
        <span
          className="knob-group-title"
          data-tip={group.toggle ? knobTradeoff(group.toggle.name, group.toggle.help) : undefined}
        >
          {group.title}
        </span>
        {group.toggle && (
          <Switch
            on={on}
            label={group.title}
            testId={`knob-${group.toggle.name}`}
            onChange={(v) => ops.setKnob(group.toggle!.name, v)}
          />
        )}
      </div>
      {group.knobs.map((k) => (
        <KnobControl
          key={k.name}
          def={k}
          value={values[k.name] ?? k.value}
          onChange={(v) => ops.setKnob(k.name, v)}
        />
      ))}
    </div>
  );
}
