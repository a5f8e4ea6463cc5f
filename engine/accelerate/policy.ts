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
  | {
      compute: true;
      /** Rows to evaluate (stage 2 token carving); all rows when absent. */ tokens?: Int32Array;
    }
  | { compute: false };

/** What a policy learns about the object before sampling starts. */
export type SamplingSetup = {
  /** Token count of the main modality (shape tokens in stage 1, voxels in stage 2). */
  tokens: number;
  /** Per-voxel spectral scores in [0,1] when the aggregation step computed them (stage 2). */
  spatialScores?: Float32Array;
};

export interface StepPolicy {
  readonly name: string;
  /** Called once before step 0; policies reset their state here. */
  begin?(setup: SamplingSetup): void;
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
