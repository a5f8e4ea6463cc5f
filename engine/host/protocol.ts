// Wire protocol between an EngineClient and the engine host: one request/response pair per client call
// plus broadcast events. Every message crossing a process or socket boundary is parsed here, on both
// sides, so a malformed message becomes a clear error reply instead of a crash. Node-free: the renderer
// imports this file too.
import { z } from 'zod';
import type * as Api from '../../renderer/src/client/api.ts';

// Zod's object fast path probes `new Function`, which the studio's CSP (no unsafe-eval) reports as a
// violation on every page load; the interpreted path is plenty fast for these messages.
z.config({ jitless: true });

/** Limits that keep one bad message from exhausting memory (photos are decoded up to 8192 px). */
export const LIMITS = {
  imageBytes: 128 * 1024 * 1024,
  maskPixels: 8192 * 8192,
  points: 512,
  name: 512,
  id: 128,
  knobs: 64,
  runIds: 64,
  packDirs: 32,
  path: 4096,
  /** Whole encoded frame (WebSocket maxPayload). */
  frameBytes: 512 * 1024 * 1024,
} as const;

const name = z.string().min(1).max(LIMITS.name);
const id = z
  .string()
  .min(1)
  .max(LIMITS.id)
  .regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, - and _ only');
const int = z.number().int();
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
// z.custom keeps the DOM/Node default element types (…<ArrayBufferLike>) that api.ts uses.
const typed = <T>(Ctor: abstract new (...a: never[]) => unknown, kind: string) =>
  z.custom<T>((v) => v instanceof Ctor, { message: `expected a ${kind}` });
const u8 = typed<Uint8Array>(Uint8Array, 'Uint8Array');
const bytes = (max: number) => u8.refine((b) => b.length <= max, `too large (limit ${max} bytes)`);
const f32 = typed<Float32Array>(Float32Array, 'Float32Array');
const u32 = typed<Uint32Array>(Uint32Array, 'Uint32Array');
const i32 = typed<Int32Array>(Int32Array, 'Int32Array');

/**
 * Mirrors engine/pack/sessions.ts PROVIDERS (not imported: that file loads onnxruntime). 'auto' tries
 * the platform's GPU provider (CUDA on Linux/Windows, then DirectML on Windows, CoreML on macOS), then CPU.
 */
export const PROVIDER_NAMES = ['cpu', 'auto', 'cuda', 'dml', 'coreml', 'webgpu'] as const;

export const PointSchema = z.strictObject({ x: finite, y: finite, positive: z.boolean() });
export const SettingsSchema = z.strictObject({
  packDirs: z.array(z.string().min(1).max(LIMITS.path)).max(LIMITS.packDirs),
  activePack: z.string().max(LIMITS.name),
  provider: z.string().refine((p) => (PROVIDER_NAMES as readonly string[]).includes(p), {
    message: `must be one of ${PROVIDER_NAMES.join(', ')}`,
  }),
  /** 0 lets onnxruntime choose. */
  threads: int.min(0).max(256),
});

export const RunRequestSchema = z.strictObject({
  imageId: id,
  mask: bytes(LIMITS.maskPixels),
  strategy: z.string().min(1).max(LIMITS.name),
  knobs: z
    .record(z.string().max(LIMITS.name), z.union([finite, z.boolean()]))
    .refine((k) => Object.keys(k).length <= LIMITS.knobs, `at most ${LIMITS.knobs} knobs`),
  seed: int.min(0).max(2 ** 32 - 1),
  packId: z.string().min(1).max(LIMITS.name).optional(),
  maskGuide: z.boolean().optional(),
  runId: id.optional(),
});

export const ExportRequestSchema = z.strictObject({
  runIds: z.array(id).min(1).max(LIMITS.runIds),
  format: z.enum(['glb', 'ply']),
  scene: z.boolean(),
  targetFaces: int.min(1).max(1e8).optional(),
});

