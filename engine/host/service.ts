// The engine service behind every EngineClient transport: holds opened images (decoded once), finished
// runs and one session cache, and runs the pipeline one job at a time (runs queue; a queued run can be
// cancelled before it starts). Events go out through `emit`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CancelledError, UserError } from '../errors.ts';
import { decodeImage } from '../image/index.ts';
import {
  compareMeshes,
  DEFAULT_SAMPLES,
  DEFAULT_SEED,
  KdTree,
  nearestDistances,
  normalizePair,
  poseBoxIoU,
  sampleSurface,
} from '../metrics/index.ts';
import { PROVIDERS, supportedBackends, type Provider } from '../pack/sessions.ts';
import { runPipeline } from '../pipeline.ts';
import type { Pose as EnginePose } from '../geometry/pose.ts';
import type * as Api from '../../renderer/src/client/api.ts';
import { findPacks, findSamples, type PackEntry, type SampleEntry } from './catalog.ts';
import { exportGlb, exportPly, type ExportItem } from './export.ts';
import { decodeImageBytes, decodeMaskBytes, imagePng, writeMaskPng, type HostImage } from './images.ts';
import { PreviewSessions } from './previews.ts';
import type { EngineEvent } from './protocol.ts';
import { SettingsStore } from './settings.ts';
import { strategyFromKnobs, strategyInfos } from './strategies.ts';

/** An image or run id the service does not hold (never opened, evicted, or lost in a restart). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

export type ServiceOptions = {
  emit: (event: EngineEvent) => void;
  /** Folder with packs/ and samples/; defaults to the repository's resources/. */
  resourcesDir?: string;
  /** Folder of settings.json; null keeps settings in memory. */
  settingsDir?: string | null;
  /** Scratch folder (removed on dispose); a fresh one under the OS temp folder by default. */
  tempDir?: string;
  version?: string;
  maxImages?: number;
  maxRuns?: number;
  /** Test hook: delay before every network call. */
  debugDelayMs?: number;
};

