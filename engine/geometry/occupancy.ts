// Stage-1 occupancy -> voxel set: threshold, prune interior, cap the count
// (reference: sam3d_objects/pipeline/inference_utils.py; architecture notes 1.8 and 3.3).

/** argwhere(logits > threshold) over a G³ grid in C order (x,y,z): rows come out sorted lexicographically. */
export function occupiedCoords(logits: Float32Array, G: number, threshold: number): Int32Array {
  if (logits.length !== G * G * G) throw new Error(`occupiedCoords: ${logits.length} logits for G=${G}`);
  let count = 0;
  for (let i = 0; i < logits.length; i++) if (logits[i] > threshold) count++;
  const out = new Int32Array(count * 3);
  let r = 0;
  const gg = G * G;
  for (let i = 0; i < logits.length; i++) {
    if (!(logits[i] > threshold)) continue;
    out[r++] = Math.floor(i / gg);
    out[r++] = Math.floor(i / G) % G;
    out[r++] = i % G;
  }
  return out;
}

/**
 * Keep surface voxels only: drop a voxel iff all 27 cells of its 3×3×3 box (itself included) are
 * occupied, cells outside the grid counting as empty. Row order is kept.
 */
export function pruneInterior(coords: Int32Array, G: number): Int32Array {
  const n = coords.length / 3;
  const occ = new Uint8Array(G * G * G);
  for (let i = 0; i < n; i++) {
    const x = coords[3 * i],
      y = coords[3 * i + 1],
      z = coords[3 * i + 2];
    if (x < 0 || y < 0 || z < 0 || x >= G || y >= G || z >= G) {
      throw new Error(`pruneInterior: voxel (${x}, ${y}, ${z}) outside the ${G}³ grid`);
    }
    occ[(x * G + y) * G + z] = 1;
  }
  const keep = new Uint8Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const x = coords[3 * i],
      y = coords[3 * i + 1],
      z = coords[3 * i + 2];
    // A box touching the border includes an outside (empty) cell, so the voxel is surface.
    let interior = x > 0 && y > 0 && z > 0 && x < G - 1 && y < G - 1 && z < G - 1;
    for (let dx = -1; interior && dx <= 1; dx++) {
      for (let dy = -1; interior && dy <= 1; dy++) {
        const base = ((x + dx) * G + (y + dy)) * G + z;
        if (!occ[base - 1] || !occ[base] || !occ[base + 1]) interior = false;
      }
    }
    if (!interior) {
      keep[i] = 1;
      kept++;
    }
  }
  const out = new Int32Array(kept * 3);
  let r = 0;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    out[r++] = coords[3 * i];
    out[r++] = coords[3 * i + 1];
    out[r++] = coords[3 * i + 2];
  }
  return out;
}

/** torch.round: round half to even (JS Math.round rounds half up). */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const f32 = Math.fround;

/**
 * The reference's downsample_sparse_structure. With more than `maxVoxels` voxels, every axis is rescaled
 * into a centred range `factor` times smaller, in float32 arithmetic step by step as torch does it, rounded
 * half to even, clamped to [int(tmin), int(tmax)] (truncation) and made unique. If that still leaves more
 * than `maxVoxels`, a random subset of `maxVoxels` is kept using `rng` (values in [0,1)).
 *
 * Unlike the reference (its randperm subset loses the order), the result is always sorted lexicographically,
 * because stage 2 needs voxel order. downsampleFactor is `factor` when rescaled, else 1 (coords returned as is).
 */
export function capVoxels(
  coords: Int32Array,
  maxVoxels: number,
  factor: number,
  rng: () => number = Math.random,
): { coords: Int32Array; downsampleFactor: number } {
  const n = coords.length / 3;
  if (n <= maxVoxels) return { coords, downsampleFactor: 1 };

  const out = new Int32Array(n * 3);
  for (let a = 0; a < 3; a++) {
    let cmin = Infinity,
      cmax = -Infinity;
    for (let i = 0; i < n; i++) {
      const c = coords[3 * i + a];
      if (c < cmin) cmin = c;
      if (c > cmax) cmax = c;
    }
    const size = f32(f32(cmax - cmin) + 1);
    const target = f32(size / factor);
    const offset = f32(f32(size - target) / 2);
    const tmin = f32(cmin + offset);
    const tmax = f32(f32(tmin + target) - 1);
    const lo = Math.trunc(tmin),
      hi = Math.trunc(tmax);
    const span = f32(cmax - cmin);
    const scale = f32(target - 1);
    for (let i = 0; i < n; i++) {
      const norm = f32(f32(coords[3 * i + a] - cmin) / span);
      let v = roundHalfEven(f32(f32(norm * scale) + tmin));
      // 0/0 on a one-voxel-thick axis is NaN; torch's int cast then clamp lands on the bounds
      // (clamp with lo > hi yields hi), never on NaN.
      if (Number.isNaN(v)) v = lo;
      out[3 * i + a] = Math.min(Math.max(v, lo), hi);
    }
  }
  let unique = sortUniqueRows(out);
  const m = unique.length / 3;
  if (m > maxVoxels) {
    // Partial Fisher–Yates: a uniform random subset, then sorted back into voxel order.
    const perm = new Int32Array(m);
    for (let i = 0; i < m; i++) perm[i] = i;
    for (let i = 0; i < maxVoxels; i++) {
      const j = i + Math.floor(rng() * (m - i));
      const t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    const chosen = perm.subarray(0, maxVoxels).sort();
    const sub = new Int32Array(maxVoxels * 3);
    for (let i = 0; i < maxVoxels; i++) sub.set(unique.subarray(3 * chosen[i], 3 * chosen[i] + 3), 3 * i);
    unique = sub;
  }
  return { coords: unique, downsampleFactor: factor };
}

/** Rows of an N×3 int array, sorted lexicographically, duplicates removed. */
export function sortUniqueRows(coords: Int32Array): Int32Array {
  const n = coords.length / 3;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const cmp = (p: number, q: number): number =>
    coords[3 * p] - coords[3 * q] ||
    coords[3 * p + 1] - coords[3 * q + 1] ||
    coords[3 * p + 2] - coords[3 * q + 2];
  order.sort(cmp);
  const out = new Int32Array(n * 3);
  let m = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r];
    if (r > 0 && cmp(i, order[r - 1]) === 0) continue;
    out[3 * m] = coords[3 * i];
    out[3 * m + 1] = coords[3 * i + 1];
    out[3 * m + 2] = coords[3 * i + 2];
    m++;
  }
  return out.slice(0, 3 * m);
}
