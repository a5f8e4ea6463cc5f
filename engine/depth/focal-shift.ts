// MoGe v1's recover_focal_shift (architecture doc 1.3): on a nearest-downsampled grid, find the z shift
// that makes the affine-invariant pointmap a pinhole projection, min_s Σ‖f(s)·xy/(z+s) − uv‖² with the
// focal f(s) in closed form, solved as scipy.optimize.least_squares(method='lm', x0=0, ftol=1e-3) does:
// MINPACK lmdif with a forward-difference Jacobian, written out here for one unknown.
import { nearestIndex } from '../image/resize.ts';

const f32 = Math.fround;
// MINPACK dpmpar(1) as scipy ships it (a rounded literal, not Number.EPSILON: it sets the Jacobian step).
const EPSMCH = 2.22044604926e-16;
const DWARF = 2.2250738585072014e-308;

/** torch.linspace(start, end, steps) in float32 (start/step from the front, the rest from the end). */
function linspaceF32(start: number, end: number, steps: number): Float32Array {
  const out = new Float32Array(steps);
  const s = f32(start);
  const e = f32(end);
  const step = steps > 1 ? f32(f32(e - s) / (steps - 1)) : 0;
  const half = Math.trunc(steps / 2);
  for (let i = 0; i < steps; i++)
    out[i] = i < half ? f32(s + f32(step * i)) : f32(e - f32(step * (steps - i - 1)));
  return out;
}

/**
 * normalized_view_plane_uv(width, height): u per column and v per row, spanning ±(W/diag, H/diag)·(n−1)/n,
 * i.e. the view plane at focal 1 relative to the half diagonal.
 */
export function viewPlaneUV(width: number, height: number): { u: Float32Array; v: Float32Array } {
  const a = width / height;
  const spanX = a / Math.sqrt(1 + a * a);
  const spanY = 1 / Math.sqrt(1 + a * a);
  return {
    u: linspaceF32((-spanX * (width - 1)) / width, (spanX * (width - 1)) / width, width),
    v: linspaceF32((-spanY * (height - 1)) / height, (spanY * (height - 1)) / height, height),
  };
}

export interface FitSamples {
  uv: Float64Array; // 2 per sample
  xy: Float64Array; // 2 per sample
  z: Float64Array;
}

/**
 * Nearest-downsamples (torch legacy indexing) the H×W×3 pointmap, the uv grid and the validity mask to
 * fitH×fitW and keeps the valid samples. `valid(i)` says whether full-resolution pixel i is valid.
 */
export function fitSamples(
  points: Float32Array,
  width: number,
  height: number,
  valid: (i: number) => boolean,
  fitH: number,
  fitW: number,
): FitSamples {
  const { u, v } = viewPlaneUV(width, height);
  const uv: number[] = [];
  const xy: number[] = [];
  const z: number[] = [];
  for (let r = 0; r < fitH; r++) {
    const y = nearestIndex(r, height, fitH);
    for (let c = 0; c < fitW; c++) {
      const x = nearestIndex(c, width, fitW);
      const i = y * width + x;
      if (!valid(i)) continue;
      uv.push(u[x], v[y]);
      xy.push(points[i * 3], points[i * 3 + 1]);
      z.push(points[i * 3 + 2]);
    }
  }
  return { uv: Float64Array.from(uv), xy: Float64Array.from(xy), z: Float64Array.from(z) };
}

/** Closed-form focal for a shift: f = Σ(xy_proj·uv) / Σ xy_proj², xy_proj = xy/(z+shift). */
export function focalForShift(s: FitSamples, shift: number): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < s.z.length; i++) {
    const d = s.z[i] + shift;
    const px = s.xy[2 * i] / d;
    const py = s.xy[2 * i + 1] / d;
    num += px * s.uv[2 * i] + py * s.uv[2 * i + 1];
    den += px * px + py * py;
  }
  return num / den;
}