/** Parameters per public method (the EngineClient surface). */
export const PARAMS = {
  hello: z.strictObject({}),
  openSample: z.strictObject({ name }),
  openImage: z.strictObject({ name, bytes: bytes(LIMITS.imageBytes) }),
  segment: z.strictObject({
    imageId: id,
    points: z.array(PointSchema).min(1).max(LIMITS.points),
    /** The object's current mask (refine it with more clicks). */
    previous: bytes(LIMITS.maskPixels).optional(),
  }),
  importMask: z.strictObject({ imageId: id, png: bytes(LIMITS.imageBytes) }),
  run: RunRequestSchema,
  cancel: z.strictObject({ runId: id.optional() }),
  metrics: z.strictObject({ runA: id, runB: id }),
  export: ExportRequestSchema,
  updateSettings: SettingsSchema.partial(),
} as const;

const MeshSchema = z.strictObject({ vertices: f32, faces: u32, colors: f32 });
const PoseSchema = z.strictObject({
  rotation: z.array(z.number()).length(9),
  quaternion: z.array(z.number()).length(4),
  translation: z.array(z.number()).length(3),
  scale: z.number(),
});
const RunResultSchema = z.strictObject({
  runId: id,
  mesh: MeshSchema,
  pose: PoseSchema,
  report: z.looseObject({ totalMs: z.number() }),
  silhouetteIoU: z.number().nullable(),
});
const ImageRefSchema = z.strictObject({ imageId: id, width: int, height: int, name: z.string() });

/** Internal methods: only the supervisor sends them, to refill a restarted worker. */
export const INTERNAL_PARAMS = {
  restoreImage: z.strictObject({ imageId: id, name, bytes: bytes(LIMITS.imageBytes) }),
  restoreRun: RunResultSchema,
} as const;

export const RESULTS = {
  hello: z.strictObject({
    version: z.string(),
    packs: z.array(
      z.strictObject({
        id: z.string(),
        name: z.string(),
        dir: z.string(),
        builtIn: z.boolean(),
        description: z.string(),
      }),
    ),
    samples: z.array(z.strictObject({ name: z.string(), width: int, height: int })),
    strategies: z.array(
      z.strictObject({
        name: z.string(),
        description: z.string(),
        knobs: z.array(
          z.strictObject({
            name: z.string(),
            value: z.union([z.number(), z.boolean()]),
            min: z.number().optional(),
            max: z.number().optional(),
            step: z.number().optional(),
            help: z.string(),
          }),
        ),
      }),
    ),
    providers: z.array(z.string()),
    settings: SettingsSchema,
  }),
  openSample: ImageRefSchema.extend({
    bytes: u8,
    mask: u8.optional(),
  }),
  openImage: ImageRefSchema,
  segment: z.strictObject({ mask: u8, width: int, height: int, method: z.string() }),
  importMask: z.strictObject({ mask: u8, width: int, height: int }),
  run: RunResultSchema,
  cancel: z.undefined().or(z.null()),
  metrics: z.strictObject({
    cdL1: z.number(),
    cdL2: z.number(),
    f1: z.number(),
    vIoU: z.number(),
    boxIoU: z.number(),
    distances: f32,
  }),
  export: z.strictObject({ bytes: u8, suggestedName: z.string() }),
  updateSettings: SettingsSchema,
} as const;

export type Method = keyof typeof PARAMS;
export type InternalMethod = keyof typeof INTERNAL_PARAMS;
export const METHODS = Object.keys(PARAMS) as Method[];
export type Params<M extends Method> = z.infer<(typeof PARAMS)[M]>;
export type Result<M extends Method> = z.infer<(typeof RESULTS)[M]>;

export const EventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('progress'),
    progress: z.strictObject({ runId: id, stage: z.string(), step: int, of: int, elapsedMs: z.number() }),
  }),
  z.strictObject({
    type: z.literal('preview'),
    preview: z.strictObject({ runId: id, step: int, res: int, coords: i32 }),
  }),
  z.strictObject({ type: z.literal('engine-restarted'), reason: z.string() }),
  z.strictObject({ type: z.literal('warning'), message: z.string() }),
  /** Worth knowing, nothing to fix (e.g. provider 'auto' found no GPU and runs on CPU). */
  z.strictObject({ type: z.literal('info'), message: z.string() }),
]);

