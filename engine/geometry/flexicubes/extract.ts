// Sparse FlexiCubes surface extraction (architecture reference 1.12 and 3.7). Reproduces the dense
// reference (257³ vertex grid, 256³ cube grid) without allocating it: every default a missing vertex or
// cube would have in the dense grids is applied on lookup. Values that decide topology (vertex sdf signs,
// γ products) are rounded to float32 the way torch computes them, so signs and quad splits agree.
import { findInterior } from './interior.ts';
import { IntMap } from './intmap.ts';
import { CHECK_TABLE, CUBE_EDGES, DMC_TABLE, NUM_VD_TABLE } from './tables.ts';
import type { FlexiCubesInput, FlexiCubesMesh } from './types.ts';

const f32 = Math.fround;

/** Corner offsets, x-fastest. */
const CORNER = [0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1];
const EDGE_A = Int8Array.from(CUBE_EDGES, (e) => e[0]);
const EDGE_B = Int8Array.from(CUBE_EDGES, (e) => e[1]);

/**
 * For a grid edge along `axis` starting at its lower vertex, QUAD_EDGE[axis*4 + i] is the local edge index
 * inside the i-th of the 4 cubes around it, cubes taken in ascending linear index (offset −1 before 0 on
 * the slower of the two other axes, then the faster one).
 */
const QUAD_EDGE = (() => {
  const out = new Int8Array(12);
  for (let axis = 0; axis < 3; axis++) {
    const [u, v] = [0, 1, 2].filter((a) => a !== axis);
    for (let i = 0; i < 4; i++) {
      const low = [0, 0, 0];
      low[u] = i >> 1 ? 0 : 1; // cube offset −1 on u puts the edge at local coordinate 1
      low[v] = i & 1 ? 0 : 1;
      out[axis * 4 + i] = CUBE_EDGES.findIndex(([a, b]) => {
        const pa = CORNER.slice(3 * a, 3 * a + 3);
        const pb = CORNER.slice(3 * b, 3 * b + 3);
        const lo = pa[axis] < pb[axis] ? pa : pb;
        return pa[axis] !== pb[axis] && lo[0] === low[0] && lo[1] === low[1] && lo[2] === low[2];
      });
    }
  }
  return out;
})();

function checkRange(name: string, r: readonly [number, number], len: number, channels: number): void {
  if (!(r[0] >= 0 && r[1] <= channels && r[1] - r[0] === len))
    throw new Error(`flexicubes: layout.${name} [${r[0]},${r[1]}) must span ${len} of ${channels} channels`);
}

