// OpenCV.js (WASM) loaded once per process. @techstark/opencv-js is a CommonJS Emscripten module: it
// has no imdecode (pixels come from sharp) and it is *thenable* (Module.then calls back with the
// Module itself), so it must never be awaited or returned from an async function directly — we wait
// for onRuntimeInitialized and hand it out wrapped in an object. On load it also installs
// process-wide 'uncaughtException' / 'unhandledRejection' handlers that abort the WASM runtime; those
// are removed again so the engine's own error handling (CLI exit codes, Electron) is unchanged.
import { createRequire } from 'node:module';

/** The small part of the OpenCV.js API the segmenter uses. */
export interface CvMat {
  rows: number;
  cols: number;
  data: Uint8Array;
  data64F: Float64Array;
  delete(): void;
}

export interface Cv {
  Mat: { new (): CvMat; new (rows: number, cols: number, type: number): CvMat };
  Size: new (w: number, h: number) => unknown;
  Rect: new (x: number, y: number, w: number, h: number) => unknown;
  CV_8UC1: number;
  CV_8UC3: number;
  CV_64FC1: number;
  INTER_AREA: number;
  INTER_LINEAR: number;
  INTER_NEAREST: number;
  GC_BGD: number;
  GC_FGD: number;
  GC_PR_BGD: number;
  GC_PR_FGD: number;
  GC_EVAL: number;
  resize(src: CvMat, dst: CvMat, size: unknown, fx: number, fy: number, interpolation: number): void;
  grabCut(
    img: CvMat,
    mask: CvMat,
    rect: unknown,
    bgdModel: CvMat,
    fgdModel: CvMat,
    iterCount: number,
    mode: number,
  ): void;
}

export interface OpenCvHandle {
  cv: Cv;
  /** Wall time of the first load (require + WASM runtime initialisation), ms. */
  loadMs: number;
}

let loading: Promise<OpenCvHandle> | undefined;

/** Loads OpenCV.js once; later calls return the same runtime immediately. */
export function loadOpenCv(): Promise<OpenCvHandle> {
  loading ??= load().catch((e) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

/** The first load's time in ms, or undefined while OpenCV.js has not finished loading. */
export function opencvLoadMs(): number | undefined {
  return loaded?.loadMs;
}

let loaded: OpenCvHandle | undefined;

async function load(): Promise<OpenCvHandle> {
  const t0 = performance.now();
  const require = createRequire(import.meta.url);
  // The Emscripten runtime adds process-wide handlers while its module body runs (synchronously,
  // inside require); only those are removed, right away.
  const beforeEx = new Set(process.listeners('uncaughtException'));
  const beforeRej = new Set(process.listeners('unhandledRejection'));
  let mod: Record<string, unknown>;
  try {
    mod = require('@techstark/opencv-js') as Record<string, unknown>;
  } finally {
    for (const l of process.listeners('uncaughtException'))
      if (!beforeEx.has(l)) process.removeListener('uncaughtException', l);
    for (const l of process.listeners('unhandledRejection'))
      if (!beforeRej.has(l)) process.removeListener('unhandledRejection', l);
  }
  await new Promise<void>((resolve, reject) => {
    const ready = () => typeof mod.Mat === 'function' && typeof mod.grabCut === 'function';
    if (ready()) return resolve();
    const timer = setTimeout(() => reject(new Error('OpenCV.js did not initialise within 60 s')), 60_000);
    const previous = mod.onRuntimeInitialized as (() => void) | undefined;
    mod.onRuntimeInitialized = () => {
      previous?.();
      clearTimeout(timer);
      if (ready()) resolve();
      else reject(new Error('OpenCV.js initialised without grabCut'));
    };
  });
  loaded = { cv: mod as unknown as Cv, loadMs: performance.now() - t0 };
  return loaded;
}
