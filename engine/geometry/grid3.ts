// Small tools on dense side³ grids of cells (index (x·side + y)·side + z): 6-connected flood fill and
// breadth-first walks, Chebyshev dilation. Used by the mesh interior fill and the volumetric IoU metric.

/** Cells of a side³ grid reachable from its faces through cells that are not walls (6-connected).
 *  With a margin of free cells around what matters, the faces stand for everything beyond the grid. */
export function flood(walls: Uint8Array, side: number): Uint8Array {
  const out = new Uint8Array(walls.length);
  const seeds: number[] = [];
  const last = side - 1;
  const seed = (i: number) => {
    if (walls[i] || out[i]) return;
    out[i] = 1;
    seeds.push(i);
  };
  for (let a = 0; a < side; a++)
    for (let b = 0; b < side; b++) {
      seed((a * side + b) * side);
      seed((a * side + b) * side + last);
      seed(a * side * side + b);
      seed((a * side + last) * side + b);
      seed(a * side + b);
      seed((last * side + a) * side + b);
    }
  breadthFirst(seeds, side, (j) => {
    if (walls[j] || out[j]) return false;
    out[j] = 1;
    return true;
  });
  return out;
}

/** Breadth-first walk of a side³ grid (6-connected) from `seeds`: `enter(j, i)` says whether neighbour j of
 *  i joins the queue; the walk ends when the queue is empty or `stop(i)` holds for the next cell. */
export function breadthFirst(
  seeds: number[],
  side: number,
  enter: (j: number, i: number) => boolean,
  stop: (i: number) => boolean = () => false,
): void {
  const queue = new Int32Array(side * side * side);
  queue.set(seeds);
  let tail = seeds.length;
  const ss = side * side;
  const last = side - 1;
  for (let head = 0; head < tail; head++) {
    const i = queue[head];
    if (stop(i)) break;
    const z = i % side,
      y = ((i - z) / side) % side,
      x = (i - z - y * side) / ss;
    if (x > 0 && enter(i - ss, i)) queue[tail++] = i - ss;
    if (x < last && enter(i + ss, i)) queue[tail++] = i + ss;
    if (y > 0 && enter(i - side, i)) queue[tail++] = i - side;
    if (y < last && enter(i + side, i)) queue[tail++] = i + side;
    if (z > 0 && enter(i - 1, i)) queue[tail++] = i - 1;
    if (z < last && enter(i + 1, i)) queue[tail++] = i + 1;
  }
}

/** Chebyshev dilation by r cells on a side³ grid: one running-window pass per axis, each line walked both
 *  ways. */
export function dilate(src: Uint8Array, side: number, r: number): Uint8Array {
  if (r <= 0) return src.slice();
  let cur = src;
  const ss = side * side;
  for (let axis = 0; axis < 3; axis++) {
    const stride = axis === 0 ? ss : axis === 1 ? side : 1;
    const out = new Uint8Array(cur.length);
    for (let a = 0; a < ss; a++) {
      // Lines along the axis start at the cells whose coordinate on that axis is 0.
      const base = axis === 0 ? a : axis === 1 ? Math.floor(a / side) * ss + (a % side) : a * side;
      let seen = -Infinity;
      for (let p = 0, i = base; p < side; p++, i += stride) {
        if (cur[i]) seen = p;
        if (p - seen <= r) out[i] = 1;
      }
      seen = Infinity;
      for (let p = side - 1, i = base + p * stride; p >= 0; p--, i -= stride) {
        if (cur[i]) seen = p;
        if (seen - p <= r) out[i] = 1;
      }
    }
    cur = out;
  }
  return cur;
}
