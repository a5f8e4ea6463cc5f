// InferenceSession cache with the caller's execution provider. A provider that cannot start (no GPU,
// missing CUDA libraries) falls back to CPU with a warning instead of failing the run; the provider
// actually used is reported so the UI and the summary can say so. 'auto' tries the platform's GPU
// providers first and falls back the same way, reported as information rather than a warning.
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { UserError } from '../errors.ts';
import type { Pack } from './load.ts';
import type { StageName, TensorSpec } from './manifest.ts';

export const PROVIDERS = ['cpu', 'auto', 'cuda', 'dml', 'coreml', 'webgpu'] as const;
export type Provider = (typeof PROVIDERS)[number];
/** A provider onnxruntime can be asked for ('auto' resolved). */
export type ConcreteProvider = Exclude<Provider, 'auto'>;

/** GPU providers 'auto' tries, in order, per platform (CPU always comes last). */
const AUTO_ORDER: Partial<Record<NodeJS.Platform, ConcreteProvider[]>> = {
  linux: ['cuda'],
  win32: ['cuda', 'dml'],
  darwin: ['coreml'],
};

/** Backends this onnxruntime build knows (a listed GPU provider may still fail to start). */
export function supportedBackends(): Set<string> {
  try {
    return new Set(ort.listSupportedBackends().map((b) => String(b.name)));
  } catch {
    return new Set(['cpu']);
  }
}

/** The GPU providers 'auto' tries on `platform`, skipping those this build lacks. */
export function autoProviders(
  platform: NodeJS.Platform = process.platform,
  supported: ReadonlySet<string> = supportedBackends(),
): ConcreteProvider[] {
  return (AUTO_ORDER[platform] ?? []).filter((p) => supported.has(p));
}

export type SessionOptions = {
  provider?: Provider;
  threads?: number;
  /** Keep one network loaded at a time: loading a stage releases the others (large packs). */
  lowMemory?: boolean;
  onWarning?: (message: string) => void;
  /** The 'auto' fallback is expected, not a problem: reported here (else through onWarning). */
  onInfo?: (message: string) => void;
  /** GPU providers for 'auto' (default: autoProviders()). */
  autoOrder?: ConcreteProvider[];
};

export class SessionCache {
  private sessions = new Map<StageName, ort.InferenceSession>();
  /** The provider each stage actually runs on. */
  readonly used = new Map<StageName, ConcreteProvider>();
  /** Providers that failed once: later stages skip them, so each is reported once. */
  private failed = new Set<ConcreteProvider>();

  constructor(
    readonly pack: Pack,
    private readonly opts: SessionOptions = {},
  ) {}

  async get(stage: StageName): Promise<ort.InferenceSession> {
    const cached = this.sessions.get(stage);
    if (cached) return cached;
    const spec = this.pack.manifest.stages[stage];
    if (!spec) throw new UserError(`pack ${this.pack.dir}: has no ${stage} stage`);
    // Low memory: a network stays loaded through its stage (all its steps) and goes when the next
    // stage needs its own, so at most one is resident.
    if (this.opts.lowMemory) await this.dispose();
    const file = path.join(this.pack.dir, spec.file);
    const { session, provider } = await this.open(file, spec.file);
    checkGraph(this.pack.dir, spec.file, session, spec.inputs, spec.outputs);
    this.sessions.set(stage, session);
    this.used.set(stage, provider);
    return session;
  }

  /** Tries the candidates in order; CPU comes last and its failure means a broken file. */
  private async open(
    file: string,
    name: string,
  ): Promise<{ session: ort.InferenceSession; provider: ConcreteProvider }> {
    const failures: { provider: ConcreteProvider; why: string }[] = [];
    for (const p of this.candidates()) {
      // ORT's native logger prints its own multi-line error when a GPU provider cannot load.
      if (p !== 'cpu') ort.env.logLevel = 'fatal';
      try {
        const session = await ort.InferenceSession.create(file, this.sessionOptions(p));
        if (failures.length) this.reportFallback(failures, p);
        return { session, provider: p };
      } catch (e) {
        if (p === 'cpu') throw corrupt(this.pack.dir, name, e);
        this.failed.add(p);
        failures.push({ provider: p, why: firstLine(e) });
      }
    }
    throw new Error('unreachable: CPU is always a candidate');
  }

  /** Providers to try for the next session, best first, always ending with CPU. */
  private candidates(): ConcreteProvider[] {
    const wanted = this.opts.provider ?? 'cpu';
    const gpu = wanted === 'auto' ? (this.opts.autoOrder ?? autoProviders()) : [wanted];
    return [...gpu.filter((p) => p !== 'cpu' && !this.failed.has(p)), 'cpu'];
  }

  private reportFallback(failures: { provider: ConcreteProvider; why: string }[], used: ConcreteProvider) {
    const on = used === 'cpu' ? 'CPU' : used;
    if (this.opts.provider !== 'auto') {
      const f = failures[0];
      this.opts.onWarning?.(
        `execution provider "${f.provider}" is not available here (${f.why}); running on ${on}`,
      );
      return;
    }
    const tried = failures.map((f) => `${f.provider}: ${f.why}`).join('; ');
    const what = used === 'cpu' ? `no GPU provider started (${tried})` : tried;
    (this.opts.onInfo ?? this.opts.onWarning)?.(`execution provider "auto": ${what}; running on ${on}`);
  }

  async run(stage: StageName, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
    const session = await this.get(stage);
    const out = await session.run(feeds);
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

  private sessionOptions(provider: ConcreteProvider): ort.InferenceSession.SessionOptions {
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
