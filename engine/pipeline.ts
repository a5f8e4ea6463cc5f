// Photo + mask → condition → stage 1 (structure + layout) → stage 2 (structured latent) → mesh.
// Every stage reports progress and honours the AbortSignal; every random draw comes from one seed.
import { referenceCap, type AggregationPolicy } from './accelerate/aggregation.ts';
import { fullPolicy, type StepPolicy } from './accelerate/policy.ts';
import { runDepth } from './depth/index.ts';
import { throwIfAborted } from './errors.ts';
import { guideStructureByMask } from './geometry/mask-guide.ts';
import { occupiedCoords, pruneInterior } from './geometry/occupancy.ts';
import { decodePose, focalRatio, toPhotoCamera, type Pose } from './geometry/pose.ts';
import { loadImagePair, preprocess } from './image/index.ts';
import { fitLayoutToMask } from './layout/fit-to-mask.ts';
import { resolveCamera, silhouetteIoU } from './metrics/silhouette.ts';
import { loadPack, type Pack } from './pack/load.ts';
import { SessionCache, type Provider } from './pack/sessions.ts';
import type { RunReport, StageTiming } from './report.ts';
import { Rng, seededNoise, type NoiseSource } from './sampling/rng.ts';
import { conditionTokens } from './stages/condition.ts';
import { decodeGaussians, decodeMesh, type Mesh } from './stages/decode.ts';
import { decodeOccupancy, sampleStage1 } from './stages/stage1.ts';
import { sampleStage2 } from './stages/stage2.ts';

/** Stage-1 noise draws before a run gives up on an empty structure. */
const STAGE1_DRAWS = 3;

export type Progress = {
  stage: 'preprocess' | 'depth' | 'condition' | 'stage1' | 'stage2' | 'decode';
  step: number;
  of: number;
};

export type ArtifactName =
  'ss_cond' | 'slat_cond' | `ss_latent.${string}` | 'occupancy_logits' | 'cube_feats';

export type RunOptions = {
  image: string;
  mask: string;
  pack: string | Pack;
  seed?: number;
  provider?: Provider;
  threads?: number;
  /**
   * The photo's field of view (degrees, long side); EXIF FocalLengthIn35mmFilm, else 60°, when absent. Used by
   * the silhouette check and, for packs that declare `pose.cameraFovDeg`, to move the layout into this camera.
   */
  fovDeg?: number;
  /** EXIF FocalLengthIn35mmFilm of the original photo, when `image` is a re-encoded copy without EXIF. */
  focal35mm?: number;
  /**
   * Fit the layout's image-plane offset and scale to the mask after decoding (engine/layout); default true.
   * The report keeps the silhouette IoU of the network's own layout next to the fitted one.
   */
  layoutFit?: boolean;
  /**
   * Edit stage 1's voxels by the mask before stage 2 (engine/geometry/mask-guide.ts): carve those outside it,
   * fill weakly drawn parts inside it; default true. False runs the model's structure untouched.
   */
  maskGuide?: boolean;
  /**
   * Treat the region the surface band encloses as inside when extracting the mesh (default true): it is
   * solid, with no hidden shell around it, and holes through the band are sealed
   * (engine/geometry/flexicubes/interior.ts). False reproduces the reference's FlexiCubes exactly (parity
   * tests).
   */
  fillInterior?: boolean;
  /** Release each network after its stage so one is resident at a time (large packs). */
  lowMemory?: boolean;
  /** Decode Gaussians too when the pack has a Gaussian decoder. */
  gaussians?: boolean;
  policies?: { stage1?: StepPolicy; stage2?: StepPolicy; aggregation?: AggregationPolicy };
  /** Replaces the seeded noise (golden tests, identical noise across compared runs). */
  noise?: NoiseSource;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  onWarning?: (message: string) => void;
  /** Sees intermediate tensors (previews, golden tests) as soon as they exist. */
  onArtifact?: (name: ArtifactName, data: Float32Array | Int32Array) => void;
  /** Reuse sessions across runs (UI, benchmark); created and disposed per run when absent. */
  sessions?: SessionCache;
};

