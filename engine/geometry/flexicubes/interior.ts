// Which grid vertices count as outside the object. The decoder predicts sdf only on a band of cubes around
// the surface and the reference gives every other vertex sdf +1, so the band's inner side becomes a second,
// hidden surface; where the band has a gap, or the decoder says "outside" across its whole thickness, the
// visible surface opens into that hidden one (and a small model also predicts "outside" layers inside the
// band: more hidden surfaces). Rule here:
//  1. close the active cubes (dilate by `seal`, flood from beyond the grid, grow the flood back by `seal`):
//     cubes the flood misses are enclosed; a vertex whose 8 cubes are all enclosed is inside;
//  2. a vertex is outside when it is positive, not inside by 1, and connected to beyond the grid through
//     such vertices (6-connected). Everything else is inside.
// The mesh is then the outer boundary of the solid: no hidden shells, holes through the band narrower than
// 2·seal cubes sealed, wider openings (a mug's mouth) kept.

/** (res+1)³ flags (index (x·N + y)·N + z, N = res + 1) of the outside vertices, given the negative ones
 *  (same indexing) and the active cubes. */
export function outsideVertices(
  negative: Uint8Array,
  coords: Int32Array,
  res: number,
  seal: number,
): Uint8Array {
  const N = res + 1;
  const active = new Uint8Array(res * res * res);
  for (let r = 0; r < coords.length; r += 3)
    active[(coords[r] * res + coords[r + 1]) * res + coords[r + 2]] = 1;
  const outsideCube = closeOutside(active, res, seal);
  // A vertex no active cube touches, whose 8 cubes are all enclosed (none outside, none off the grid).
  const walls = negative.slice();
  for (let x = 1; x < res; x++)
    for (let y = 1; y < res; y++)
      for (let z = 1; z < res; z++) {
        let enclosed = true;
        for (let c = 0; c < 8 && enclosed; c++) {
          const i = ((x - (c & 1)) * res + y - ((c >> 1) & 1)) * res + z - (c >> 2);
          enclosed = !active[i] && !outsideCube[i];
        }
        if (enclosed) walls[(x * N + y) * N + z] = 1;
      }
  return closeOutside(walls, N, 0);
}

/** Closing of `solid` on a side³ grid, returned as its outside: flood from beyond the grid through what the
 *  solid dilated by `seal` leaves free, grow the flood back by `seal`, never onto the solid. The grid is
 *  padded first, so a solid touching its faces does not wall the outside off. */
function closeOutside(solidIn: Uint8Array, sideIn: number, seal: number): Uint8Array {
  const pad = seal + 1;
  const side = sideIn + 2 * pad;
  const at = (x: number, y: number, z: number, s: number) => (x * s + y) * s + z;
  const solid = new Uint8Array(side * side * side);
  for (let x = 0; x < sideIn; x++)
    for (let y = 0; y < sideIn; y++)
      for (let z = 0; z < sideIn; z++)
        solid[at(x + pad, y + pad, z + pad, side)] = solidIn[at(x, y, z, sideIn)];
  const walls = dilate(solid, side, seal);
  const outside = new Uint8Array(solid.length);
  const queue = new Int32Array(solid.length);
  let tail = 0;
  const last = side - 1;
  const visit = (i: number) => {
    if (!walls[i] && !outside[i]) {
      outside[i] = 1;
      queue[tail++] = i;
    }
  };
  for (let a = 0; a < side; a++)
    for (let b = 0; b < side; b++) {
      visit((a * side + b) * side);
      visit((a * side + b) * side + last);
      visit(a * side * side + b);
      visit((a * side + last) * side + b);
      visit(a * side + b);
      visit((last * side + a) * side + b);
    }
  for (let head = 0; head < tail; head++) {
    const i = queue[head];
    const z = i % side,
      y = ((i - z) / side) % side,
      x = (i - z - y * side) / (side * side);
    if (x > 0) visit(i - side * side);
    if (x < last) visit(i + side * side);
    if (y > 0) visit(i - side);
    if (y < last) visit(i + side);
    if (z > 0) visit(i - 1);
    if (z < last) visit(i + 1);
  }
  const grown = dilate(outside, side, seal);
  const result = new Uint8Array(solidIn.length);
  for (let x = 0; x < sideIn; x++)
    for (let y = 0; y < sideIn; y++)
      for (let z = 0; z < sideIn; z++) {
        const i = at(x + pad, y + pad, z + pad, side);
        result[at(x, y, z, sideIn)] = grown[i] && !solid[i] ? 1 : 0;
      }
  return result;
}

/** Flags of the vertices that have a 26-neighbour with a different flag (where the surface can pass). */
export function borderVertices(flags: Uint8Array, N: number): Uint8Array {
  const set = dilate(flags, N, 1);
  const unset = dilate(
    flags.map((f) => 1 - f),
    N,
    1,
  );
  for (let i = 0; i < set.length; i++) set[i] &= unset[i];
  return set;
}

/**
 * For each lattice vertex within `depth` 6-steps of a source vertex, the nearest source's index (BFS
 * order), else −1. Seal patches lie between vertices no active cube touches, which have no colour of their
 * own; they take their nearest decoded neighbour's.
 */
export function nearestSource(sourceKeys: Int32Array, N: number, depth: number): Int32Array {
  const near = new Int32Array(N * N * N).fill(-1);
  let frontier: number[] = [];
  sourceKeys.forEach((key, i) => {
    near[key] = i;
    frontier.push(key);
  });
  for (let d = 0; d < depth && frontier.length; d++) {
    const next: number[] = [];
    for (const i of frontier) {
      const z = i % N,
        y = ((i - z) / N) % N,
        x = (i - z - y * N) / (N * N);
      const step = (j: number) => {
        if (near[j] < 0) {
          near[j] = near[i];
          next.push(j);
        }
      };
      if (x > 0) step(i - N * N);
      if (x < N - 1) step(i + N * N);
      if (y > 0) step(i - N);
      if (y < N - 1) step(i + N);
      if (z > 0) step(i - 1);
      if (z < N - 1) step(i + 1);
    }
    frontier = next;
  }
  return near;
}

/** Chebyshev dilation by r cubes: one running-window pass per axis, each line walked both ways. */
export function dilate(src: Uint8Array, res: number, r: number): Uint8Array {
  if (r <= 0) return src.slice();
  let cur = src;
  for (const [stride, startOf] of [
    [res * res, (a: number) => a],
    [res, (a: number) => Math.floor(a / res) * res * res + (a % res)],
    [1, (a: number) => a * res],
  ] as const) {
    const out = new Uint8Array(cur.length);
    for (let a = 0; a < res * res; a++) {
      const base = startOf(a);
      let seen = -Infinity; // latest set position walking forward, then backward
      for (let p = 0; p < res; p++) {
        if (cur[base + p * stride]) seen = p;
        if (p - seen <= r) out[base + p * stride] = 1;
      }
      seen = Infinity;
      for (let p = res - 1; p >= 0; p--) {
        if (cur[base + p * stride]) seen = p;
        if (seen - p <= r) out[base + p * stride] = 1;
      }
    }
    cur = out;
  }
  return cur;
}