/** user: the user can fix it; cancelled; bad-request: the message itself is wrong; not-found: unknown
 *  image or run id; engine-crashed: the worker died (and is restarted); disconnected: the client lost
 *  its connection to the host; internal: a bug. */
export const ERROR_CODES = [
  'user',
  'cancelled',
  'bad-request',
  'not-found',
  'engine-crashed',
  'disconnected',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export const ErrorSchema = z.strictObject({ code: z.enum(ERROR_CODES), message: z.string() });
export type WireError = z.infer<typeof ErrorSchema>;

/** -1 answers a message whose id could not be read. */
const requestId = int.min(-1).max(Number.MAX_SAFE_INTEGER);
export const ResponseSchema = z.union([
  z.strictObject({
    type: z.literal('response'),
    id: requestId,
    ok: z.literal(true),
    result: z.unknown().optional(),
  }),
  z.strictObject({ type: z.literal('response'), id: requestId, ok: z.literal(false), error: ErrorSchema }),
]);
export const EventMessageSchema = z.strictObject({ type: z.literal('event'), event: EventSchema });
export type RequestMessage = { type: 'request'; id: number; method: string; params: unknown };
export type ResponseMessage = z.infer<typeof ResponseSchema>;

export function errorResponse(id: number, error: WireError): ResponseMessage {
  return { type: 'response', id, ok: false, error };
}
export type EventMessage = z.infer<typeof EventMessageSchema>;
export type EngineEvent = z.infer<typeof EventSchema>;

const RequestEnvelope = z.strictObject({
  type: z.literal('request'),
  id: requestId,
  method: z.string().max(64),
  params: z.unknown(),
});

export type ParsedRequest =
  | { ok: true; id: number; method: Method | InternalMethod; params: unknown }
  | { ok: false; id: number; error: WireError };

/** Validates a request envelope and its parameters; `internal` admits the supervisor-only methods. */
export function parseRequest(raw: unknown, opts: { internal?: boolean } = {}): ParsedRequest {
  const env = RequestEnvelope.safeParse(raw);
  if (!env.success) {
    const rid = (raw as { id?: unknown } | null)?.id;
    const known = typeof rid === 'number' && Number.isSafeInteger(rid) && rid >= 0;
    return { ok: false, id: known ? rid : -1, error: badRequest('message', env.error) };
  }
  const { id: rid, method } = env.data;
  const schema =
    (Object.hasOwn(PARAMS, method) ? PARAMS[method as Method] : undefined) ??
    (opts.internal && Object.hasOwn(INTERNAL_PARAMS, method)
      ? INTERNAL_PARAMS[method as InternalMethod]
      : undefined);
  if (!schema)
    return {
      ok: false,
      id: rid,
      error: {
        code: 'bad-request',
        message: `unknown method "${method}"; expected one of ${METHODS.join(', ')}`,
      },
    };
  const params = schema.safeParse(env.data.params ?? {});
  if (!params.success) return { ok: false, id: rid, error: badRequest(method, params.error) };
  return { ok: true, id: rid, method: method as Method | InternalMethod, params: params.data };
}

/** Validates a response's result against the method's schema (client side). */
export function parseResult<M extends Method>(method: M, result: unknown): Result<M> {
  const r = RESULTS[method].safeParse(result);
  if (!r.success) throw new Error(`engine sent a malformed ${method} result: ${describe(r.error)}`);
  return r.data as Result<M>;
}

export function badRequest(what: string, error: z.ZodError): WireError {
  return { code: 'bad-request', message: `invalid ${what}: ${describe(error)}` };
}

/** First issue, with its path, in one line. */
export function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length ? issue.path.join('.') : '(root)';
  return `${where}: ${issue.message}`;
}

// Compile-time check that the wire schemas produce what api.ts promises.
type Assert<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type _ApiChecks = [
  Assert<Same<Params<'run'>, Api.RunRequest>>,
  Assert<Same<Params<'export'>, Api.ExportRequest>>,
  Assert<Same<z.infer<typeof SettingsSchema>, Api.Settings>>,
  Assert<Same<EngineEvent, Api.EngineEvent>>,
  Assert<Same<Result<'metrics'>, Api.MetricsResult>>,
  Assert<Same<Result<'hello'>, Api.Hello>>,
];
