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
const N8X = Int8Array.from(N8, ([dx]) => dx);
const N8Y = Int8Array.from(N8, ([, dy]) => dy);
const N8L = Float64Array.from(N8, ([dx, dy]) => (dx !== 0 && dy !== 0 ? Math.SQRT2 : 1));

/**
 * Keeps the 8-connected components of `mask` (1 = on) that contain at least one of `seeds` (pixel
 * indices). Returns a new mask.
 */
export function keepComponentsWith(
  mask: Uint8Array,
  w: number,
  h: number,
  seeds: number[],
  four = false,
): Uint8Array {
  const nb = four ? N4 : N8;
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
      for (const [dx, dy] of nb) {
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
  rgb: Pixels3,
  w: number,
  h: number,
  cx: number,
  cy: number,
  radius: number,
  tol: number,
  blocked?: Uint8Array,
): number[] {
  const [r0, g0, b0] = mean3x3(rgb, w, h, cx, cy);
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

/** A 3-channel pixel array (RGB bytes, or the segmenter's perceptual features). */
export type Pixels3 = ArrayLike<number>;

/**
 * Splits `fg` between positive and negative seeds by geodesic distance (see geodesicCompete): pixels
 * of `fg` nearer a negative seed are removed. The domain is fg ∪ negative seeds. Returns a new mask.
 */
export function geodesicSplit(
  fg: Uint8Array,
  px: Pixels3,
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
  const label = geodesicCompete(px, w, h, domain, posSeeds, negSeeds, beta);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = fg[i] && label[i] !== -1 ? 1 : 0;
  return out;
}

/**
 * Geodesic competition between positive and negative seeds inside `domain` (1 = walkable): each
 * pixel goes to the nearest seed, where a step costs its length times 1 + (colour difference / σ)²,
 * σ = `beta` × the median step difference in the domain (at least 1). The quadratic term makes a
 * colour edge cost far more than any walk inside a region, smooth shading included (many small
 * steps), so the boundary between the two labels follows the strongest edges between the seeds and
 * falls half-way only where there is none. With `edges` (see edgeMap), entering an edge pixel costs
 * `edgeCost` more: a contour blurred over several pixels, whose steps are each small, still costs
 * that much per pixel of its width. Where a pixel is both a positive and a negative seed, it is
 * positive. Returns per pixel 1 (positive), -1 (negative) or 0 (unreached).
 */
export function geodesicCompete(
  px: Pixels3,
  w: number,
  h: number,
  domain: Uint8Array,
  posSeeds: number[],
  negSeeds: number[],
  beta: number,
  edges?: Uint8Array,
  edgeCost = 0,
): Int8Array {
  const n = w * h;
  const colourStep = (p: number, q: number) => {
    const a = p * 3;
    const b = q * 3;
    return Math.sqrt((px[a] - px[b]) ** 2 + (px[a + 1] - px[b + 1]) ** 2 + (px[a + 2] - px[b + 2]) ** 2);
  };
  // Median colour step between 4-neighbours inside the domain (histogram of values rounded to 1/4).
  const hist = new Float64Array(4 * 443 + 1);
  let steps = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      if (!domain[p]) continue;
      if (x + 1 < w && domain[p + 1]) {
        hist[Math.min(hist.length - 1, Math.round(4 * colourStep(p, p + 1)))]++;
        steps++;
      }
      if (y + 1 < h && domain[p + w]) {
        hist[Math.min(hist.length - 1, Math.round(4 * colourStep(p, p + w)))]++;
        steps++;
      }
    }
  let median = 0;
  for (let acc = 0; median < hist.length - 1 && (acc += hist[median]) < steps / 2;) median++;
  const sigma = Math.max(1, (beta * median) / 4);
  const dist = new Float64Array(n).fill(Infinity);
  const label = new Int8Array(n); // 1 positive, -1 negative, 0 unreached
  const heap = new MinHeap(n);
  // Negative seeds first: where a pixel is both, the later (positive) assignment wins.
  for (const p of negSeeds) {
    if (!domain[p]) continue;
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
  const inv2 = 1 / (sigma * sigma);
  while (heap.size > 0) {
    const p = heap.pop();
    if (done[p]) continue;
    done[p] = 1;
    const x = p % w;
    const y = (p - x) / w;
    const dp = dist[p];
    const a = p * 3;
    for (let k = 0; k < 8; k++) {
      const dx = N8X[k];
      const dy = N8Y[k];
      const nx = x + dx;
      const ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
      const q = ny * w + nx;
      if (!domain[q] || done[q]) continue;
      const b = q * 3;
      const d0 = px[a] - px[b];
      const d1 = px[a + 1] - px[b + 1];
      const d2 = px[a + 2] - px[b + 2];
      let nd = dp + N8L[k] * (1 + (d0 * d0 + d1 * d1 + d2 * d2) * inv2);
      // A diagonal step must not slip between two edge pixels of a thin diagonal contour.
      if (edges && (edges[q] || (k >= 4 && (edges[y * w + nx] || edges[ny * w + x])))) nd += edgeCost;
      if (nd < dist[q]) {
        dist[q] = nd;
        label[q] = label[p];
        heap.push(q, nd);
      }
    }
  }
  return label;
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

/**
 * Edge pixels: those whose colour gradient (central differences of the 3×3 box-smoothed colours,
 * which tames noise and JPEG blocks) exceeds `edgeTol` per pixel. A smooth shading ramp has none; a
 * contour is a band of them even where it is anti-aliased or slightly blurred. Returns a 0/1 mask.
 */
export function edgeMap(px: Pixels3, w: number, h: number, edgeTol: number): Uint8Array {
  const sm = boxSmooth3(px, w, h);
  // Squared gradient magnitude ×4 (central differences without the halving), against (2·tol)².
  const lim = 4 * edgeTol * edgeTol;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const l = (y * w + Math.max(0, x - 1)) * 3;
      const r = (y * w + Math.min(w - 1, x + 1)) * 3;
      const u = (Math.max(0, y - 1) * w + x) * 3;
      const d = (Math.min(h - 1, y + 1) * w + x) * 3;
      let g = 0;
      for (let c = 0; c < 3; c++) g += (sm[r + c] - sm[l + c]) ** 2 + (sm[d + c] - sm[u + c]) ** 2;
      out[y * w + x] = g > lim ? 1 : 0;
    }
  return out;
}

/**
 * Texture elements: the non-edge pixels (see edgeMap) of smooth regions too thin to be objects of
 * their own — 4-connected non-edge components in which no pixel is farther than `maxRadius` from an
 * edge pixel (chamfer 3-4 distance). A stripe or a dot of a pattern is one; a plain box is not.
 * Returns a 0/1 mask.
 */
export function thinRegions(edges: Uint8Array, w: number, h: number, maxRadius: number): Uint8Array {
  const n = w * h;
  // Chamfer distance (×3) to the nearest edge pixel, two passes.
  const BIG = 1 << 29;
  const d = new Int32Array(n);
  for (let i = 0; i < n; i++) d[i] = edges[i] ? 0 : BIG;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      let v = d[i];
      if (x > 0) v = Math.min(v, d[i - 1] + 3);
      if (y > 0) {
        v = Math.min(v, d[i - w] + 3);
        if (x > 0) v = Math.min(v, d[i - w - 1] + 4);
        if (x < w - 1) v = Math.min(v, d[i - w + 1] + 4);
      }
      d[i] = v;
    }
  for (let y = h - 1; y >= 0; y--)
    for (let x = w - 1; x >= 0; x--) {
      const i = y * w + x;
      let v = d[i];
      if (x < w - 1) v = Math.min(v, d[i + 1] + 3);
      if (y < h - 1) {
        v = Math.min(v, d[i + w] + 3);
        if (x < w - 1) v = Math.min(v, d[i + w + 1] + 4);
        if (x > 0) v = Math.min(v, d[i + w - 1] + 4);
      }
      d[i] = v;
    }
  const out = new Uint8Array(n);
  const comp = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const members: number[] = [];
  const lim = 3 * maxRadius;
  for (let s = 0; s < n; s++) {
    if (edges[s] || comp[s] >= 0) continue;
    let top = 0;
    stack[top++] = s;
    comp[s] = s;
    members.length = 0;
    let deepest = 0;
    while (top > 0) {
      const p = stack[--top];
      members.push(p);
      if (d[p] > deepest) deepest = d[p];
      const x = p % w;
      const y = (p - x) / w;
      for (const [dx, dy] of N4) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        const q = ny * w + nx;
        if (edges[q] || comp[q] >= 0) continue;
        comp[q] = s;
        stack[top++] = q;
      }
    }
    if (deepest <= lim) for (const p of members) out[p] = 1;
  }
  return out;
}

