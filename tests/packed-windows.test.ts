// Packs whose decoders separate windows by the voxels' coordinates (manifest decoder.packedWindows) give
// the same output whether the host puts one window per row or packs several into one row.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPack } from '../engine/pack/load.ts';
import { SessionCache } from '../engine/pack/sessions.ts';
import { mulberry32 } from '../engine/sparse/testing.ts';
import { decoderFeeds } from '../engine/stages/decode.ts';
import { REPO, TEST_PACK } from './support/paths.ts';

/** A thick, uneven sphere shell on the res³ grid (sorted x, y, z): windows of very different sizes. */
function shell(res: number): Int32Array {
  const out: number[] = [];
  const c = (res - 1) / 2;
  for (let x = 0; x < res; x++)
    for (let y = 0; y < res; y++)
      for (let z = 0; z < res; z++) {
        const r = Math.hypot(x - c, y - c * 0.8, z - c);
        if (r > res * 0.3 && r < res * 0.3 + 1.5 + (x > c ? 1 : 0)) out.push(x, y, z);
      }
  return Int32Array.from(out);
}

describe('packed decoder windows', () => {
  for (const [name, dir] of [
    ['test pack', TEST_PACK],
    ['nano pack', path.join(REPO, 'resources', 'models', 'nano')],
  ]) {
    it(`${name}: the mesh decoder gives the same cube features from packed rows`, async () => {
      const pack = loadPack(dir);
      expect(pack.manifest.decoder.packedWindows).toBe(true);
      const sessions = new SessionCache(pack, { threads: 1 });
      try {
        const coords = shell(pack.manifest.slat.res);
        const rng = mulberry32(3);
        const slat = Float32Array.from(
          { length: (coords.length / 3) * pack.manifest.slat.latentChannels },
          () => 2 * rng() - 1,
        );
        const run = async (packed: boolean) => {
          const { feeds } = decoderFeeds(sessions, coords, slat, true, packed);
          const out = await sessions.run('mesh_decoder', feeds);
          return { rows: feeds.win1_idx.dims[0], cube: out.cube_feats.data as Float32Array };
        };
        const one = await run(false);
        const packed = await run(true);
        expect(packed.rows).toBeLessThan(0.6 * one.rows);
        let diff = 0,
          scale = 0;
        for (let i = 0; i < one.cube.length; i++) {
          diff = Math.max(diff, Math.abs(one.cube[i] - packed.cube[i]));
          scale = Math.max(scale, Math.abs(one.cube[i]));
        }
        expect(scale).toBeGreaterThan(0.1);
        expect(diff).toBeLessThan(1e-5 * scale);
      } finally {
        await sessions.dispose();
      }
    });
  }
});
