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

/**
 * Seeded noise with one stream per (stage, modality): stage-1 noise never depends on how many voxels
 * stage 2 gets, so runs compared side by side (full vs accelerated) start from identical noise.
 */
export function seededNoise(seed: number): NoiseSource {
  return (stage, modality, length) => new Rng(streamSeed(seed, `${stage}/${modality}`)).normals(length);
}

function streamSeed(seed: number, name: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0; // FNV-1a over the stream name, mixed with the run seed
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h | 0;
}
