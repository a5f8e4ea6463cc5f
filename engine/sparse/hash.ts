// Coordinate lookup for voxel sets: coords (x,y,z) -> row index. A dense grid over the bounding box when
// it is small (every 64³ set), open addressing otherwise (256³ sets are far too sparse for a grid).

/** Linear key of a voxel on a cubic grid of side `res`: (x·res + y)·res + z. */
export function voxelKey(x: number, y: number, z: number, res: number): number {
  return (x * res + y) * res + z;
}

/** Dense grids up to this many cells (16 MB of Int32); beyond that the hash is smaller and as fast. */
const DENSE_LIMIT = 1 << 22;

export class VoxelHash {
  readonly n: number;
  private readonly minX: number;
  private readonly minY: number;
  private readonly minZ: number;
  private readonly ex: number;
  private readonly ey: number;
  private readonly ez: number;
  private readonly dense: Int32Array | null = null;
  private readonly keys: Int32Array | null = null;
  private readonly vals: Int32Array | null = null;
  private readonly shift: number = 0;
  private readonly mask: number = 0;

  /** Indexes rows 0..n-1 of `coords` (N×3). Throws on a repeated coordinate. */
  constructor(coords: Int32Array, n: number = coords.length / 3) {
    if (!Number.isInteger(n) || n < 0 || n * 3 > coords.length) {
      throw new Error(`VoxelHash: ${n} rows do not fit coords of length ${coords.length}`);
    }
    this.n = n;
    let minX = Infinity,
      minY = Infinity,
      minZ = Infinity;
    let maxX = -Infinity,
      maxY = -Infinity,
      maxZ = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = coords[3 * i],
        y = coords[3 * i + 1],
        z = coords[3 * i + 2];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      if (z < minZ) minZ = z;
      if (z > maxZ) maxZ = z;
    }
    if (n === 0) minX = minY = minZ = maxX = maxY = maxZ = 0;
    this.minX = minX;
    this.minY = minY;
    this.minZ = minZ;
    this.ex = maxX - minX + 1;
    this.ey = maxY - minY + 1;
    this.ez = maxZ - minZ + 1;
    const cells = this.ex * this.ey * this.ez;
    if (cells <= DENSE_LIMIT) {
      const dense = new Int32Array(cells).fill(-1);
      for (let i = 0; i < n; i++) {
        const key = this.localKey(coords[3 * i], coords[3 * i + 1], coords[3 * i + 2]);
        if (dense[key] !== -1) throw duplicate(coords, i);
        dense[key] = i;
      }
      this.dense = dense;
      return;
    }
    if (cells > 0x7fffffff) throw new Error(`VoxelHash: bounding box of ${cells} cells exceeds int32 keys`);
    let bits = 4;
    while (1 << bits < 2 * n) bits++;
    const keys = new Int32Array(1 << bits).fill(-1);
    const vals = new Int32Array(1 << bits);
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
    for (let i = 0; i < n; i++) {
      const key = this.localKey(coords[3 * i], coords[3 * i + 1], coords[3 * i + 2]);
      let h = Math.imul(key, 0x9e3779b1) >>> this.shift;
      while (keys[h] !== -1) {
        if (keys[h] === key) throw duplicate(coords, i);
        h = (h + 1) & this.mask;
      }
      keys[h] = key;
      vals[h] = i;
    }
    this.keys = keys;
    this.vals = vals;
  }

  private localKey(x: number, y: number, z: number): number {
    return ((x - this.minX) * this.ey + (y - this.minY)) * this.ez + (z - this.minZ);
  }

  /** Row index of voxel (x,y,z), or -1 when it is not in the set. */
  get(x: number, y: number, z: number): number {
    const lx = x - this.minX,
      ly = y - this.minY,
      lz = z - this.minZ;
    if (lx < 0 || ly < 0 || lz < 0 || lx >= this.ex || ly >= this.ey || lz >= this.ez) return -1;
    const key = (lx * this.ey + ly) * this.ez + lz;
    if (this.dense) return this.dense[key];
    const keys = this.keys!;
    let h = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = keys[h];
      if (k === key) return this.vals![h];
      if (k === -1) return -1;
      h = (h + 1) & this.mask;
    }
  }
}

function duplicate(coords: Int32Array, i: number): Error {
  return new Error(
    `VoxelHash: voxel (${coords[3 * i]}, ${coords[3 * i + 1]}, ${coords[3 * i + 2]}) appears twice (row ${i})`,
  );
}
