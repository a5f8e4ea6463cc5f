// One seeded generator for every random draw of a run (noise of both stages, voxel subsampling), so a
// seed reproduces a run exactly on any machine.
import { xoroshiro128plus, unsafeUniformIntDistribution, type RandomGenerator } from 'pure-rand';

export class Rng {
  private gen: RandomGenerator;
  private spare: number | null = null;

  constructor(seed: number) {
    this.gen = xoroshiro128plus(seed | 0);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = unsafeUniformIntDistribution(0, (1 << 26) - 1, this.gen);
    const lo = unsafeUniformIntDistribution(0, (1 << 27) - 1, this.gen);
    return (hi * 134217728 + lo) / 9007199254740992;
  }

  /** Standard normal (Box–Muller, both values used). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  normals(n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal();
    return out;
  }
}

/** Where initial noise comes from: the run's Rng, or fixed tensors (golden tests, side-by-side runs). */
export type NoiseSource = (stage: 'ss' | 'slat', modality: string, length: number) => Float32Array;

export function rngNoise(rng: Rng): NoiseSource {
  return (_stage, _modality, length) => rng.normals(length);
}
