// Binary-mask operations on small (working-resolution) grids: connected components, hole filling,
// colour-gated seed regions and a geodesic split between positive and negative clicks. All loops are
// plain typed-array code with fixed visiting orders, so results are deterministic.

const N4 = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
] as const;
const N8 = [...N4, [1, 1], [1, -1], [-1, 1], [-1, -1]] as const;

/**
 * Keeps the 8-connected components of `mask` (1 = on) that contain at least one of `seeds` (pixel
 * indices). Returns a new mask.
 */
export function keepComponentsWith(mask: Uint8Array, w: number, h: number, seeds: number[]): Uint8Array {
  const out = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  for (const s of seeds) {
    if (!mask[s] || out[s]) continue;
    let top = 0;
    stack[top++] = s;
    out[s] = 1;
    while (top > 0) {
      const p = stack[--top];
      const x = p % w;
      const y = (p - x) / w;
      for (const [dx, dy] of N8) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        const q = ny * w + nx;
        if (mask[q] && !out[q]) {
          out[q] = 1;
          stack[top++] = q;
        }
      }
    }
  }
  return out;
}

/**
 * Morphological closing with a 3×3 square (dilate, then erode; the border counts as background):
 * joins parts separated by a seam of one or two pixels, such as the blended line between two colours
 * of one object. Pixels in `exclude` are never added. Returns a new mask.
 */
export function closeMask(mask: Uint8Array, w: number, h: number, exclude?: Uint8Array): Uint8Array {
  const dil = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1) && !v; yy++)
        for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1) && !v; xx++) v = mask[yy * w + xx];
      dil[y * w + x] = v;
    }
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (mask[i]) {
        out[i] = 1;
        continue;
      }
      if (exclude?.[i]) continue;
      let v = 1;
      for (let yy = y - 1; yy <= y + 1 && v; yy++)
        for (let xx = x - 1; xx <= x + 1 && v; xx++)
          v = yy < 0 || xx < 0 || yy >= h || xx >= w ? 0 : dil[yy * w + xx];
      out[i] = v;
    }
  return out;
}

/**
 * Fills holes: 4-connected background regions that do not touch the border. A hole containing one of
 * `keepOpen` (pixel indices, e.g. negative clicks) stays open. Modifies and returns `mask`.
 */
export function fillHoles(mask: Uint8Array, w: number, h: number, keepOpen: number[] = []): Uint8Array {
  // Flood the background from the border and from the kept-open pixels; what is not reached is a hole.
  const reached = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  let top = 0;
  const push = (p: number) => {
    if (!mask[p] && !reached[p]) {
      reached[p] = 1;
      stack[top++] = p;
    }
  };
  for (let x = 0; x < w; x++) {
    push(x);
    push((h - 1) * w + x);
  }
  for (let y = 0; y < h; y++) {
    push(y * w);
    push(y * w + w - 1);
  }
  for (const p of keepOpen) push(p);
  while (top > 0) {
    const p = stack[--top];
    const x = p % w;
    const y = (p - x) / w;
    for (const [dx, dy] of N4) {
      const nx = x + dx;
      const ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
      push(ny * w + nx);
    }
  }
  for (let i = 0; i < mask.length; i++) if (!mask[i] && !reached[i]) mask[i] = 1;
  return mask;
}

/**
 * Pixels within `radius` of (cx, cy), 4-connected to it through pixels whose colour is within `tol`
 * (Euclidean RGB) of the reference colour (mean of the 3×3 neighbourhood of the click). The click
 * pixel is always included; `blocked` pixels are never entered. Returns pixel indices in visiting order.
 */
export function colourRegion(
  rgb: Uint8Array,
  w: number,
  h: number,
  cx: number,
  cy: number,
  radius: number,
  tol: number,
  blocked?: Uint8Array,
): number[] {
  let r0 = 0;
  let g0 = 0;
  let b0 = 0;
  let n = 0;
  for (let y = Math.max(0, cy - 1); y <= Math.min(h - 1, cy + 1); y++)
    for (let x = Math.max(0, cx - 1); x <= Math.min(w - 1, cx + 1); x++) {
      const p = (y * w + x) * 3;
      r0 += rgb[p];
      g0 += rgb[p + 1];
      b0 += rgb[p + 2];
      n++;
    }
  r0 /= n;
  g0 /= n;
  b0 /= n;
  const tol2 = tol * tol;
  const rad2 = radius * radius;
  const seen = new Uint8Array(w * h);
  const start = cy * w + cx;
  const out = [start];
  seen[start] = 1;
  for (let i = 0; i < out.length; i++) {
    const p = out[i];
    const x = p % w;
    const y = (p - x) / w;
    for (const [dx, dy] of N4) {
      const nx = x + dx;
      const ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
      if ((nx - cx) ** 2 + (ny - cy) ** 2 > rad2) continue;
      const q = ny * w + nx;
      if (seen[q] || blocked?.[q]) continue;
      seen[q] = 1;
      const c = q * 3;
      const d2 = (rgb[c] - r0) ** 2 + (rgb[c + 1] - g0) ** 2 + (rgb[c + 2] - b0) ** 2;
      if (d2 <= tol2) out.push(q);
    }
  }
  return out;
}

