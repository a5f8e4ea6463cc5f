"""Host-built sparse structures, written as plainly as possible: this is the reference the TS
builders are checked against (docs/pack-format.md, "Host-built structures")."""
import itertools

import numpy as np

OFFSETS = [(dx, dy, dz) for dx in (-1, 0, 1) for dy in (-1, 0, 1) for dz in (-1, 0, 1)]  # k=(dx+1)*9+(dy+1)*3+(dz+1)
CHILD = list(itertools.product((0, 1), repeat=3))  # child o = 4a+2b+c


def sort_coords(coords):
    """Lexicographic (x,y,z) order: the row order of every stage-2 tensor."""
    c = np.asarray(coords, dtype=np.int64).reshape(-1, 3)
    return c[np.lexsort((c[:, 2], c[:, 1], c[:, 0]))]


def occupancy_to_coords(logits, threshold=0.0):
    """argwhere(logit > threshold) on an (X,Y,Z) grid, sorted by (x,y,z)."""
    return sort_coords(np.argwhere(np.asarray(logits) > threshold)).astype(np.int32)


def prune_interior(coords, res):
    """Drop voxels whose full 3x3x3 box (itself included, zero padding) is occupied."""
    occ = set(map(tuple, np.asarray(coords).tolist()))
    keep = []
    for c in np.asarray(coords).tolist():
        full = all((c[0] + d[0], c[1] + d[1], c[2] + d[2]) in occ for d in OFFSETS)
        if not full:
            keep.append(c)
    return np.asarray(keep, dtype=np.int32).reshape(-1, 3)


def downsample_coords(coords):
    """Reference 1.8 downsample (only when N > maxVoxels): per-axis remap to half the extent,
    round-half-even, clamp, sorted unique."""
    c = np.asarray(coords, dtype=np.float64)
    cmin, cmax = c.min(0), c.max(0)
    size = cmax - cmin + 1
    target = size / 2
    tmin = cmin + (size - target) / 2
    tmax = tmin + target - 1
    span = np.where(cmax > cmin, cmax - cmin, 1.0)
    out = np.round((c - cmin) / span * (target - 1) + tmin)  # numpy rounds half to even
    out = np.clip(out, np.trunc(tmin), np.trunc(tmax)).astype(np.int64)
    return sort_coords(np.unique(out, axis=0)).astype(np.int32)


def neighbour_map(coords):
    """(N,27) int32: index of c_i + delta_k or the sentinel N."""
    coords = np.asarray(coords).tolist()
    index = {tuple(c): i for i, c in enumerate(coords)}
    n = len(coords)
    out = np.full((n, 27), n, dtype=np.int32)
    for i, c in enumerate(coords):
        for k, d in enumerate(OFFSETS):
            out[i, k] = index.get((c[0] + d[0], c[1] + d[1], c[2] + d[2]), n)
    return out


def pool(coords, include_self=True):
    """Factor-2 pooling: coarse coords (sorted unique c//2), parent (N), pool_children (M,8) in
    ascending fine index padded with sentinel N, pool_scale (M,1) = 1/(count+1) or 1/count."""
    coords = np.asarray(coords)
    n = len(coords)
    coarse = sort_coords(np.unique(coords // 2, axis=0))
    cindex = {tuple(c): m for m, c in enumerate(coarse.tolist())}
    parent = np.array([cindex[tuple(c)] for c in (coords // 2).tolist()], dtype=np.int32).reshape(n)
    children = np.full((len(coarse), 8), n, dtype=np.int32)
    counts = np.zeros(len(coarse), dtype=np.int64)
    for i in range(n):  # ascending fine index
        m = parent[i]
        children[m, counts[m]] = i
        counts[m] += 1
    scale = 1.0 / (counts + 1) if include_self else 1.0 / counts
    return coarse.astype(np.int32), parent, children, scale.astype(np.float32).reshape(-1, 1)


def windows(coords, window, shift):
    """Windowed-attention partition for one shift: idx (W,Lw) sentinel N, valid (W,Lw) bool,
    inv (N) = window*Lw + slot. Key per axis floor((c+s)/w), linearised (wx*ny+wy)*nz+wz with
    n = floor(max(c+s)/w)+1; windows by ascending key, slots by ascending voxel index."""
    c = np.asarray(coords, dtype=np.int64) + shift
    n = len(c)
    w = c // window
    nx, ny, nz = (c.max(0) // window + 1).tolist()
    keys = (w[:, 0] * ny + w[:, 1]) * nz + w[:, 2]
    groups = {}
    for i, k in enumerate(keys.tolist()):
        groups.setdefault(k, []).append(i)
    ordered = [groups[k] for k in sorted(groups)]
    lw = max(len(g) for g in ordered)
    idx = np.full((len(ordered), lw), n, dtype=np.int32)
    valid = np.zeros((len(ordered), lw), dtype=bool)
    inv = np.zeros(n, dtype=np.int32)
    for wi, members in enumerate(ordered):
        for slot, i in enumerate(members):
            idx[wi, slot] = i
            valid[wi, slot] = True
            inv[i] = wi * lw + slot
    return idx, valid, inv


def subdivide_coords(coords):
    """Child of voxel i with offset (a,b,c) is row 8i+4a+2b+c at 2c_i + (a,b,c)."""
    coords = np.asarray(coords, dtype=np.int64)
    out = (2 * coords[:, None, :] + np.array(CHILD)[None]).reshape(-1, 3)
    return out.astype(np.int32)


def subdivision_neighbours(coords, levels):
    """nbr_sub{j} for j = 1..levels: plain neighbour maps of the subdivided sets (sentinel = rows)."""
    out, c = [], np.asarray(coords)
    for _ in range(levels):
        c = subdivide_coords(c)
        out.append(neighbour_map(c))
    return out


def slat_structures(coords, include_self=True):
    """All index inputs of slat_denoiser for a voxel set."""
    coarse, parent, children, scale = pool(coords, include_self)
    return {
        "nbr": neighbour_map(coords),
        "pool_children": children,
        "pool_scale": scale,
        "parent": parent,
        "nbr_coarse": neighbour_map(coarse),
        "coords_coarse": coarse,
    }


def decoder_structures(coords, window, shifts, subdivisions=0):
    """All index inputs of mesh_decoder (gs_decoder: subdivisions=0) beyond feats."""
    out = {"coords": np.asarray(coords, dtype=np.int32)}
    for i, s in enumerate(shifts):
        idx, valid, inv = windows(coords, window, s)
        out[f"win{i}_idx"], out[f"win{i}_valid"], out[f"win{i}_inv"] = idx, valid, inv
    for j, nbr in enumerate(subdivision_neighbours(coords, subdivisions), start=1):
        out[f"nbr_sub{j}"] = nbr
    return out