/** The residual vector f(s)·xy_proj − uv (length 2m) and its norm. */
function residual(s: FitSamples, shift: number, out: Float64Array): number {
  const f = focalForShift(s, shift);
  let sq = 0;
  for (let i = 0; i < s.z.length; i++) {
    const d = s.z[i] + shift;
    const rx = (f * s.xy[2 * i]) / d - s.uv[2 * i];
    const ry = (f * s.xy[2 * i + 1]) / d - s.uv[2 * i + 1];
    out[2 * i] = rx;
    out[2 * i + 1] = ry;
    sq += rx * rx + ry * ry;
  }
  return Math.sqrt(sq);
}

export interface LMOptions {
  ftol: number;
  xtol?: number;
  gtol?: number;
  /** scipy's default for 'lm' with a finite-difference Jacobian: 100·(n+1). */
  maxfev?: number;
}

export interface LMResult {
  x: number;
  /** MINPACK info: 1 ftol, 2 xtol, 3 both, 4 gtol, 5 maxfev, 6-8 tolerances below machine precision. */
  info: number;
  nfev: number;
  cost: number;
}

/** MINPACK lmpar for n = 1 (diag 1): the LM parameter and step for trust radius delta. */
function lmpar1(jtj: number, jtf: number, delta: number, par0: number): { par: number; x: number } {
  const xgn = jtj !== 0 ? jtf / jtj : 0;
  let dxnorm = Math.abs(xgn);
  let fp = dxnorm - delta;
  if (fp <= 0.1 * delta) return { par: 0, x: xgn };
  const parl0 = jtj !== 0 ? (fp / delta) * jtj : 0;
  let parl = parl0;
  const gnorm = Math.abs(jtf);
  let paru = gnorm / delta;
  if (paru === 0) paru = DWARF / Math.min(delta, 0.1);
  let par = Math.min(Math.max(par0, parl), paru);
  if (par === 0) par = gnorm / dxnorm;
  let x = xgn;
  for (let iter = 1; ; iter++) {
    if (par === 0) par = Math.max(DWARF, 0.001 * paru);
    x = jtf / (jtj + par);
    dxnorm = Math.abs(x);
    const temp = fp;
    fp = dxnorm - delta;
    if (Math.abs(fp) <= 0.1 * delta || (parl === 0 && fp <= temp && temp < 0) || iter === 10) break;
    const parc = (fp / delta) * (jtj + par);
    if (fp > 0) parl = Math.max(parl, par);
    if (fp < 0) paru = Math.min(paru, par);
    par = Math.max(parl, par + parc);
  }
  return { par, x };
}

/**
 * Levenberg–Marquardt for one scalar x (MINPACK lmdif: x0, diag 1, factor 100, forward-difference
 * Jacobian with step sqrt(eps)·|x|). `fn(x, out)` fills the residuals and returns their norm.
 */