/**
 * Splits `fg` between positive and negative seeds by geodesic distance: each pixel of the domain
 * (fg ∪ negative seeds) goes to the nearest seed, where a step costs its length times
 * 1 + (colour difference / σ)², σ = `beta` × the median step difference in the domain (at least 1).
 * The quadratic term makes a colour edge cost far more than any walk inside a region, so the split
 * follows the edges between the seeds and falls half-way only where there is none. Pixels nearer a
 * negative seed are removed. Returns a new mask.
 */
export function geodesicSplit(
  fg: Uint8Array,
  rgb: Uint8Array,
  w: number,
  h: number,
  posSeeds: number[],
  negSeeds: number[],
  beta: number,
): Uint8Array {
  const n = w * h;
  const domain = new Uint8Array(n);
  for (let i = 0; i < n; i++) domain[i] = fg[i];
  for (const p of negSeeds) domain[p] = 1;
  const colourStep = (p: number, q: number) => {
    const a = p * 3;
    const b = q * 3;
    return Math.sqrt(
      (rgb[a] - rgb[b]) ** 2 + (rgb[a + 1] - rgb[b + 1]) ** 2 + (rgb[a + 2] - rgb[b + 2]) ** 2,
    );
  };
  // Median colour step between 4-neighbours inside the domain (histogram of rounded values).
  const hist = new Float64Array(443);
  let steps = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      if (!domain[p]) continue;
      if (x + 1 < w && domain[p + 1]) {
        hist[Math.round(colourStep(p, p + 1))]++;
        steps++;
      }
      if (y + 1 < h && domain[p + w]) {
        hist[Math.round(colourStep(p, p + w))]++;
        steps++;
      }
    }
  let median = 0;
  for (let acc = 0; median < hist.length - 1 && (acc += hist[median]) < steps / 2;) median++;
  const sigma = Math.max(1, beta * median);
  const dist = new Float64Array(n).fill(Infinity);
  const label = new Int8Array(n); // 1 positive, -1 negative, 0 unreached
  const heap = new MinHeap(n);
  // Negative seeds first: where a pixel is both, the later (positive) assignment wins.
  for (const p of negSeeds) {
    dist[p] = 0;
    label[p] = -1;
  }
  for (const p of posSeeds) {
    if (!domain[p]) continue;
    dist[p] = 0;
    label[p] = 1;
  }
  for (let p = 0; p < n; p++) if (label[p] !== 0) heap.push(p, 0);
  const done = new Uint8Array(n);
  while (heap.size > 0) {
    const p = heap.pop();
    if (done[p]) continue;
    done[p] = 1;
    const x = p % w;
    const y = (p - x) / w;
    for (const [dx, dy] of N8) {
      const nx = x + dx;
      const ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
      const q = ny * w + nx;
      if (!domain[q] || done[q]) continue;
      const r = colourStep(p, q) / sigma;
      const nd = dist[p] + (dx !== 0 && dy !== 0 ? Math.SQRT2 : 1) * (1 + r * r);
      if (nd < dist[q]) {
        dist[q] = nd;
        label[q] = label[p];
        heap.push(q, nd);
      }
    }
  }
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = fg[i] && label[i] !== -1 ? 1 : 0;
  return out;
}

/** Binary min-heap of (index, key) with lazy deletion; ties break on the smaller index. */
class MinHeap {
  private idx: Int32Array;
  private key: Float64Array;
  size = 0;
  constructor(capacity: number) {
    this.idx = new Int32Array(Math.max(16, capacity));
    this.key = new Float64Array(Math.max(16, capacity));
  }
  private less(a: number, b: number): boolean {
    const ka = this.key[a];
    const kb = this.key[b];
    return ka < kb || (ka === kb && this.idx[a] < this.idx[b]);
  }
  private swap(a: number, b: number) {
    const i = this.idx[a];
    this.idx[a] = this.idx[b];
    this.idx[b] = i;
    const k = this.key[a];
    this.key[a] = this.key[b];
    this.key[b] = k;
  }
  push(i: number, k: number) {
    if (this.size === this.idx.length) {
      const idx = new Int32Array(this.idx.length * 2);
      idx.set(this.idx);
      const key = new Float64Array(this.key.length * 2);
      key.set(this.key);
      this.idx = idx;
      this.key = key;
    }
    let c = this.size++;
    this.idx[c] = i;
    this.key[c] = k;
    while (c > 0) {
      const parent = (c - 1) >> 1;
      if (!this.less(c, parent)) break;
      this.swap(c, parent);
      c = parent;
    }
  }
  pop(): number {
    const top = this.idx[0];
    this.size--;
    if (this.size > 0) {
      this.idx[0] = this.idx[this.size];
      this.key[0] = this.key[this.size];
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        const r = l + 1;
        let m = c;
        if (l < this.size && this.less(l, m)) m = l;
        if (r < this.size && this.less(r, m)) m = r;
        if (m === c) break;
        this.swap(c, m);
        c = m;
      }
    }
    return top;
  }
}

/** Intersection over union of two 0/1 masks (1 when both are empty). */
export function maskIoU(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ? 1 : 0;
    const y = b[i] ? 1 : 0;
    inter += x & y;
    union += x | y;
  }
  return union === 0 ? 1 : inter / union;
}
