import { describe, expect, it } from 'vitest';
import { fftn, nextPow2, signedFreq } from './fft.ts';

/** Direct O(N²) DFT over all axes, the definition numpy.fft.fftn implements. */
function dftn(re: number[], dims: number[]): Float64Array {
  const total = re.length;
  const out = new Float64Array(2 * total);
  const idx = (i: number): number[] => {
    const r: number[] = [];
    for (let a = dims.length - 1; a >= 0; a--) {
      r.unshift(i % dims[a]);
      i = Math.floor(i / dims[a]);
    }
    return r;
  };
  for (let k = 0; k < total; k++) {
    const kk = idx(k);
    for (let n = 0; n < total; n++) {
      const nn = idx(n);
      let ph = 0;
      for (let a = 0; a < dims.length; a++) ph += (kk[a] * nn[a]) / dims[a];
      out[2 * k] += re[n] * Math.cos(-2 * Math.PI * ph);
      out[2 * k + 1] += re[n] * Math.sin(-2 * Math.PI * ph);
    }
  }
  return out;
}

describe('fftn', () => {
  it('matches a direct DFT in 2-D and 3-D, and the inverse round-trips', () => {
    for (const dims of [
      [4, 8],
      [4, 2, 8],
    ]) {
      const total = dims.reduce((a, b) => a * b, 1);
      const re = Array.from({ length: total }, (_, i) => Math.sin(i * 1.7) + (i % 3));
      const data = new Float64Array(2 * total);
      re.forEach((v, i) => (data[2 * i] = v));
      fftn(data, dims);
      const ref = dftn(re, dims);
      for (let i = 0; i < data.length; i++) expect(data[i]).toBeCloseTo(ref[i], 9);
      fftn(data, dims, true);
      for (let i = 0; i < total; i++) {
        expect(data[2 * i]).toBeCloseTo(re[i], 12);
        expect(data[2 * i + 1]).toBeCloseTo(0, 12);
      }
    }
  });

  it('rejects sizes fft.js cannot take', () => {
    expect(() => fftn(new Float64Array(2 * 12), [12])).toThrow(/power of two/);
  });

  it('fftshift bookkeeping and padding sizes', () => {
    expect([0, 1, 3, 4, 5, 7].map((k) => signedFreq(k, 8))).toEqual([0, 1, 3, -4, -3, -1]);
    expect([2, 3, 48, 64, 65].map(nextPow2)).toEqual([2, 4, 64, 64, 128]);
  });
});
