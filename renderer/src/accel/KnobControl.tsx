import { useEffect, useState } from 'react';
import { Switch } from '../lib/Switch';
import { knobLabel, knobTradeoff } from './knob-help';
import { knobStep, type KnobDef } from './knob-groups';

/** One knob: a slider with a number field (numbers) or a switch (booleans), tooltip = trade-off. */
export function KnobControl(props: {
  def: KnobDef;
  value: number | boolean;
  onChange: (v: number | boolean) => void;
}) {
  const { def, value } = props;
  const changed = value !== def.value;
  const tip = knobTradeoff(def.name, def.help);
  const label = (
    <span
      className={changed ? 'knob-label changed' : 'knob-label'}
      data-tip={`${tip}  (${def.name}, default ${String(def.value)})`}
    >
      {knobLabel(def.name)}
    </span>
  );

  if (typeof def.value === 'boolean') {
    return (
      <div className="knob bool" data-testid={`knob-${def.name}`}>
        {label}
        <Switch on={value === true} onChange={props.onChange} label={knobLabel(def.name)} />
      </div>
    );
  }
  return <NumberKnob {...props} label={label} />;
}

function NumberKnob(props: {
  def: KnobDef;
  value: number | boolean;
  onChange: (v: number) => void;
  label: React.ReactNode;
}) {
  const { def } = props;
  const value = typeof props.value === 'number' ? props.value : Number(def.value);
  const step = knobStep(def);
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const hasRange = def.min !== undefined && def.max !== undefined && def.max > def.min;
  const fill = hasRange ? ((value - def.min!) / (def.max! - def.min!)) * 100 : 0;

  const commit = (raw: string) => {
    let v = Number(raw);
    if (!Number.isFinite(v)) return setText(String(value));
    if (def.min !== undefined) v = Math.max(def.min, v);
    if (def.max !== undefined) v = Math.min(def.max, v);
    if (step === 1) v = Math.round(v);
    setText(String(v));
    if (v !== value) props.onChange(v);
  };

  return (
    <div className="knob" data-testid={`knob-${def.name}`}>
      {props.label}
      <input
        className="input num"
        aria-label={knobLabel(def.name)}
        value={text}
        inputMode="decimal"
        onChange={(e) => setText(e.target.value)}
        onBlur={(e) => commit(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit((e.target as HTMLInputElement).value);
          if (e.key === 'Escape') setText(String(value));
        }}
      />
      {hasRange && (
        <input
          type="range"
          min={def.min}
          max={def.max}
          step={step}
          value={value}
          aria-label={`${knobLabel(def.name)} slider`}
          style={{ ['--fill' as string]: `${fill}%` }}
          onChange={(e) => props.onChange(Number(e.target.value))}
        />
      )}
    </div>
  );
}
