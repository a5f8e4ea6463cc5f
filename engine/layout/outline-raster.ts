// Silhouettes of one mesh under many poses, for the layout fit. A closed mesh's silhouette is the union of
// its faces of one orientation (every ray through it enters through such a face). How many of those faces
// cover a pixel centre is the winding number, about that centre, of the boundary of the set of those faces:
// the edges they do not share with each other. So each render only draws that outline (a few thousand
// edges) as signed crossings per pixel row, then sums each row: on a photo-resolution mesh this is several
// times cheaper than filling every triangle, most of which lie behind another.
import type { PinholeCamera } from '../metrics/silhouette.ts';

export class OutlineRaster {
  private readonly faces: Uint32Array;
  private readonly vertexCount: number;
  /** Per face-edge (3 per face): the undirected edge it lies on, and +1/−1 for its direction along it. */
  private readonly edgeOf: Int32Array;
  private readonly dirOf: Int8Array;
  /** Endpoints of each undirected edge, lower vertex index first. */
  private readonly ends: Uint32Array;

  constructor(faces: ArrayLike<number>, vertexCount: number) {
    this.faces = Uint32Array.from(faces);
    this.vertexCount = vertexCount;
    const n = this.faces.length;
    this.edgeOf = new Int32Array(n);
    this.dirOf = new Int8Array(n);
    // Open addressing on the (low, high) vertex pair.
    let bits = 4;
    while (1 << bits < 2 * n) bits++;
    const mask = (1 << bits) - 1;
    const slotLo = new Int32Array(1 << bits).fill(-1);
    const slotHi = new Int32Array(1 << bits);
    const slotEdge = new Int32Array(1 << bits);
    const ends = new Uint32Array(2 * n);
    let edges = 0;
    const f = this.faces;
    for (let k = 0; k < n; k++) {
      const u = f[k],
        v = f[k % 3 === 2 ? k - 2 : k + 1];
      if (u >= vertexCount || v >= vertexCount)
        throw new RangeError(`face ${(k / 3) | 0} names vertex ${Math.max(u, v)} of ${vertexCount}`);
      const lo = u < v ? u : v,
        hi = u < v ? v : u;
      let h = (Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi, 0x85ebca6b)) & mask;
      while (slotLo[h] !== -1 && !(slotLo[h] === lo && slotHi[h] === hi)) h = (h + 1) & mask;
      if (slotLo[h] === -1) {
        slotLo[h] = lo;
        slotHi[h] = hi;
        slotEdge[h] = edges;
        ends[2 * edges] = lo;
        ends[2 * edges + 1] = hi;
        edges++;
      }
      this.edgeOf[k] = slotEdge[h];
      this.dirOf[k] = u < v ? 1 : -1;
    }
    this.ends = ends.slice(0, 2 * edges);
  }

  /**
   * H×W mask, 1 where a pixel centre lies inside the projection of a face with positive signed area (one
   * orientation: for a closed mesh, its whole silhouette, pixel for pixel what rasterizeSilhouette draws).
   * `cameraVertices` V×3 in the camera frame; faces with a vertex at z ≤ 1e-6 count as not drawn.
   */
  render(cameraVertices: ArrayLike<number>, cam: PinholeCamera): Uint8Array {
    if (cameraVertices.length !== 3 * this.vertexCount)
      throw new RangeError(`expected ${this.vertexCount} vertices, got ${cameraVertices.length / 3}`);
    const { width: W, height: H } = cam;
    const V = this.vertexCount;
    const u = new Float64Array(V),
      v = new Float64Array(V),
      inFront = new Uint8Array(V);
    for (let i = 0; i < V; i++) {
      const z = cameraVertices[3 * i + 2];
      u[i] = cam.cx - (cam.fx * cameraVertices[3 * i]) / z;
      v[i] = cam.cy - (cam.fy * cameraVertices[3 * i + 1]) / z;
      inFront[i] = z > 1e-6 ? 1 : 0;
    }
    // Net multiplicity of each edge in the boundary of the drawn faces (shared edges cancel).
    const net = new Int32Array(this.ends.length / 2);
    const { faces: f, edgeOf, dirOf, ends } = this;
    for (let k = 0; k < f.length; k += 3) {
      const a = f[k],
        b = f[k + 1],
        c = f[k + 2];
      if (!(inFront[a] & inFront[b] & inFront[c])) continue;
      const area = (u[b] - u[a]) * (v[c] - v[a]) - (v[b] - v[a]) * (u[c] - u[a]);
      if (!(area > 0)) continue;
      net[edgeOf[k]] += dirOf[k];
      net[edgeOf[k + 1]] += dirOf[k + 1];
      net[edgeOf[k + 2]] += dirOf[k + 2];
    }
    // Signed crossings: an edge crossing the centre line of row j (half-open in y, so a vertex on the line
    // counts once) changes the winding for the pixels whose centre is at or right of the crossing.
    const stride = W + 1;
    const delta = new Int32Array(H * stride);
    for (let e = 0; e < net.length; e++) {
      const m = net[e];
      if (m === 0) continue;
      const p = ends[2 * e],
        q = ends[2 * e + 1];
      const down = v[p] <= v[q];
      const x0 = down ? u[p] : u[q],
        y0 = down ? v[p] : v[q],
        x1 = down ? u[q] : u[p],
        y1 = down ? v[q] : v[p],
        w = down ? m : -m;
      const j0 = Math.max(0, Math.ceil(y0 - 0.5)),
        j1 = Math.min(H - 1, Math.ceil(y1 - 0.5) - 1);
      const slope = (x1 - x0) / (y1 - y0);
      for (let j = j0; j <= j1; j++) {
        const x = x0 + (j + 0.5 - y0) * slope;
        const i = Math.min(W, Math.max(0, Math.ceil(x - 0.5)));
        delta[j * stride + i] += w;
      }
    }
    const out = new Uint8Array(W * H);
    for (let j = 0; j < H; j++) {
      let wind = 0;
      for (let i = 0; i < W; i++) {
        wind += delta[j * stride + i];
        out[j * W + i] = wind !== 0 ? 1 : 0;
      }
    }
    return out;
  }
}
