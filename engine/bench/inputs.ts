// Benchmark inputs: a folder of photos, each with `<name>.mask.png` and optionally a ground-truth mesh
// `<name>.gt.glb` (glTF y-up like our exports, any scale: shape metrics normalise each mesh), and/or
// sample folders as in resources/samples: `<name>/photo.*`, `<name>/mask.png`, optional `<name>/gt.glb`.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { NodeIO } from '@gltf-transform/core';
import { UserError } from '../errors.ts';
import type { Mesh } from '../stages/decode.ts';

export type BenchInput = { name: string; image: string; mask: string; truth?: Mesh };

const PHOTO = /^(.*)\.(png|jpe?g|webp|tiff?)$/i;

export async function readInputs(dir: string, zUpToYUp: Matrix3): Promise<BenchInput[]> {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    throw new UserError(`--inputs ${dir}: folder not found`);
  }
  const inputs: BenchInput[] = [];
  for (const file of files.sort()) {
    const sub = path.join(dir, file);
    if (statSync(sub).isDirectory()) {
      const inner = readdirSync(sub);
      const photo = inner.find((f) => /^(photo|image)\.(png|jpe?g|webp|tiff?)$/i.test(f));
      if (!photo || !inner.includes('mask.png')) continue;
      inputs.push({
        name: file,
        image: path.join(sub, photo),
        mask: path.join(sub, 'mask.png'),
        truth: inner.includes('gt.glb') ? await readGlbMesh(path.join(sub, 'gt.glb'), zUpToYUp) : undefined,
      });
      continue;
    }
    const m = PHOTO.exec(file);
    if (!m || /\.(mask|gt)$/i.test(m[1])) continue;
    const mask = files.find((f) => f.toLowerCase() === `${m[1].toLowerCase()}.mask.png`);
    if (!mask) continue;
    const gt = files.find((f) => f.toLowerCase() === `${m[1].toLowerCase()}.gt.glb`);
    inputs.push({
      name: m[1],
      image: path.join(dir, file),
      mask: path.join(dir, mask),
      truth: gt ? await readGlbMesh(path.join(dir, gt), zUpToYUp) : undefined,
    });
  }
  if (!inputs.length)
    throw new UserError(
      `--inputs ${dir}: no photo with a matching <name>.mask.png, and no <name>/photo.* + <name>/mask.png folder`,
    );
  return inputs;
}

type Matrix3 = [[number, number, number], [number, number, number], [number, number, number]];

/** First primitive of a GLB as a plain mesh in the engine's canonical z-up frame. */
export async function readGlbMesh(file: string, zUpToYUp: Matrix3): Promise<Mesh> {
  const doc = await new NodeIO().read(file);
  const prim = doc.getRoot().listMeshes()[0]?.listPrimitives()[0];
  const pos = prim?.getAttribute('POSITION')?.getArray();
  if (!prim || !pos) throw new UserError(`${file}: no mesh with positions`);
  const idx = prim.getIndices()?.getArray();
  const faces = idx ? Uint32Array.from(idx) : Uint32Array.from({ length: pos.length / 3 }, (_, i) => i);
  // Exports apply v·M; undo it with v·Mᵀ (M is a rotation).
  const v = new Float32Array(pos.length);
  for (let i = 0; i < pos.length; i += 3) {
    for (let c = 0; c < 3; c++)
      v[i + c] = pos[i] * zUpToYUp[c][0] + pos[i + 1] * zUpToYUp[c][1] + pos[i + 2] * zUpToYUp[c][2];
  }
  return { vertices: v, faces, colors: new Float32Array(pos.length) };
}
