"""Vectorised numpy versions of fsam3d_model.structures (same outputs, checked in selftest()), fast enough
to build every sample's structures inside the training loop."""
import numpy as np

from fsam3d_model import structures as REF

OFFSETS = np.array(REF.OFFSETS, np.int64)
CHILD = np.array(REF.CHILD, np.int64)
_B = 1 << 20  # key base: coords in [-2, 2^20 - 3]


def _keys(c):
    c = np.asarray(c, np.int64) + 2
    return (c[:, 0] * _B + c[:, 1]) * _B + c[:, 2]


def sort_coords(c):
    c = np.asarray(c, np.int64).reshape(-1, 3)
    return c[np.argsort(_keys(c), kind="stable")]


def neighbour_map(coords):
    c = np.asarray(coords, np.int64)
    n = len(c)
    k = _keys(c)
    order = np.argsort(k, kind="stable")
    ks = k[order]
    out = np.full((n, 27), n, np.int32)
    for j, d in enumerate(OFFSETS):
        q = _keys(c + d)
        pos = np.clip(np.searchsorted(ks, q), 0, n - 1)
        hit = ks[pos] == q
        out[hit, j] = order[pos[hit]]
    return out


def pool(coords, include_self=True):
    c = np.asarray(coords, np.int64)
    n = len(c)
    coarse_keys, parent = np.unique(_keys(c // 2), return_inverse=True)
    m = len(coarse_keys)
    coarse = np.zeros((m, 3), np.int64)
    coarse[parent] = c // 2
    order = np.argsort(parent, kind="stable")  # ascending fine index within each parent
    counts = np.bincount(parent, minlength=m)
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.arange(n) - start[parent[order]]
    children = np.full((m, 8), n, np.int32)
    children[parent[order], rank] = order
    scale = 1.0 / (counts + 1) if include_self else 1.0 / counts
    return coarse.astype(np.int32), parent.astype(np.int32).reshape(n), children, scale.astype(np.float32).reshape(-1, 1)


def windows(coords, window, shift):
    c = np.asarray(coords, np.int64) + shift
    n = len(c)
    w = c // window
    nx, ny, nz = (c.max(0) // window + 1).tolist()
    keys = (w[:, 0] * ny + w[:, 1]) * nz + w[:, 2]
    uk, wid = np.unique(keys, return_inverse=True)
    order = np.argsort(wid, kind="stable")
    counts = np.bincount(wid, minlength=len(uk))
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    slot = np.empty(n, np.int64)
    slot[order] = np.arange(n) - start[wid[order]]
    lw = int(counts.max())
    idx = np.full((len(uk), lw), n, np.int32)
    valid = np.zeros((len(uk), lw), bool)
    idx[wid, slot] = np.arange(n)
    valid[wid, slot] = True
    inv = (wid * lw + slot).astype(np.int32)
    return idx, valid, inv


def subdivide_coords(coords):
    c = np.asarray(coords, np.int64)
    return (2 * c[:, None, :] + CHILD[None]).reshape(-1, 3).astype(np.int32)


def slat_structures(coords, include_self=True):
    coarse, parent, children, scale = pool(coords, include_self)
    return {"nbr": neighbour_map(coords), "pool_children": children, "pool_scale": scale, "parent": parent,
            "nbr_coarse": neighbour_map(coarse), "coords_coarse": coarse}


def decoder_structures(coords, window, shifts, subdivisions=0):
    out = {"coords": np.asarray(coords, np.int32)}
    for i, s in enumerate(shifts):
        out[f"win{i}_idx"], out[f"win{i}_valid"], out[f"win{i}_inv"] = windows(coords, window, s)
    c = np.asarray(coords)
    for j in range(1, subdivisions + 1):
        c = subdivide_coords(c)
        out[f"nbr_sub{j}"] = neighbour_map(c)
    return out


def selftest(seed=0):
    rng = np.random.default_rng(seed)
    g = np.argwhere(rng.random((12, 12, 12)) < 0.3)
    coords = REF.sort_coords(g).astype(np.int32)
    a, b = slat_structures(coords), REF.slat_structures(coords)
    for k in a:
        assert np.array_equal(a[k], b[k]), k
    a, b = decoder_structures(coords, 4, [0, 2], 2), REF.decoder_structures(coords, 4, [0, 2], 2)
    for k in a:
        assert np.array_equal(a[k], b[k]), k
    print("sparse.selftest: identical to fsam3d_model.structures")


if __name__ == "__main__":
    selftest()
