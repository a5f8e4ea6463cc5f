import type { ReactNode } from 'react';

export type SegOption<T extends string> = { value: T; label: ReactNode; title?: string; testId?: string };

/** A small segmented control (one of N). */
export function Segmented<T extends string>(props: {
  value: T;
  options: SegOption<T>[];
  onChange: (v: T) => void;
  stretch?: boolean;
  label?: string;
}) {
  return (
    <div className={props.stretch ? 'seg stretch' : 'seg'} role="radiogroup" aria-label={props.label}>
      {props.options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={o.value === props.value}
          className={o.value === props.value ? 'on' : undefined}
          title={o.title}
          data-testid={o.testId}
          onClick={() => props.onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
