// Benchmark inputs: a folder of photos, each with `<name>.mask.png` and optionally a ground-truth mesh
// `<name>.gt.glb` (canonical frame, any scale: shape metrics normalise each mesh).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { NodeIO } from '@gltf-transform/core';
import { UserError } from '../errors.ts';
import type { Mesh } from '../stages/decode.ts';

export type BenchInput = { name: string; image: string; mask: string; truth?: Mesh };

const PHOTO = /^(.*)\.(png|jpe?g|webp|tiff?)$/i;

export async function readInputs(dir: string): Promise<BenchInput[]> {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    throw new UserError(`--inputs ${dir}: folder not found`);
  }
  const inputs: BenchInput[] = [];
  for (const file of files.sort()) {
    const m = PHOTO.exec(file);
    if (!m || /\.(mask|gt)$/i.test(m[1])) continue;
    const mask = files.find((f) => f.toLowerCase() === `${m[1].toLowerCase()}.mask.png`);
    if (!mask) continue;
    const gt = files.find((f) => f.toLowerCase() === `${m[1].toLowerCase()}.gt.glb`);
    inputs.push({
      name: m[1],
      image: path.join(dir, file),
      mask: path.join(dir, mask),
      truth: gt ? await readGlbMesh(path.join(dir, gt)) : undefined,
    });
  }
  if (!inputs.length) throw new UserError(`--inputs ${dir}: no photo with a matching <name>.mask.png`);
  return inputs;
}

/** First primitive of a GLB as a plain mesh (positions and triangle indices). */
export async function readGlbMesh(file: string): Promise<Mesh> {
  const doc = await new NodeIO().read(file);
  const prim = doc.getRoot().listMeshes()[0]?.listPrimitives()[0];
  const pos = prim?.getAttribute('POSITION')?.getArray();
  if (!prim || !pos) throw new UserError(`${file}: no mesh with positions`);
  const idx = prim.getIndices()?.getArray();
  const faces = idx ? Uint32Array.from(idx) : Uint32Array.from({ length: pos.length / 3 }, (_, i) => i);
  return { vertices: Float32Array.from(pos), faces, colors: new Float32Array(pos.length) };
}
