// N-dimensional complex FFT built from fft.js's 1-D radix-4 transform, one axis at a time (rows, then
// columns, then slabs). fft.js only takes power-of-two sizes > 1; the HFER callers use 256² and 64³, so no
// padding is needed there, and padToPow2 covers other grid sizes.
import FFT from 'fft.js';

const plans = new Map<number, FFT>();
function plan(n: number): FFT {
  let p = plans.get(n);
  if (!p) {
    p = new FFT(n);
    plans.set(n, p);
  }
  return p;
}

export function isPow2(n: number): boolean {
  return Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;
}

export function nextPow2(n: number): number {
  let p = 2;
  while (p < n) p *= 2;
  return p;
}

/**
 * In-place FFT of an interleaved complex array (re, im, re, im, …) of C-order shape `dims` (last axis
 * fastest). `inverse` divides by the length of every axis, like numpy.fft.ifftn.
 */
export function fftn(data: Float64Array, dims: readonly number[], inverse = false): void {
  const total = dims.reduce((a, b) => a * b, 1);
  if (data.length !== 2 * total)
    throw new Error(`fftn: ${data.length / 2} values for shape [${dims.join(', ')}]`);
  let stride = 1;
  for (let axis = dims.length - 1; axis >= 0; axis--) {
    const n = dims[axis];
    if (n > 1) {
      if (!isPow2(n)) throw new Error(`fftn: axis size ${n} is not a power of two (pad first)`);
      const f = plan(n);
      const line = new Float64Array(2 * n);
      const out = new Float64Array(2 * n);
      const block = n * stride;
      for (let base = 0; base < total; base += block) {
        for (let s = 0; s < stride; s++) {
          const start = base + s;
          for (let k = 0; k < n; k++) {
            const j = 2 * (start + k * stride);
            line[2 * k] = data[j];
            line[2 * k + 1] = data[j + 1];
          }
          if (inverse) f.inverseTransform(out, line);
          else f.transform(out, line);
          for (let k = 0; k < n; k++) {
            const j = 2 * (start + k * stride);
            data[j] = out[2 * k];
            data[j + 1] = out[2 * k + 1];
          }
        }
      }
    }
    stride *= n;
  }
}

/** Signed frequency index of FFT bin k on an n-point axis: fftshift puts it at k' = freq + n/2. */
export function signedFreq(k: number, n: number): number {
  return k < n / 2 ? k : k - n;
}