export function extractFlexiCubes(input: FlexiCubesInput): FlexiCubesMesh {
  const { coords, feats, channels: K, res, layout } = input;
  if (!Number.isInteger(res) || res < 1 || (res + 1) ** 3 > 0x7fffffff)
    throw new Error(`flexicubes: res ${res} must be an integer in [1, 1289]`);
  if (coords.length % 3 !== 0) throw new Error('flexicubes: coords length is not a multiple of 3');
  const R = coords.length / 3;
  if (feats.length !== R * K)
    throw new Error(`flexicubes: feats has ${feats.length} values, expected ${R}×${K}`);
  checkRange('sdf', layout.sdf, 8, K);
  checkRange('deform', layout.deform, 24, K);
  checkRange('beta', layout.beta, 12, K);
  checkRange('alpha', layout.alpha, 8, K);
  checkRange('gamma', layout.gamma, 1, K);
  const colorPer = (layout.color[1] - layout.color[0]) / 8;
  if (!Number.isInteger(colorPer) || colorPer < 3)
    throw new Error('flexicubes: layout.color must hold 8×C, C ≥ 3');
  checkRange('color', layout.color, 8 * colorPer, K);

  const N = res + 1;
  const NN = N * N;
  const bias = f32(input.sdfBias);
  const ws = f32(input.weightScale);
  const gammaShift = f32((1 - input.weightScale) / 2);
  const deformScale = f32((1 - 1e-8) / (2 * res));
  const sdf0 = layout.sdf[0];
  const def0 = layout.deform[0];
  const col0 = layout.color[0];

  // 1. Scatter-mean per-corner values onto grid vertices. Float32Array accumulators round every partial sum
  // like torch's float32 scatter_reduce, which walks voxels in row order.
  const vmap = new IntMap(4 * R, N * NN);
  const vKey = new Int32Array(8 * R);
  const vCount = new Int32Array(8 * R);
  const sdfAcc = new Float32Array(8 * R);
  const defAcc = new Float32Array(24 * R);
  const colAcc = new Float32Array(24 * R);
  const voxMap = new IntMap(R, res ** 3);
  let V = 0;
  for (let r = 0; r < R; r++) {
    const x = coords[3 * r];
    const y = coords[3 * r + 1];
    const z = coords[3 * r + 2];
    if (!(x >= 0 && y >= 0 && z >= 0 && x < res && y < res && z < res))
      throw new Error(`flexicubes: voxel ${r} (${x},${y},${z}) outside the ${res}³ grid`);
    voxMap.set((x * res + y) * res + z, r); // duplicates: last row wins, like a dense index_put
    const row = r * K;
    for (let j = 0; j < 8; j++) {
      const key = (x + CORNER[3 * j]) * NN + (y + CORNER[3 * j + 1]) * N + z + CORNER[3 * j + 2];
      const v = vmap.getOrInsert(key, V);
      if (v === V) vKey[V++] = key;
      vCount[v]++;
      sdfAcc[v] += f32(feats[row + sdf0 + j] + bias);
      const d = row + def0 + 3 * j;
      defAcc[3 * v] += feats[d];
      defAcc[3 * v + 1] += feats[d + 1];
      defAcc[3 * v + 2] += feats[d + 2];
      const c = row + col0 + colorPer * j;
      colAcc[3 * v] += feats[c];
      colAcc[3 * v + 1] += feats[c + 1];
      colAcc[3 * v + 2] += feats[c + 2];
    }
  }
  const vSdf = new Float32Array(V);
  const vPos = new Float64Array(3 * V);
  const vCol = new Float64Array(3 * V);
  const negVerts: number[] = [];
  for (let v = 0; v < V; v++) {
    const n = vCount[v];
    vSdf[v] = sdfAcc[v] / n;
    if (vSdf[v] < 0) negVerts.push(v);
    const key = vKey[v];
    vPos[3 * v] = Math.floor(key / NN) / res - 0.5 + deformScale * Math.tanh(f32(defAcc[3 * v] / n));
    vPos[3 * v + 1] =
      (Math.floor(key / N) % N) / res - 0.5 + deformScale * Math.tanh(f32(defAcc[3 * v + 1] / n));
    vPos[3 * v + 2] = (key % N) / res - 0.5 + deformScale * Math.tanh(f32(defAcc[3 * v + 2] / n));
    for (let a = 0; a < 3; a++) vCol[3 * v + a] = 1 / (1 + Math.exp(-f32(colAcc[3 * v + a] / n)));
  }

  // Sign of every grid vertex: the reference's (missing vertices +1) or, with sealInterior, outside only
  // where interior.ts says so (other positive vertices become −1: the enclosed region is solid).
  const interior =
    input.sealInterior === undefined
      ? null
      : findInterior(coords, res, input.sealInterior, vKey.subarray(0, V), (v) => vSdf[v] < 0);
  const sdfAt = (key: number, v: number): number => {
    const s = v >= 0 ? vSdf[v] : 1;
    return s < 0 || !interior || interior.isOutside(key) ? s : -1;
  };

  // 2. Surface cubes: those around a negative vertex (the reference's rule; with sealInterior, those around
  // an outside vertex next to an inside one). A cube's case has bit j set when corner j is negative. The
  // negative corners are kept for step 5.
  const candMap = new IntMap(8 * negVerts.length, res ** 3);
  let candKey = new Int32Array(1024);
  let nCand = 0;
  const addCubesAround = (key: number) => {
    const gx = Math.floor(key / NN);
    const gy = Math.floor(key / N) % N;
    const gz = key % N;
    for (let j = 0; j < 8; j++) {
      const cx = gx - CORNER[3 * j];
      const cy = gy - CORNER[3 * j + 1];
      const cz = gz - CORNER[3 * j + 2];
      if (cx < 0 || cy < 0 || cz < 0 || cx >= res || cy >= res || cz >= res) continue;
      const ck = (cx * res + cy) * res + cz;
      if (candMap.getOrInsert(ck, nCand) !== nCand) continue;
      if (nCand === candKey.length) {
        const k2 = new Int32Array(2 * nCand);
        k2.set(candKey);
        candKey = k2;
      }
      candKey[nCand++] = ck;
    }
  };
  if (interior) for (const key of interior.border) addCubesAround(key);
  else for (const v of negVerts) addCubesAround(vKey[v]);
  const negSeen = new IntMap(8 * negVerts.length, N * NN);
  const negKeys: number[] = [];
  const candCase = new Uint8Array(nCand);
  for (let i = 0; i < nCand; i++) {
    const ck = candKey[i];
    const cx = Math.floor(ck / (res * res));
    const cy = Math.floor(ck / res) % res;
    const cz = ck % res;
    let cs = 0;
    for (let j = 0; j < 8; j++) {
      const key = (cx + CORNER[3 * j]) * NN + (cy + CORNER[3 * j + 1]) * N + cz + CORNER[3 * j + 2];
      if (sdfAt(key, vmap.get(key)) >= 0) continue;
      cs |= 1 << j;
      if (negSeen.get(key) < 0) {
        negSeen.set(key, 1);
        negKeys.push(key);
      }
    }
    candCase[i] = cs;
  }
  // Dense reference order: cube linear index. key·256 + case stays exact in a double.
  const packed = new Float64Array(nCand);
  for (let i = 0; i < nCand; i++) packed[i] = candKey[i] * 256 + candCase[i];
  packed.sort();
  const sKey = new Int32Array(nCand);
  const sCase = new Uint8Array(nCand);
  let S = 0;
  for (let i = 0; i < nCand; i++) {
    const cs = packed[i] % 256;
    if (cs === 255 || cs === 0) continue;
    sKey[S] = (packed[i] - cs) / 256;
    sCase[S++] = cs;
  }
  const sIndex = new IntMap(S, res ** 3);
  for (let i = 0; i < S; i++) sIndex.set(sKey[i], i);

  // 3. C16/C19: switch to the complementary grouping when the cube across the ambiguous face is flagged too.
  const caseId = sCase.slice(0, S);
  for (let i = 0; i < S; i++) {
    const c = sCase[i];
    if (CHECK_TABLE[5 * c] !== 1) continue;
    const ck = sKey[i];
    const nx = Math.floor(ck / (res * res)) + CHECK_TABLE[5 * c + 1];
    const ny = (Math.floor(ck / res) % res) + CHECK_TABLE[5 * c + 2];
    const nz = (ck % res) + CHECK_TABLE[5 * c + 3];
    if (nx < 0 || ny < 0 || nz < 0 || nx >= res || ny >= res || nz >= res) continue;
    const j = sIndex.get((nx * res + ny) * res + nz);
    if (j >= 0 && CHECK_TABLE[5 * sCase[j]] === 1) caseId[i] = CHECK_TABLE[5 * c + 4];
  }

  // 4. Dual vertices, in the reference's order: grouped by dual-vertex count (1..4), then cube, then group.
  let VD = 0;
  for (let i = 0; i < S; i++) VD += NUM_VD_TABLE[caseId[i]];
  const outPos = new Float32Array(3 * VD);
  const outCol = new Float32Array(3 * VD);
  const vdGamma = new Float32Array(VD);
  const vdOf = new Int32Array(12 * S).fill(-1); // (surface cube, local edge) -> dual vertex
  const cSdf = new Float64Array(8);
  const cAlpha = new Float64Array(8);
  const cPos = new Float64Array(24);
  const cCol = new Float64Array(24);
  const beta = new Float64Array(12);
  const beta0 = layout.beta[0];
  const alpha0 = layout.alpha[0];
  const gamma0 = layout.gamma[0];
  let vd = 0;
  for (let num = 1; num <= 4; num++) {
    for (let i = 0; i < S; i++) {
      const cs = caseId[i];
      if (NUM_VD_TABLE[cs] !== num) continue;
      const ck = sKey[i];
      const row = voxMap.get(ck);
      const base = row * K;
      const cx = Math.floor(ck / (res * res));
      const cy = Math.floor(ck / res) % res;
      const cz = ck % res;
      for (let j = 0; j < 8; j++) {
        const key = (cx + CORNER[3 * j]) * NN + (cy + CORNER[3 * j + 1]) * N + cz + CORNER[3 * j + 2];
        const v = vmap.get(key);
        const ra = row >= 0 ? feats[base + alpha0 + j] : 0;
        cAlpha[j] = f32(f32(f32(Math.tanh(ra)) * ws) + 1);
        cSdf[j] = sdfAt(key, v);
        if (v >= 0) {
          for (let a = 0; a < 3; a++) {
            cPos[3 * j + a] = vPos[3 * v + a];
            cCol[3 * j + a] = vCol[3 * v + a];
          }
        } else {
          cPos[3 * j] = (cx + CORNER[3 * j]) / res - 0.5;
          cPos[3 * j + 1] = (cy + CORNER[3 * j + 1]) / res - 0.5;
          cPos[3 * j + 2] = (cz + CORNER[3 * j + 2]) / res - 0.5;
          const src = interior ? interior.colourSource(key) : -1;
          for (let a = 0; a < 3; a++) cCol[3 * j + a] = src >= 0 ? vCol[3 * src + a] : 0.5;
        }
      }
      for (let e = 0; e < 12; e++) {
        const rb = row >= 0 ? feats[base + beta0 + e] : 0;
        beta[e] = f32(f32(f32(Math.tanh(rb)) * ws) + 1);
      }
      const rg = row >= 0 ? feats[base + gamma0] : 0;
      const gamma = f32(f32(f32(1 / (1 + Math.exp(-rg))) * ws) + gammaShift);
      for (let g = 0; g < num; g++, vd++) {
        let px = 0;
        let py = 0;
        let pz = 0;
        let cr = 0;
        let cg = 0;
        let cb = 0;
        let bs = 0;
        for (let k = 0; k < 7; k++) {
          const e = DMC_TABLE[cs * 28 + g * 7 + k];
          if (e < 0) break;
          const a = EDGE_A[e];
          const b = EDGE_B[e];
          // Crossing of the α-weighted sdf along the edge: ue = (x_a·w_b − x_b·w_a)/(w_b − w_a).
          const wa = f32(cSdf[a] * cAlpha[a]);
          const wb = f32(cSdf[b] * cAlpha[b]);
          const inv = 1 / (wb - wa);
          const be = beta[e];
          px += be * (cPos[3 * a] * wb - cPos[3 * b] * wa) * inv;
          py += be * (cPos[3 * a + 1] * wb - cPos[3 * b + 1] * wa) * inv;
          pz += be * (cPos[3 * a + 2] * wb - cPos[3 * b + 2] * wa) * inv;
          cr += be * (cCol[3 * a] * wb - cCol[3 * b] * wa) * inv;
          cg += be * (cCol[3 * a + 1] * wb - cCol[3 * b + 1] * wa) * inv;
          cb += be * (cCol[3 * a + 2] * wb - cCol[3 * b + 2] * wa) * inv;
          bs += be;
          vdOf[12 * i + e] = vd;
        }
        outPos[3 * vd] = px / bs;
        outPos[3 * vd + 1] = py / bs;
        outPos[3 * vd + 2] = pz / bs;
        outCol[3 * vd] = cr / bs;
        outCol[3 * vd + 1] = cg / bs;
        outCol[3 * vd + 2] = cb / bs;
        vdGamma[vd] = gamma;
      }
    }
  }

  // 5. Quads around interior surface edges. Edges sort by (first, second) table endpoint like the
  // reference's torch.unique; y edges run from y+1 to y (corner pairs (2,0) etc.), so for one first vertex
  // the order is y (second = first−N), z (first+1), x (first+N²): sort key first·3 + {y:0, z:1, x:2}.
  const edgeKeys: number[] = [];
  const AXIS_CODE = [2, 0, 1];
  for (const key of negKeys) {
    const g = [Math.floor(key / NN), Math.floor(key / N) % N, key % N];
    for (let axis = 0; axis < 3; axis++) {
      const stride = axis === 0 ? NN : axis === 1 ? N : 1;
      for (let dir = -1; dir <= 1; dir += 2) {
        const o = g[axis] + dir;
        if (o < 0 || o > res) continue;
        const other = vmap.get(key + dir * stride);
        if (sdfAt(key + dir * stride, other) < 0) continue; // both negative: no crossing
        const lowKey = dir > 0 ? key : key - stride;
        // All 4 cubes around the edge must lie inside the grid (edge_count == 4).
        let inside = true;
        for (let a = 0; a < 3; a++) {
          if (a === axis) continue;
          if (g[a] < 1 || g[a] > res - 1) inside = false;
        }
        if (!inside) continue;
        const first = axis === 1 ? lowKey + N : lowKey;
        edgeKeys.push(first * 3 + AXIS_CODE[axis]);
      }
    }
  }
  const edges = Float64Array.from(edgeKeys).sort();
  const E = edges.length;
  const flipped = new Uint32Array(6 * E);
  const straight = new Uint32Array(6 * E);
  let nf = 0;
  let ns = 0;
  const q = [0, 0, 0, 0];
  for (let t = 0; t < E; t++) {
    const code = edges[t] % 3;
    const first = (edges[t] - code) / 3;
    const axis = code === 2 ? 0 : code === 0 ? 1 : 2;
    const lowKey = axis === 1 ? first - N : first;
    const lx = Math.floor(lowKey / NN);
    const ly = Math.floor(lowKey / N) % N;
    const lz = lowKey % N;
    const [u, w] = axis === 0 ? [1, 2] : axis === 1 ? [0, 2] : [0, 1];
    for (let i = 0; i < 4; i++) {
      const c = [lx, ly, lz];
      c[u] -= i >> 1 ? 0 : 1;
      c[w] -= i & 1 ? 0 : 1;
      const si = sIndex.get((c[0] * res + c[1]) * res + c[2]);
      const id = si >= 0 ? vdOf[12 * si + QUAD_EDGE[axis * 4 + i]] : -1;
      if (id < 0) throw new Error('flexicubes: internal error, surface edge without a dual vertex');
      q[i] = id;
    }
    const fv = vmap.get(first);
    const sFirst = sdfAt(first, fv);
    // Winding faces the positive side: [0,1,3,2] when the first endpoint is outside, else [2,3,1,0].
    const flip = sFirst > 0;
    const p0 = flip ? q[0] : q[2];
    const p1 = flip ? q[1] : q[3];
    const p2 = flip ? q[3] : q[1];
    const p3 = flip ? q[2] : q[0];
    const out = flip ? flipped : straight;
    let o = flip ? nf : ns;
    if (f32(vdGamma[p0] * vdGamma[p2]) > f32(vdGamma[p1] * vdGamma[p3])) {
      out[o++] = p0;
      out[o++] = p1;
      out[o++] = p2;
      out[o++] = p0;
      out[o++] = p2;
      out[o++] = p3;
    } else {
      out[o++] = p0;
      out[o++] = p1;
      out[o++] = p3;
      out[o++] = p3;
      out[o++] = p1;
      out[o++] = p2;
    }
    if (flip) nf = o;
    else ns = o;
  }
  const faces = new Uint32Array(nf + ns);
  faces.set(flipped.subarray(0, nf), 0);
  faces.set(straight.subarray(0, ns), nf);
  return { vertices: outPos, faces, colors: outCol };
}
