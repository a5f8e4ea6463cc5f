import { describe, expect, it } from 'vitest';
import {
  activateGaussians,
  gaussiansToPly,
  GS_VIEWER_TRANSFORM,
  hammersley,
  offsetPerturbation,
  radicalInverse,
} from './gaussians.ts';
import { splitPly } from './test-meshes.ts';

describe('hammersley', () => {
  it('radical inverse in bases 2 and 3', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => radicalInverse(2, n))).toEqual([
      0, 0.5, 0.25, 0.75, 0.125, 0.625, 0.375,
    ]);
    [1 / 3, 2 / 3, 1 / 9, 4 / 9, 7 / 9].forEach((w, i) =>
      expect(radicalInverse(3, i + 1)).toBeCloseTo(w, 12),
    );
  });

  it('hammersley(3, i, n) = [i/n, radinv2, radinv3] and the perturbation is atanh((2h−1)/1.5)', () => {
    expect(hammersley(3, 3, 32)).toEqual([3 / 32, 0.75, 1 / 9]);
    const p = offsetPerturbation(32);
    expect(p).toHaveLength(96);
    expect(p.every(Number.isFinite)).toBe(true);
    expect(p[0]).toBeCloseTo(-0.8047189562170501, 6); // atanh(−2/3), point 0 = [0, 0, 0]
    expect(p[2 * 3 + 1]).toBeCloseTo(-0.34657359027997264, 6); // radinv2(2) = 0.25
    expect(p[3 * 3 + 1]).toBeCloseTo(0.34657359027997264, 6); // radinv2(3) = 0.75
  });
});

describe('Gaussian activations (G = 2, res 64)', () => {
  // One row = [xyz 6 | f_dc 6 | scaling 6 | rotation 8 | opacity 2], Gaussian-major within each block.
  const G = 2;
  const row0 = new Float32Array(28);
  row0.set([0, 0, 0, Math.atanh(0.5), 0, 0], 0); // xyz
  row0.set([0.1, 0.2, 0.3, -1, 0, 1], 6); // f_dc
  row0.set([0, 0, 0, 5.519460251195668, 5.519460251195668, 5.519460251195668], 12); // scaling: g1 cancels the bias
  row0.set([0, 0, 0, 0, 1, 2, 3, 4], 18); // rotation
  row0.set([0, 3], 26); // opacity
  const row1 = new Float32Array(28); // all zeros, at another voxel
  const raw = new Float32Array([...row0, ...row1]);
  const coords = new Int32Array([1, 2, 3, 10, 20, 30]);

  it('matches hand-computed values', () => {
    const g = activateGaussians(raw, coords, 64, G);
    expect(g.count).toBe(4);
    const close = (got: ArrayLike<number>, want: number[]) =>
      want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 6));
    // g0: pert atanh(−2/3) → offset −(2/3)(0.75/64) = −1/128 per axis.
    close(g.xyz.subarray(0, 3), [
      1.5 / 64 - 1 / 128 - 0.5,
      2.5 / 64 - 1 / 128 - 0.5,
      3.5 / 64 - 1 / 128 - 0.5,
    ]);
    // g1: h = [1/2, 1/2, 1/3] → pert [0, 0, atanh(−2/9)]; raw x = atanh(1/2) → offset 0.375/64.
    close(g.xyz.subarray(3, 6), [-0.470703125, 2.5 / 64 - 0.5, -0.4479166666666667]);
    close(g.fdc.subarray(0, 6), [0.1, 0.2, 0.3, -1, 0, 1]);
    // scale: sqrt(0.004² + 0.0009²) = 0.0041 for raw 0; sqrt(ln2² + 0.0009²) when raw = −bias.
    close(g.logScale.subarray(0, 3), [Math.log(0.0041), Math.log(0.0041), Math.log(0.0041)]);
    close(g.logScale.subarray(3, 6), [-0.36651207762793764, -0.36651207762793764, -0.36651207762793764]);
    close(g.opacity.subarray(0, 2), [-2.197224577336219, 0.8027754226637809]); // logit(σ(raw + logit 0.1))
    close(g.rotation.subarray(0, 8), [1, 0, 0, 0, 1.1, 0.2, 0.3, 0.4]);
    // Voxel 1, Gaussian 0: Gaussian index is voxel·G + g.
    close(g.xyz.subarray(6, 9), [
      10.5 / 64 - 1 / 128 - 0.5,
      20.5 / 64 - 1 / 128 - 0.5,
      30.5 / 64 - 1 / 128 - 0.5,
    ]);
  });

  it('writes the 3DGS PLY fields in order', () => {
    const bytes = gaussiansToPly(raw, coords, 64, G);
    const { lines, body, bodyLength } = splitPly(bytes);
    expect(lines[1]).toBe('format binary_little_endian 1.0');
    expect(lines).toContain('element vertex 4');
    const props = lines.filter((l) => l.startsWith('property')).map((l) => l.split(' '));
    expect(props.every((p) => p[1] === 'float')).toBe(true);
    expect(props.map((p) => p[2])).toEqual([
      'x',
      'y',
      'z',
      'nx',
      'ny',
      'nz',
      'f_dc_0',
      'f_dc_1',
      'f_dc_2',
      'opacity',
      'scale_0',
      'scale_1',
      'scale_2',
      'rot_0',
      'rot_1',
      'rot_2',
      'rot_3',
    ]);
    expect(bodyLength).toBe(4 * 17 * 4);
    const rec = (i: number) => Array.from({ length: 17 }, (_, k) => body.getFloat32(i * 68 + k * 4, true));
    const g1 = rec(1);
    expect(g1[0]).toBeCloseTo(-0.470703125, 6);
    expect(g1.slice(3, 6)).toEqual([0, 0, 0]);
    expect(g1[6]).toBeCloseTo(-1, 6);
    expect(g1[9]).toBeCloseTo(0.8027754226637809, 5);
    expect(g1[10]).toBeCloseTo(-0.36651207762793764, 5);
    expect(g1.slice(13)).toEqual([1.1, 0.2, 0.3, 0.4].map(Math.fround));
  });

  it('optional viewer transform maps canonical +z to −y and rotates the quaternions', () => {
    const g = activateGaussians(raw, coords, 64, G, undefined, { transform: GS_VIEWER_TRANSFORM });
    const c = activateGaussians(raw, coords, 64, G);
    // (x, y, z) ↦ (x, −z, y)
    expect(g.xyz[0]).toBeCloseTo(c.xyz[0], 6);
    expect(g.xyz[1]).toBeCloseTo(-c.xyz[2], 6);
    expect(g.xyz[2]).toBeCloseTo(c.xyz[1], 6);
    // Identity rotation becomes the transform's own quaternion: +90° about x (y → z) → (cos 45°, sin 45°, 0, 0).
    expect(g.rotation[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(g.rotation[1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(g.rotation[2]).toBeCloseTo(0, 6);
    expect(g.rotation[3]).toBeCloseTo(0, 6);
  });

  it('rejects mismatched sizes', () => {
    expect(() => activateGaussians(new Float32Array(27), new Int32Array(3), 64, 2)).toThrow(/raw/);
    expect(() =>
      activateGaussians(new Float32Array(28), new Int32Array(3), 64, 2, new Float32Array(3)),
    ).toThrow(/Perturbation/i);
  });
});
