// What the studio can offer: model packs (built in under resources/models and resources/packs, plus the
// user's folders) and
// sample photos (resources/samples/<name>/ with a photo and optionally mask.*, or loose images).
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadPack, type Pack } from '../pack/load.ts';
import type { PackInfo } from '../../renderer/src/client/api.ts';

const IMAGE_EXT = /\.(png|jpe?g|webp|tiff?|gif|avif)$/i;

export type PackEntry = PackInfo & { pack: Pack };
export type SampleEntry = { name: string; photo: string; mask: string | null };

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => path.join(dir, d.name))
      .sort();
  } catch {
    return [];
  }
}

/** Packs in built-in folders first, then the user's; a folder is a pack or a folder of packs. */
export function findPacks(
  builtInRoots: string[],
  userDirs: string[],
  warn: (m: string) => void,
): PackEntry[] {
  const out: PackEntry[] = [];
  const add = (dir: string, builtIn: boolean) => {
    let pack: Pack;
    try {
      pack = loadPack(dir);
    } catch (e) {
      warn(`skipping pack ${dir}: ${(e as Error).message}`);
      return;
    }
    const m = pack.manifest;
    const clash = out.find((p) => p.id === m.id);
    if (clash) {
      if (clash.dir !== dir) warn(`skipping pack ${dir}: id "${m.id}" is already used by ${clash.dir}`);
      return;
    }
    out.push({ id: m.id, name: m.name, dir, builtIn, description: m.description, pack });
  };
  for (const root of builtInRoots)
    for (const d of subdirs(root)) if (existsSync(path.join(d, 'manifest.json'))) add(d, true);
  for (const raw of userDirs) {
    const dir = path.resolve(raw);
    if (existsSync(path.join(dir, 'manifest.json'))) add(dir, false);
    else if (existsSync(dir) && statSync(dir).isDirectory()) {
      const inner = subdirs(dir).filter((d) => existsSync(path.join(d, 'manifest.json')));
      if (inner.length === 0) warn(`pack folder ${dir} holds no manifest.json`);
      for (const d of inner) add(d, false);
    } else warn(`pack folder ${dir} not found`);
  }
  return out;
}

export function findSamples(root: string): SampleEntry[] {
  const out: SampleEntry[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync(root).sort();
  } catch {
    return out;
  }
  for (const e of entries) {
    const full = path.join(root, e);
    if (statSync(full).isDirectory()) {
      const files = readdirSync(full)
        .filter((f) => IMAGE_EXT.test(f))
        .sort();
      const mask = files.find((f) => /^mask\./i.test(f)) ?? null;
      const photo = files.find((f) => /^(photo|image)\./i.test(f)) ?? files.find((f) => f !== mask);
      if (photo) out.push({ name: e, photo: path.join(full, photo), mask: mask && path.join(full, mask) });
    } else if (IMAGE_EXT.test(e)) {
      out.push({ name: e.replace(IMAGE_EXT, ''), photo: full, mask: null });
    }
  }
  return out;
}
