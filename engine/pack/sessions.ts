// InferenceSession cache with the caller's execution provider. A provider that cannot start (no GPU,
// missing CUDA libraries) falls back to CPU with a warning instead of failing the run; the provider
// actually used is reported so the UI and the summary can say so.
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { UserError } from '../errors.ts';
import type { Pack } from './load.ts';
import type { StageName, TensorSpec } from './manifest.ts';

export const PROVIDERS = ['cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;
export type Provider = (typeof PROVIDERS)[number];

export type SessionOptions = {
  provider?: Provider;
  threads?: number;
  /** Release each session after its stage so one network at a time is resident (large packs). */
  lowMemory?: boolean;
  onWarning?: (message: string) => void;
};

export class SessionCache {
  private sessions = new Map<StageName, ort.InferenceSession>();
  /** The provider each stage actually runs on. */
  readonly used = new Map<StageName, Provider>();
  /** Set once the requested provider failed: later stages go straight to CPU, warned once. */
  private providerFailed = false;

  constructor(
    readonly pack: Pack,
    private readonly opts: SessionOptions = {},
  ) {}

  async get(stage: StageName): Promise<ort.InferenceSession> {
    const cached = this.sessions.get(stage);
    if (cached) return cached;
    const spec = this.pack.manifest.stages[stage];
    if (!spec) throw new UserError(`pack ${this.pack.dir}: has no ${stage} stage`);
    const file = path.join(this.pack.dir, spec.file);
    const wanted = this.providerFailed ? 'cpu' : (this.opts.provider ?? 'cpu');
    // ORT's native logger prints its own multi-line error when a GPU provider cannot load.
    if (wanted !== 'cpu') ort.env.logLevel = 'fatal';
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(file, this.sessionOptions(wanted));
      this.used.set(stage, wanted);
    } catch (e) {
      if (wanted === 'cpu') throw corrupt(this.pack.dir, spec.file, e);
      this.providerFailed = true;
      this.opts.onWarning?.(
        `execution provider "${wanted}" is not available here (${firstLine(e)}); running on CPU`,
      );
      try {
        session = await ort.InferenceSession.create(file, this.sessionOptions('cpu'));
      } catch (e2) {
        throw corrupt(this.pack.dir, spec.file, e2);
      }
      this.used.set(stage, 'cpu');
    }
    checkGraph(this.pack.dir, spec.file, session, spec.inputs, spec.outputs);
    this.sessions.set(stage, session);
    return session;
  }

  async run(stage: StageName, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
    const session = await this.get(stage);
    const out = await session.run(feeds);
    if (this.opts.lowMemory) await this.release(stage);
    return out as Record<string, ort.Tensor>;
  }

  async release(stage: StageName): Promise<void> {
    const s = this.sessions.get(stage);
    this.sessions.delete(stage);
    await s?.release();
  }

  async dispose(): Promise<void> {
    for (const stage of [...this.sessions.keys()]) await this.release(stage);
  }

  private sessionOptions(provider: Provider): ort.InferenceSession.SessionOptions {
    return {
      executionProviders: [provider],
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      interOpNumThreads: 1,
      ...(this.opts.threads ? { intraOpNumThreads: this.opts.threads } : {}),
      // A provider that cannot start is reported by our own one-line warning, not ORT's native log.
      logSeverityLevel: provider === 'cpu' ? 3 : 4,
    };
  }
}

const firstLine = (e: unknown) =>
  String((e as Error)?.message ?? e)
    .split('\n')[0]
    .slice(0, 200);

function corrupt(dir: string, file: string, e: unknown): UserError {
  return new UserError(
    `pack ${dir}: ${file} cannot be loaded by onnxruntime (${firstLine(e)}); re-export or copy the pack again`,
  );
}

/** The ONNX graph must declare the tensors the manifest promises: same names, dtypes and ranks. */
function checkGraph(
  dir: string,
  file: string,
  s: ort.InferenceSession,
  inputs: TensorSpec[],
  outputs: TensorSpec[],
) {
  const check = (kind: string, meta: readonly ort.InferenceSession.ValueMetadata[], want: TensorSpec[]) => {
    for (const w of want) {
      const m = meta.find((x) => x.name === w.name);
      if (!m)
        throw new UserError(
          `pack ${dir}: ${file} has no ${kind} "${w.name}" (the graph has ${meta.map((x) => x.name).join(', ')})`,
        );
      if (!m.isTensor) throw new UserError(`pack ${dir}: ${file} ${kind} "${w.name}" is not a tensor`);
      if (m.type !== w.dtype)
        throw new UserError(
          `pack ${dir}: ${file} ${kind} "${w.name}" is ${m.type} in the graph, manifest says ${w.dtype}`,
        );
      if (m.shape.length && m.shape.length !== w.shape.length) {
        throw new UserError(
          `pack ${dir}: ${file} ${kind} "${w.name}" has shape [${m.shape.join(',')}] in the graph, manifest says [${w.shape.join(',')}]`,
        );
      }
      m.shape.forEach((d, i) => {
        const e = w.shape[i];
        if (typeof d === 'number' && d > 0 && typeof e === 'number' && d !== e) {
          throw new UserError(
            `pack ${dir}: ${file} ${kind} "${w.name}" has shape [${m.shape.join(',')}] in the graph, manifest says [${w.shape.join(',')}]`,
          );
        }
      });
    }
  };
  check('input', s.inputMetadata, inputs);
  check('output', s.outputMetadata, outputs);
}
