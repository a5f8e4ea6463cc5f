// The stage-pack manifest: everything the host needs to run a pack, as data. The engine reads every
// constant from here and never asks which model a pack holds. See docs/pack-format.md.
import { z } from 'zod';

export const PACK_SCHEMA = 'fsam3d-pack/1';

/** A dimension: a fixed size, or the name of a dynamic axis (B, L, N, M, N8, N64, W0, Lw0, …). */
const Dim = z.union([z.number().int().nonnegative(), z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/)]);

export const TensorSpecSchema = z.object({
  name: z.string().min(1),
  dtype: z.enum(['float32', 'int32', 'int64', 'bool']),
  shape: z.array(Dim),
});
export type TensorSpec = z.infer<typeof TensorSpecSchema>;

export const StageSchema = z.object({
  file: z.string().regex(/^[^/\\]+\.onnx$/, 'a file name inside the pack folder ending in .onnx'),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  precision: z.enum(['fp32', 'fp16-weights', 'fp16']).default('fp32'),
  inputs: z.array(TensorSpecSchema).min(1),
  outputs: z.array(TensorSpecSchema).min(1),
});
export type StageSpec = z.infer<typeof StageSchema>;

const Vec3 = z.tuple([z.number(), z.number(), z.number()]);
const Range = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]);

export const SamplerSchema = z.object({
  steps: z.number().int().min(1).max(1000),
  /** t_k = u / (1 + (r−1)(1−u)), u = k/steps; 1 is linear. */
  rescaleT: z.number().positive(),
  /** The network sees t·timeScale (and d·timeScale). */
  timeScale: z.number().positive(),
  cfg: z.object({
    strength: z.number().nonnegative(),
    /** Guidance applies while interval[0] ≤ t·timeScale ≤ interval[1]. */
    interval: z.tuple([z.number(), z.number()]),
    /** 'all' or the output modalities guidance applies to. */
    outputs: z.union([z.literal('all'), z.array(z.string()).min(1)]),
  }),
  /** Shortcut step size d fed to the network (stage 1 only); null when the network has no d input. */
  shortcutD: z.number().nullable(),
  /** Number of all-zero condition tokens the unconditional pass gets (1 is exact for zero context). */
  uncondTokens: z.number().int().min(1),
});
export type SamplerConfig = z.infer<typeof SamplerSchema>;

/**
 * Host constants of the optional depth stage (MoGe v1; architecture doc 1.3). The host resizes the photo
 * to the token grid, runs the graph, then recovers the z shift and focal and normalises the pointmap.
 */
export const DepthSchema = z.object({
  /** Token budget: resize factor f = sqrt(numTokens·patch² / (H·W)); MoGe resolution_level 9 → 2500. */
  numTokens: z.number().int().positive(),
  /** ViT patch size (the graph itself crops the grid to multiples of it). */
  patch: z.number().int().positive(),
  /** Pixels with mask_raw > maskThreshold are valid; the others become +inf. */
  maskThreshold: z.number(),
  /** Nearest-downsampled grid (height, width) on which the z shift and focal are fitted. */
  fitSize: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  /** Levenberg–Marquardt tolerances (scipy least_squares method='lm': x0 = 0, ftol 1e-3). */
  ftol: z.number().positive(),
  xtol: z.number().positive().default(1e-8),
  gtol: z.number().positive().default(1e-8),
  /** 'pytorch3d': (x,y,z) → (−x,−y,z) after recovery (SAM 3D's camera frame); 'opencv': unchanged. */
  frame: z.enum(['pytorch3d', 'opencv']),
});
export type DepthConfig = z.infer<typeof DepthSchema>;