/**
 * Region growing with edge stops: the pixels 4-connected to `seeds` through non-edge pixels (see
 * edgeMap; a neighbour-step test instead would leak along a curved, blended contour). `blocked`
 * pixels are never entered. Returns a 0/1 mask.
 */
export function floodToEdges(
  edges: Uint8Array,
  w: number,
  h: number,
  seeds: number[],
  blocked?: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  let top = 0;
  for (const s of seeds)
    if (!out[s]) {
      out[s] = 1;
      stack[top++] = s;
    }
  while (top > 0) {
    const p = stack[--top];
    const x = p % w;
    const y = (p - x) / w;
    for (const [dx, dy] of N4) {
      const nx = x + dx;
      const ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
      const q = ny * w + nx;
      if (out[q] || blocked?.[q] || edges[q]) continue;
      out[q] = 1;
      stack[top++] = q;
    }
  }
  return out;
}

/** Mean colour of the 3×3 window around (x, y), clipped at the border. */
function mean3x3(px: Pixels3, w: number, h: number, x: number, y: number): [number, number, number] {
  let r = 0;
  let g = 0;
  let b = 0;
  let n = 0;
  for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++)
    for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
      const q = (yy * w + xx) * 3;
      r += px[q];
      g += px[q + 1];
      b += px[q + 2];
      n++;
    }
  return [r / n, g / n, b / n];
}

/** 3×3 box mean of a 3-channel image (the window is clipped at the border). */
export function boxSmooth3(px: Pixels3, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      out.set(mean3x3(px, w, h, x, y), (y * w + x) * 3);
    }
  return out;
}

/** Square dilation by `r` pixels (separable max; outside the image counts as unset). Returns a new mask. */
export function dilate(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const tmp = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r) && !v; xx++) v = mask[y * w + xx];
      tmp[y * w + x] = v;
    }
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r) && !v; yy++) v = tmp[yy * w + x];
      out[y * w + x] = v;
    }
  return out;
}

/** Square erosion by `r` pixels (separable min; outside the image counts as set). Returns a new mask. */
export function erode(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
  return dilate(
    mask.map((v) => (v ? 0 : 1)),
    w,
    h,
    r,
  ).map((v) => 1 - v);
}
