/** An on/off switch (a button with role=switch). */
export function Switch(props: {
  on: boolean;
  onChange: (on: boolean) => void;
  label: string;
  testId?: string;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={props.on}
      aria-label={props.label}
      data-testid={props.testId}
      className={props.on ? 'switch on' : 'switch'}
      onClick={() => props.onChange(!props.on)}
    />
  );
}
