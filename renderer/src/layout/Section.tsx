import type { ReactNode } from 'react';

/** A titled block in a sidebar. */
export function Section(props: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
  className?: string;
}) {
  return (
    <section
      className={props.className ? `section ${props.className}` : 'section'}
      data-testid={props.testId}
    >
      <div className="section-head">
        <h3 className="section-title" style={{ margin: 0 }}>
          {props.title}
        </h3>
        {props.actions}
      </div>
      {props.children}
    </section>
  );
}