export function levenbergMarquardt1D(
  fn: (x: number, out: Float64Array) => number,
  m: number,
  x0: number,
  opts: LMOptions,
): LMResult {
  const ftol = opts.ftol;
  const xtol = opts.xtol ?? 1e-8;
  const gtol = opts.gtol ?? 1e-8;
  const maxfev = opts.maxfev ?? 200;
  const factor = 100;
  let fvec = new Float64Array(m);
  let wa4 = new Float64Array(m);
  const fj = new Float64Array(m);
  let x = x0;
  let fnorm = fn(x, fvec);
  let nfev = 1;
  let par = 0;
  let iter = 1;
  let delta = 0;
  let xnorm = 0;
  let info = 0;
  const eps = Math.sqrt(EPSMCH);
  outer: for (;;) {
    // Forward-difference Jacobian (fdjac2).
    let h = eps * Math.abs(x);
    if (h === 0) h = eps;
    fn(x + h, fj);
    nfev++;
    let jtj = 0;
    let jtf = 0;
    for (let i = 0; i < m; i++) {
      const j = (fj[i] - fvec[i]) / h;
      jtj += j * j;
      jtf += j * fvec[i];
    }
    const jnorm = Math.sqrt(jtj);
    if (iter === 1) {
      xnorm = Math.abs(x);
      delta = factor * xnorm;
      if (delta === 0) delta = factor;
    }
    let gnorm = 0;
    if (fnorm !== 0 && jnorm !== 0) gnorm = Math.abs(jtf / fnorm / jnorm);
    if (gnorm <= gtol) {
      info = 4;
      break;
    }
    for (;;) {
      const lp = lmpar1(jtj, jtf, delta, par);
      par = lp.par;
      const step = -lp.x;
      const pnorm = Math.abs(step);
      const xnew = x + step;
      if (iter === 1) delta = Math.min(delta, pnorm);
      const fnorm1 = fn(xnew, wa4);
      nfev++;
      const actred = 0.1 * fnorm1 < fnorm ? 1 - (fnorm1 / fnorm) ** 2 : -1;
      const temp1 = (jnorm * pnorm) / fnorm;
      const temp2 = (Math.sqrt(par) * pnorm) / fnorm;
      const prered = temp1 * temp1 + (temp2 * temp2) / 0.5;
      const dirder = -(temp1 * temp1 + temp2 * temp2);
      const ratio = prered !== 0 ? actred / prered : 0;
      if (ratio <= 0.25) {
        let temp = actred >= 0 ? 0.5 : (0.5 * dirder) / (dirder + 0.5 * actred);
        if (0.1 * fnorm1 >= fnorm || temp < 0.1) temp = 0.1;
        delta = temp * Math.min(delta, pnorm / 0.1);
        par /= temp;
      } else if (par === 0 || ratio >= 0.75) {
        delta = pnorm / 0.5;
        par *= 0.5;
      }
      if (ratio >= 1e-4) {
        x = xnew;
        [fvec, wa4] = [wa4, fvec];
        xnorm = Math.abs(x);
        fnorm = fnorm1;
        iter++;
      }
      if (Math.abs(actred) <= ftol && prered <= ftol && 0.5 * ratio <= 1) info = 1;
      if (delta <= xtol * xnorm) info = info === 1 ? 3 : 2;
      if (info !== 0) break outer;
      if (nfev >= maxfev) info = 5;
      else if (Math.abs(actred) <= EPSMCH && prered <= EPSMCH && 0.5 * ratio <= 1) info = 6;
      else if (delta <= EPSMCH * xnorm) info = 7;
      else if (gnorm <= EPSMCH) info = 8;
      if (info !== 0) break outer;
      if (ratio >= 1e-4) break;
    }
  }
  return { x, info, nfev, cost: 0.5 * fnorm * fnorm };
}

export interface FocalShift {
  /** Focal relative to half the image diagonal. */
  focal: number;
  /** z shift that turns the affine-invariant map into camera space. */
  shift: number;
  samples: number;
  lm: LMResult | null;
}

/**
 * solve_optimal_focal_shift on the samples; fewer than 2 samples give focal 1, shift 0 (as MoGe).
 * The shift is rounded to float32 before the focal is computed, as MoGe's `.astype(np.float32)`.
 */
export function recoverFocalShift(s: FitSamples, opts: LMOptions): FocalShift {
  const n = s.z.length;
  if (n < 2) return { focal: 1, shift: 0, samples: n, lm: null };
  const lm = levenbergMarquardt1D((x, out) => residual(s, x, out), 2 * n, 0, opts);
  const shift = f32(lm.x);
  return { focal: f32(focalForShift(s, shift)), shift, samples: n, lm };
}

/**
 * MoGe's normalised intrinsics from the focal (relative to the half diagonal) and aspect a = W/H:
 * fx = f/2·sqrt(1+a²)/a, fy = f/2·sqrt(1+a²), principal point (0.5, 0.5). Row-major 3×3, in units of
 * the image width (x) and height (y).
 */
export function intrinsicsFromFocal(focal: number, width: number, height: number): number[] {
  const a = width / height;
  const fx = f32(((focal / 2) * Math.sqrt(1 + a * a)) / a);
  const fy = f32((focal / 2) * Math.sqrt(1 + a * a));
  return [fx, 0, 0.5, 0, fy, 0.5, 0, 0, 1];
}
