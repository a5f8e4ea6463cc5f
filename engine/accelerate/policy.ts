// The one interface every acceleration strategy implements. A sampler asks its policy, step by step,
// whether to evaluate the network (and on which tokens) or to reuse a prediction; the sampler itself
// never knows which strategy it runs.
export type Fields = Record<string, Float32Array>;

export type StepContext = {
  k: number;
  steps: number;
  t: number;
  dt: number;
  /** Whether this step is inside the guidance window (a computed step then costs two evaluations). */
  guided: boolean;
  /** The current state, per modality. Policies must not modify it. */
  x: Readonly<Fields>;
};

export type StepPlan =
  | { compute: true; /** Rows to evaluate (stage 2 token carving); all rows when absent. */ tokens?: Int32Array }
  | { compute: false };

export interface StepPolicy {
  readonly name: string;
  plan(ctx: StepContext): StepPlan;
  /** The velocity for a step the policy chose not to compute. */
  reuse(ctx: StepContext): Fields;
  /** Full-length velocity from one evaluated on a token subset (rows not evaluated are filled in). */
  expand?(ctx: StepContext, partial: Fields, tokens: Int32Array): Fields;
  /** Sees the velocity of every step, computed or reused. */
  observe(ctx: StepContext, v: Readonly<Fields>, computed: boolean): void;
}

/** No acceleration: every step is evaluated on every token. */
export function fullPolicy(): StepPolicy {
  return {
    name: 'full',
    plan: () => ({ compute: true }),
    reuse: () => {
      throw new Error('the full policy never reuses a step');
    },
    observe: () => {},
  };
}