type StoredRun = Api.RunResult & { name: string; mesh: Api.MeshData };

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export class EngineService {
  readonly settings: SettingsStore;
  private readonly images = new Map<string, HostImage>();
  private readonly runs = new Map<string, StoredRun>();
  private readonly active = new Map<string, AbortController>();
  private sessions: { key: string; cache: PreviewSessions } | null = null;
  private queue: Promise<void> = Promise.resolve();
  private readonly tempDir: string;
  private readonly ownsTemp: boolean;
  private readonly resources: string;
  private samples: SampleEntry[] | null = null;
  private sampleList: Api.SampleInfo[] | null = null;
  private counter = 0;

  private constructor(private readonly opts: ServiceOptions) {
    this.resources = opts.resourcesDir ?? path.join(REPO, 'resources');
    this.ownsTemp = !opts.tempDir;
    this.tempDir = opts.tempDir ?? mkdtempSync(path.join(os.tmpdir(), 'fsam3d-host-'));
    this.settings = new SettingsStore(opts.settingsDir ?? null);
  }

  static async create(opts: ServiceOptions): Promise<EngineService> {
    const s = new EngineService(opts);
    const warning = await s.settings.load();
    if (warning) opts.emit({ type: 'warning', message: warning });
    return s;
  }

  private warn = (message: string) => this.opts.emit({ type: 'warning', message });
  private info = (message: string) => this.opts.emit({ type: 'info', message });

  private newId(prefix: string): string {
    return `${prefix}-${(++this.counter).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  }

  private packs(): PackEntry[] {
    // models/: the packs an installed app ships (the nano pack); packs/: development packs (the tiny
    // random-weight test pack), present in a checkout only.
    return findPacks(
      [path.join(this.resources, 'models'), path.join(this.resources, 'packs')],
      this.settings.value.packDirs,
      this.warn,
    );
  }

  /** Settings with the active pack resolved: the saved one if it still exists, else the CLI's default
   *  pack (resources/models/nano), else the first one found. */
  private effectiveSettings(packs: PackEntry[]): Api.Settings {
    const s = this.settings.value;
    if (!packs.some((p) => p.id === s.activePack)) {
      const fallback = path.join(this.resources, 'models', 'nano');
      s.activePack = (packs.find((p) => p.dir === fallback) ?? packs[0])?.id ?? '';
    }
    return s;
  }

  private async sampleInfos(): Promise<Api.SampleInfo[]> {
    if (this.sampleList) return this.sampleList;
    this.samples ??= findSamples(path.join(this.resources, 'samples'));
    const out: Api.SampleInfo[] = [];
    for (const s of this.samples) {
      try {
        const d = await decodeImage(s.photo);
        out.push({ name: s.name, width: d.width, height: d.height });
      } catch (e) {
        this.warn(`skipping sample ${s.name}: ${(e as Error).message}`);
      }
    }
    return (this.sampleList = out);
  }

  async hello(): Promise<Api.Hello> {
    const packs = this.packs();
    const samples = await this.sampleInfos();
    const supported = supportedBackends();
    return {
      version: this.opts.version ?? readVersion(),
      packs: packs.map(({ pack: _pack, ...info }) => info),
      samples,
      strategies: strategyInfos(),
      // 'auto' always works (it ends on CPU); named GPU providers only when this build has them.
      providers: PROVIDERS.filter((p) => p === 'cpu' || p === 'auto' || supported.has(p)),
      settings: this.effectiveSettings(packs),
    };
  }

  async openSample(name: string): Promise<Api.ImageRef & { bytes: Uint8Array; mask?: Uint8Array }> {
    this.samples ??= findSamples(path.join(this.resources, 'samples'));
    const s = this.samples.find((x) => x.name === name);
    if (!s) throw new UserError(`no sample named "${name}"`);
    const bytes = new Uint8Array(await readFile(s.photo));
    const ref = await this.openImage(path.basename(s.photo), bytes);
    if (!s.mask) return { ...ref, bytes };
    const mask = await decodeMaskBytes(this.image(ref.imageId), new Uint8Array(await readFile(s.mask)));
    return { ...ref, bytes, mask };
  }

  async openImage(name: string, bytes: Uint8Array, imageId = this.newId('img')): Promise<Api.ImageRef> {
    const img = await decodeImageBytes(this.tempDir, imageId, name, bytes);
    for (const n of img.decoded.notes) this.warn(n.split(path.join(img.dir, 'upload')).join(`"${name}"`));
    if (this.images.has(imageId)) this.dropImage(imageId);
    this.images.set(imageId, img);
    while (this.images.size > (this.opts.maxImages ?? 32)) this.dropImage(this.images.keys().next().value!);
    return { imageId, width: img.decoded.width, height: img.decoded.height, name };
  }

  private dropImage(imageId: string): void {
    const img = this.images.get(imageId);
    this.images.delete(imageId);
    if (img) rmSync(img.dir, { recursive: true, force: true });
  }

  private image(imageId: string): HostImage {
    const img = this.images.get(imageId);
    if (!img) throw new NotFoundError(`image ${imageId} is not open (open the photo again)`);
    return img;
  }

  private run(runId: string): StoredRun {
    const r = this.runs.get(runId);
    if (!r) throw new NotFoundError(`run ${runId} is not available any more (run it again)`);
    return r;
  }

  async segment(imageId: string, points: Api.Point[], previous?: Uint8Array) {
    const { decoded } = this.image(imageId);
    const { width, height, rgb } = decoded;
    const { segmentByClicks } = await import('../segment/index.ts');
    const packDirs = this.packs().map((p) => p.dir);
    const r = await segmentByClicks({ rgb, width, height }, points, { packDirs, previous });
    return { mask: r.mask, width, height, method: r.method };
  }

  async importMask(imageId: string, png: Uint8Array) {
    const img = this.image(imageId);
    const mask = await decodeMaskBytes(img, png);
    return { mask, width: img.decoded.width, height: img.decoded.height };
  }

  async runJob(req: Api.RunRequest): Promise<Api.RunResult> {
    const img = this.image(req.imageId);
    const { width, height } = img.decoded;
    if (req.mask.length !== width * height)
      throw new UserError(`the mask has ${req.mask.length} pixels but the image is ${width}x${height}`);
    if (!req.mask.some((v) => v !== 0)) throw new UserError('the mask is empty: select the object first');
    const runId = req.runId ?? this.newId('run');
    if (this.runs.has(runId) || this.active.has(runId))
      throw new UserError(`run id ${runId} is already used`);
    const packs = this.packs();
    const settings = this.effectiveSettings(packs);
    const packId = req.packId ?? settings.activePack;
    const entry = packs.find((p) => p.id === packId);
    if (!entry)
      throw new UserError(`no model pack "${packId}"; choose one of ${packs.map((p) => p.id).join(', ')}`);
    const strategy = strategyFromKnobs(req.strategy, req.knobs);
    const controller = new AbortController();
    this.active.set(runId, controller);
    const t0 = performance.now();
    const emitProgress = (stage: string, step: number, of: number) =>
      this.opts.emit({
        type: 'progress',
        progress: { runId, stage, step, of, elapsedMs: performance.now() - t0 },
      });
    // Announces the id at once, even while an earlier run still holds the engine.
    emitProgress('queued', 0, 1);
    try {
      return await this.exclusive(controller.signal, async () => {
        const sessions = await this.sessionsFor(entry, settings);
        const steps = entry.pack.manifest.ss.sampler.steps;
        sessions.begin(
          (step, res, coords) => this.opts.emit({ type: 'preview', preview: { runId, step, res, coords } }),
          steps,
        );
        const maskPath = await writeMaskPng(img, req.mask, runId);
        try {
          const r = await runPipeline({
            image: await imagePng(img),
            focal35mm: img.decoded.focal35mm, // the PNG copy has no EXIF
            mask: maskPath,
            pack: entry.pack,
            seed: req.seed,
            maskGuide: req.maskGuide,
            provider: settings.provider as Provider,
            threads: settings.threads || undefined,
            policies: strategy.build(),
            signal: controller.signal,
            sessions,
            onWarning: this.warn,
            onProgress: (p) => {
              emitProgress(p.stage, p.step, p.of);
              if (p.stage === 'stage1') sessions.stepDone(p.step, p.of);
            },
            onArtifact: (name, data) => {
              if (name === 'occupancy_logits') sessions.emitFinal(steps, data as Float32Array);
            },
          });
          const name = `${img.name.replace(/\.[^.]*$/, '')}-${strategy.name}`;
          const result: StoredRun = {
            runId,
            name,
            mesh: r.mesh,
            pose: {
              rotation: r.pose.rotation,
              quaternion: [...r.pose.quaternion],
              translation: [...r.pose.translation],
              scale: r.pose.scale,
            },
            report: {
              ...r.report,
              runId,
              image: img.name,
              objectName: name,
              preset: strategy.name,
              knobs: strategy.knobs,
            },
            silhouetteIoU: r.report.silhouette.iou,
          };
          this.storeRun(result);
          const { runId: id, mesh, pose, report, silhouetteIoU } = result;
          return { runId: id, mesh, pose, report, silhouetteIoU };
        } finally {
          sessions.end();
          rmSync(maskPath, { force: true });
        }
      });
    } finally {
      this.active.delete(runId);
    }
  }

  /** Runs `fn` after every earlier job; a job cancelled while it waits never starts. */
  private async exclusive<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    const prev = this.queue;
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    this.queue = prev.then(() => mine);
    try {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(new CancelledError());
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        void prev.then(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        });
      });
      return await fn();
    } finally {
      release();
    }
  }

  private async sessionsFor(entry: PackEntry, s: Api.Settings): Promise<PreviewSessions> {
    const key = `${entry.dir}|${s.provider}|${s.threads}`;
    if (this.sessions?.key !== key) {
      await this.sessions?.cache.dispose();
      const cache = new PreviewSessions(entry.pack, {
        provider: s.provider as Provider,
        threads: s.threads || undefined,
        onWarning: this.warn,
        onInfo: this.info,
      });
      this.sessions = { key, cache };
    }
    this.sessions.cache.delayMs = this.opts.debugDelayMs ?? 0;
    return this.sessions.cache;
  }

  private storeRun(run: StoredRun): void {
    this.runs.set(run.runId, run);
    while (this.runs.size > (this.opts.maxRuns ?? 64)) this.runs.delete(this.runs.keys().next().value!);
  }

  cancel(runId?: string): void {
    for (const [id, c] of this.active) if (!runId || id === runId) c.abort();
  }

  metrics(runA: string, runB: string): Api.MetricsResult {
    const a = this.run(runA);
    const b = this.run(runB);
    // Each mesh in its own unit cube, as `fsam3d compare` does: aggregation shrinks the canonical mesh
    // while the pose scale grows by the same factor; layout drift is the box IoU's job.
    const cmp = compareMeshes(a.mesh, b.mesh, { normalization: 'independent' });
    const boxIoU = poseBoxIoU(a.mesh, a.pose as EnginePose, b.mesh, b.pose as EnginePose);
    // Same normalisation as the metrics above, so the heat map reads in CD units.
    // b's own vertices join the surface samples: identical meshes then read exactly 0.
    const [na, nb] = normalizePair(a.mesh, b.mesh, 'independent');
    const samples = sampleSurface(nb, DEFAULT_SAMPLES, DEFAULT_SEED);
    const points = new Float64Array(samples.length + nb.vertices.length);
    points.set(samples);
    points.set(nb.vertices, samples.length);
    const tree = new KdTree(points);
    const distances = Float32Array.from(nearestDistances(na.vertices, tree));
    return { cdL1: cmp.cdL1, cdL2: cmp.cdL2, f1: cmp.f1, vIoU: cmp.vIoU, boxIoU, distances };
  }

  async export(req: Api.ExportRequest): Promise<{ bytes: Uint8Array; suggestedName: string }> {
    const items: ExportItem[] = req.runIds.map((id) => {
      const r = this.run(id);
      return { name: r.name, mesh: r.mesh, pose: r.pose };
    });
    const bytes =
      req.format === 'glb' ? await exportGlb(items, req.scene, req.targetFaces) : exportPly(items, req.scene);
    const base = items.length === 1 ? items[0].name : `scene-${items.length}-objects`;
    const suffix = req.scene && items.length === 1 ? '-placed' : '';
    return { bytes, suggestedName: `${safeName(base)}${suffix}.${req.format}` };
  }

  async updateSettings(patch: Partial<Api.Settings>): Promise<Api.Settings> {
    await this.settings.update(patch);
    return this.effectiveSettings(this.packs());
  }

  /** Supervisor refill after a worker restart: same ids, same data. */
  async restoreImage(imageId: string, name: string, bytes: Uint8Array): Promise<void> {
    await this.openImage(name, bytes, imageId);
  }

  restoreRun(run: Api.RunResult): void {
    const name = run.report.objectName;
    this.storeRun({ ...run, name: typeof name === 'string' ? name : run.runId });
  }

  async dispose(): Promise<void> {
    this.cancel();
    await this.sessions?.cache.dispose();
    this.sessions = null;
    for (const id of [...this.images.keys()]) this.dropImage(id);
    if (this.ownsTemp) rmSync(this.tempDir, { recursive: true, force: true });
  }
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._+-]+/g, '_').slice(0, 120) || 'object';
}

function readVersion(): string {
  try {
    return JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