export const ManifestSchema = z.object({
  schema: z.literal(PACK_SCHEMA),
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  name: z.string(),
  version: z.string(),
  description: z.string().default(''),
  license: z.object({ name: z.string(), file: z.string().optional() }),
  image: z.object({
    size: z.number().int().min(8),
    /** Where ImageNet-style normalisation happens; 'graph' means the host feeds [0,1] values. */
    normalize: z.object({ where: z.enum(['graph', 'host']), mean: Vec3, std: Vec3 }),
  }),
  crop: z.object({ boxSizeFactor: z.number().positive(), paddingFactor: z.number().nonnegative() }),
  condition: z.object({
    dim: z.number().int().positive(),
    ssTokens: z.number().int().positive(),
    slatTokens: z.number().int().positive(),
  }),
  ss: z.object({
    latentRes: z.number().int().positive(),
    latentChannels: z.number().int().positive(),
    occupancyRes: z.number().int().positive(),
    /** Layout (pose) modalities in stream order: network inputs x_<name>, outputs v_<name>, shape (B,1,dim). */
    layout: z.array(z.object({ name: z.string().regex(/^[a-z0-9_]+$/), dim: z.number().int().positive() })),
    sampler: SamplerSchema,
    occupancyThreshold: z.number(),
    /** Keep only surface voxels (drop those whose 3×3×3 box is full). */
    pruneInterior: z.boolean(),
    maxVoxels: z.number().int().positive(),
    downsampleFactor: z.number().int().min(2),
  }),
  pose: z.object({
    convention: z.literal('ScaleShiftInvariant'),
    rot6dMean: z.array(z.number()).length(6),
    rot6dStd: z.array(z.number()).length(6),
    /**
     * The camera the layout is predicted in: a pinhole with this field of view across the photo's long side
     * (degrees). The host rescales translation z into the photo's camera (geometry/pose.ts toPhotoCamera).
     * Absent: the layout is metric / camera-agnostic (SAM 3D with depth) and is used as decoded.
     */
    cameraFovDeg: z
      .number({ error: 'need a number: degrees of field of view across the long side, 1 to 179' })
      .min(1, { error: 'need a field of view between 1 and 179 degrees (across the long side)' })
      .max(179, { error: 'need a field of view between 1 and 179 degrees (across the long side)' })
      .optional(),
  }),
  slat: z.object({
    res: z.number().int().positive(),
    latentChannels: z.number().int().positive(),
    poolFactor: z.literal(2),
    /** Coarse feature = Σ children / (count + 1): the scatter_reduce include_self quirk. */
    poolMeanIncludeSelf: z.boolean(),
    sampler: SamplerSchema,
    mean: z.array(z.number()),
    std: z.array(z.number()),
  }),
  decoder: z.object({
    window: z.number().int().positive(),
    shifts: z.array(z.number().int().nonnegative()).min(1),
    subdivisions: z.number().int().nonnegative(),
    /**
     * The decoders' graphs tell windows apart by the voxels' coordinates, so the host may pack several
     * windows into one row of win{i}_idx (fewer padded slots to attend over). Absent: one window per row.
     */
    packedWindows: z.boolean().default(false),
    mesh: z.object({
      res: z.number().int().positive(),
      channels: z.number().int().positive(),
      sdfBias: z.number(),
      weightScale: z.number(),
      layout: z.object({ sdf: Range, deform: Range, beta: Range, alpha: Range, gamma: Range, color: Range }),
      cornerOrder: z.literal('x_fastest'),
    }),
    gaussians: z
      .object({ perVoxel: z.number().int().positive(), channels: z.number().int().positive() })
      .optional(),
  }),
  /** Required when stages.depth is present. */
  depth: DepthSchema.optional(),
  output: z.object({
    /** Applied to canonical z-up decoder vertices to get glTF's y-up frame (row vectors: v·M). */
    zUpToYUp: z.tuple([Vec3, Vec3, Vec3]),
  }),
  stages: z.object({
    ss_condition: StageSchema,
    ss_denoiser: StageSchema,
    ss_decoder: StageSchema,
    slat_condition: StageSchema,
    slat_denoiser: StageSchema,
    mesh_decoder: StageSchema,
    gs_decoder: StageSchema.optional(),
    /** Optional metric depth (MoGe v1): photo → affine-invariant pointmap + validity logits. */
    depth: StageSchema.optional(),
  }),
});
export type Manifest = z.infer<typeof ManifestSchema>;
export type StageName = keyof Manifest['stages'];