export type RunResult = {
  mesh: Mesh;
  pose: Pose;
  /** Stage-2 voxel coordinates and de-normalised latent (inputs of every decoder). */
  coords: Int32Array;
  slat: Float32Array;
  gaussians: Float32Array | null;
  report: RunReport;
};

export async function runPipeline(opts: RunOptions): Promise<RunResult> {
  const pack = typeof opts.pack === 'string' ? loadPack(opts.pack) : opts.pack;
  const m = pack.manifest;
  const seed = opts.seed ?? 0;
  const rng = new Rng(seed);
  const noise = opts.noise ?? seededNoise(seed);
  const sessions =
    opts.sessions ??
    new SessionCache(pack, {
      provider: opts.provider,
      threads: opts.threads,
      lowMemory: opts.lowMemory,
      onWarning: opts.onWarning,
    });
  const policy1 = opts.policies?.stage1 ?? fullPolicy();
  const policy2 = opts.policies?.stage2 ?? fullPolicy();
  const aggregation = opts.policies?.aggregation ?? referenceCap();
  const timings: StageTiming[] = [];
  const progress = opts.onProgress ?? (() => {});
  const artifact = opts.onArtifact ?? (() => {});
  const t0 = performance.now();
  const timed = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
    throwIfAborted(opts.signal);
    const s = performance.now();
    const r = await fn();
    const ms = performance.now() - s;
    const seen = timings.find((t) => t.name === name); // a stage-1 retry adds to its stages' times
    if (seen) seen.ms += ms;
    else timings.push({ name, ms });
    return r;
  };

  try {
    progress({ stage: 'preprocess', step: 0, of: 1 });
    throwIfAborted(opts.signal);
    // With a depth stage the crop waits for the pointmap; the preprocess timing sums both parts.
    const pre0 = performance.now();
    const pair = await loadImagePair(opts.image, opts.mask);
    let preMs = performance.now() - pre0;
    let depth: Awaited<ReturnType<typeof runDepth>> | null = null;
    if (m.stages.depth) {
      progress({ stage: 'depth', step: 0, of: 1 });
      const d = await timed('depth', () => runDepth(sessions, pair));
      for (const w of d.warnings) opts.onWarning?.(w);
      depth = d;
      progress({ stage: 'depth', step: 1, of: 1 });
    }
    throwIfAborted(opts.signal);
    const pre1 = performance.now();
    const images = depth ? preprocess(pair, m, depth.pointmap) : preprocess(pair, m);
    preMs += performance.now() - pre1;
    timings.splice(0, 0, { name: 'preprocess', ms: preMs });
    const notes = pair.notes;
    progress({ stage: 'preprocess', step: 1, of: 1 });

    progress({ stage: 'condition', step: 0, of: 2 });
    const ssCond = await timed('ss_condition', () => conditionTokens(sessions, 'ss_condition', images));
    artifact('ss_cond', ssCond);
    progress({ stage: 'condition', step: 1, of: 2 });
    const slatCond = await timed('slat_condition', () => conditionTokens(sessions, 'slat_condition', images));
    artifact('slat_cond', slatCond);
    progress({ stage: 'condition', step: 2, of: 2 });

    // The photo's camera, resolved once (override, else EXIF, else the default; all on the long side): the
    // layout moves into it when the pack predicts layouts for a canonical camera, and the silhouette check
    // looks through it.
    const camera = resolveCamera(pair.mask.width, pair.mask.height, {
      fovDeg: opts.fovDeg,
      focal35mm: opts.focal35mm ?? pair.image.focal35mm,
    });
    const packFov = m.pose.cameraFovDeg;
    // The stage-1 layout in the photo's camera; downsampleFactor is the aggregation's (1 before it).
    const layoutOf = (latent: Record<string, Float32Array>, downsampleFactor: number) => {
      const decoded = decodePose(
        { rot6d: latent.rot6d, translation: latent.translation, scale: latent.scale },
        m.pose,
        images.sceneScale,
        images.sceneShift,
        downsampleFactor,
      );
      return packFov === undefined ? decoded : toPhotoCamera(decoded, packFov, camera);
    };

    // Stage 1 can, rarely, end with no occupied voxel (2 of 256 held-out samples with the first nano pack).
    // Rather than fail the run, sample it again from the next noise draw (a fixed stream per draw, so the
    // retry is as reproducible as the first try, and side-by-side runs retry alike); the report says so.
    const sampleStructure = async (drawNoise: NoiseSource) => {
      const s1 = await timed('stage1', () =>
        sampleStage1({
          sessions,
          cond: ssCond,
          noise: drawNoise,
          policy: policy1,
          signal: opts.signal,
          onStep: (step, of) => progress({ stage: 'stage1', step, of }),
        }),
      );
      const logits = await timed('ss_decoder', () => decodeOccupancy(sessions, s1.latent.shape));
      const structure = await timed('structure', () => {
        const g = m.ss.occupancyRes;
        const guided =
          (opts.maskGuide ?? true)
            ? guideStructureByMask({
                logits,
                res: g,
                threshold: m.ss.occupancyThreshold,
                pose: layoutOf(s1.latent, 1),
                camera,
                mask: pair.mask.mask,
              })
            : null;
        const occupied = guided ? guided.coords : occupiedCoords(logits, g, m.ss.occupancyThreshold);
        const kept = m.ss.pruneInterior ? pruneInterior(occupied, g) : occupied;
        const aggregated = aggregation.aggregate({
          coords: kept,
          logits,
          res: g,
          maxVoxels: m.ss.maxVoxels,
          downsampleFactor: m.ss.downsampleFactor,
          imageCrop: images.imageCrop,
          maskCrop: images.maskCrop,
          imageSize: m.image.size,
          uniform: () => rng.uniform(),
        });
        const maskGuide = guided?.stats ?? null;
        return { occupied: occupied.length / 3, afterPrune: kept.length / 3, maskGuide, ...aggregated };
      });
      return { s1, logits, structure };
    };
    let sampled = await sampleStructure(noise);
    for (let draw = 1; sampled.structure.coords.length === 0; draw++) {
      if (draw >= STAGE1_DRAWS)
        throw new Error(
          `stage 1 produced no occupied voxels in ${STAGE1_DRAWS} noise draws; try another seed or a tighter mask`,
        );
      notes.push(`stage 1 found no occupied voxel with noise draw ${draw}; sampled it again`);
      sampled = await sampleStructure((st, mod, n) => noise(st, `${mod}#${draw}`, n));
    }
    const { s1, logits, structure } = sampled;
    for (const [name, v] of Object.entries(s1.latent)) artifact(`ss_latent.${name}`, v);
    artifact('occupancy_logits', logits);
    const predictedPose = layoutOf(s1.latent, structure.downsampleFactor);
    if (packFov !== undefined && packFov !== camera.fovDeg) {
      notes.push(
        `layout moved from the pack's ${packFov}° camera into the photo's ${fmtFov(camera.fovDeg)}° camera ` +
          `(${camera.fovSource}): translation z × ${focalRatio(packFov, camera.fovDeg).toFixed(4)}`,
      );
    }

    const s2 = await timed('stage2', () =>
      sampleStage2({
        sessions,
        coords: structure.coords,
        cond: slatCond,
        noise,
        policy: policy2,
        spatialScores: structure.spatialScores,
        signal: opts.signal,
        onStep: (step, of) => progress({ stage: 'stage2', step, of }),
      }),
    );

    progress({ stage: 'decode', step: 0, of: 1 });
    const decoded = await timed('decode', () =>
      decodeMesh(sessions, structure.coords, s2.slat, opts.fillInterior ?? true),
    );
    artifact('cube_feats', decoded.cubeFeats);
    const gaussians =
      opts.gaussians && m.stages.gs_decoder
        ? await timed('gs_decoder', () => decodeGaussians(sessions, structure.coords, s2.slat))
        : null;
    progress({ stage: 'decode', step: 1, of: 1 });

    // How well the posed mesh covers the input mask from the photo's camera (resolved above), with the
    // network's layout and, unless turned off, after fitting its offset and scale to the mask.
    const silhouetteOf = (p: Pose) =>
      silhouetteIoU({
        mesh: decoded.mesh,
        pose: p,
        mask: pair.mask.mask,
        width: pair.mask.width,
        height: pair.mask.height,
        camera,
      });
    const predictedSil = silhouetteOf(predictedPose);
    let pose = predictedPose;
    let sil = predictedSil;
    let fit: RunReport['silhouette']['layoutFit'] = null;
    if (opts.layoutFit ?? true) {
      const f = await timed('layout_fit', () =>
        fitLayoutToMask({ mesh: decoded.mesh, pose: predictedPose, mask: pair.mask.mask, camera }),
      );
      // The fit never loses at its work resolution; keep it only if it also wins at the photo's.
      const fitted = f.iouAfter > f.iouBefore ? silhouetteOf(f.pose) : null;
      if (fitted && fitted.iou > predictedSil.iou) {
        [pose, sil] = [f.pose, fitted];
        fit = { shiftPx: f.shift, scaleFactor: f.scaleFactor };
      }
    }

    const report: RunReport = {
      pack: { id: m.id, name: m.name, version: m.version },
      provider: { requested: opts.provider ?? 'cpu', used: Object.fromEntries(sessions.used) },
      seed,
      strategy: { stage1: policy1.name, stage2: policy2.name, aggregation: aggregation.name },
      timings,
      totalMs: performance.now() - t0,
      evaluations: { stage1: s1.evaluations, stage2: s2.evaluations },
      tokens: {
        shape: m.ss.latentRes ** 3,
        layout: m.ss.layout.length,
        voxels: structure.coords.length / 3,
        coarseVoxels: s2.coarseVoxels,
        stage2Evaluated: s2.trace.reduce(
          (a, st) => a + (st.computed ? (st.tokens ?? structure.coords.length / 3) * st.evaluations : 0),
          0,
        ),
        cubes: decoded.cubes,
      },
      voxels: {
        occupied: structure.occupied,
        afterPrune: structure.afterPrune,
        downsampleFactor: structure.downsampleFactor,
        maskGuide: structure.maskGuide,
      },
      mesh: { vertices: decoded.mesh.vertices.length / 3, faces: decoded.mesh.faces.length / 3 },
      pose: {
        quaternion: pose.quaternion,
        translation: pose.translation,
        scale: pose.scale,
        frame: 'pytorch3d-camera (x left, y up, z forward)',
      },
      silhouette: {
        iou: sil.iou,
        iouPredicted: predictedSil.iou,
        layoutFit: fit,
        fovDeg: sil.camera.fovDeg,
        fovSource: sil.camera.fovSource,
      },
      notes,
    };
    if (depth) {
      report.intrinsics = [
        depth.intrinsics.slice(0, 3),
        depth.intrinsics.slice(3, 6),
        depth.intrinsics.slice(6, 9),
      ];
      report.depth = {
        grid: depth.grid,
        focal: depth.focal,
        shift: depth.shift,
        sceneScale: depth.pointmap.scale,
        sceneShift: Array.from(depth.pointmap.shift),
        validPixels: depth.validPixels,
        fitSamples: depth.fitSamples,
      };
    }
    return { mesh: decoded.mesh, pose, coords: structure.coords, slat: s2.slat, gaussians, report };
  } finally {
    if (!opts.sessions) await sessions.dispose();
  }
}

/** A field of view for a note: integers as is, others to 0.1°. */
function fmtFov(deg: number): string {
  return Number.isInteger(deg) ? String(deg) : deg.toFixed(1);
}
