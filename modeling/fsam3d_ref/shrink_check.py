"""Checks that the mesh prior follows the voxel set: decodes the e2e voxel shell and copies of it shrunk
toward the grid centre (as Fast-SAM3D token aggregation does), and compares the meshes after per-mesh
unit-cube normalisation.

    cd modeling && /usr/bin/python3 -m fsam3d_ref.shrink_check

Shrinks (--mode): 'simple' c -> round((c - 7.5)/f + 7.5) (round half even), unique; 'published' the
engine's aggregation mapping. Stage 2 is re-run on each
voxel set with the e2e condition; prints voxel counts, bbox extent ratios, chamfer distances (all
vertices, and the outer component only) and the smallest |sdf + sdfBias|.
"""
import argparse
import os

import numpy as np
import torch

from fsam3d_model import config as C
from fsam3d_model import safetensors_io
from fsam3d_model import structures as S
from fsam3d_model.build import build_models
from fsam3d_model.export_test_pack import manifest_constants

from .flexicubes import flexicubes_mesh
from .pipeline import OUT_FILE, euler_cfg


def shrink(coords, f, res=C.SLAT_RES):
    """'simple': c -> round_half_even((c - g)/f + g), g = (res-1)/2, unique."""
    g = (res - 1) / 2
    m = np.round((coords.astype(np.float64) - g) / f + g).astype(np.int64)
    return S.sort_coords(np.unique(np.clip(m, 0, res - 1), axis=0)).astype(np.int32)


def shrink_published(coords, f, res=C.SLAT_RES):
    """'published': the engine's quantiseVoxels (engine/accelerate/spectral-aggregation-quantise.ts) with
    centre 'grid': the box [cmin, cmax] mapped linearly onto size/f voxels (float32 steps, round half
    even), then shifted by whole voxels toward where scaling about the grid centre puts it."""
    f32 = np.float32
    g = (res - 1) / 2
    out = np.empty_like(coords)
    for a in range(3):
        c = coords[:, a]
        cmin, cmax = int(c.min()), int(c.max())
        size = f32(f32(cmax - cmin) + f32(1))
        target = f32(size / f32(f))
        tmin = f32(f32(cmin) + f32(f32(size - target) / f32(2)))
        lo, hi = int(np.trunc(tmin)), int(np.trunc(f32(f32(tmin + target) - f32(1))))
        span, scale = f32(cmax - cmin), f32(target - f32(1))
        with np.errstate(invalid="ignore", divide="ignore"):
            v = np.round(((c.astype(f32) - f32(cmin)) / span * scale + tmin).astype(f32))
        v = np.where(np.isnan(v), lo, v)
        v = np.clip(v, lo, hi).astype(np.int64)
        want = g + ((cmin + cmax) / 2 - g) / f
        shift = int(np.round(want - (v.min() + v.max()) / 2))
        out[:, a] = v + min(max(shift, -v.min()), res - 1 - v.max())
    return S.sort_coords(np.unique(out, axis=0)).astype(np.int32)


def decode(models, man, coords, slat_cond, seed):
    sl, dec, mesh = man["slat"], man["decoder"], man["decoder"]["mesh"]
    st = {k: torch.from_numpy(v) for k, v in S.slat_structures(coords, sl["poolMeanIncludeSelf"]).items()}

    def net(x, T, cond):
        with torch.no_grad():
            return {"x": models["slat_denoiser"](x["x"], T, cond, **st)}

    rng = np.random.default_rng(seed)
    noise = torch.from_numpy(rng.standard_normal((1, len(coords), sl["latentChannels"])).astype(np.float32))
    x, _ = euler_cfg(net, {"x": noise}, sl["sampler"], slat_cond, torch.zeros(1, 1, C.COND_DIM))
    feats = x["x"][0] * torch.tensor(sl["std"]) + torch.tensor(sl["mean"])
    ds = {k: torch.from_numpy(v) for k, v in
          S.decoder_structures(coords, dec["window"], dec["shifts"], dec["subdivisions"]).items()}
    with torch.no_grad():
        cube = models["mesh_decoder"](feats, **ds)
    fine = coords
    for _ in range(dec["subdivisions"]):
        fine = S.subdivide_coords(fine)
    a, b = mesh["layout"]["sdf"]
    margin = float((cube[:, a:b] + mesh["sdfBias"]).abs().min())
    v, fc, _ = flexicubes_mesh(torch.from_numpy(fine).long(), cube, mesh["res"], mesh["sdfBias"],
                               mesh["weightScale"], mesh["layout"])
    return v.double().numpy(), fc.numpy(), margin


def components(nv, faces):
    parent = np.arange(nv)

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b, c in faces:
        for x, y in ((a, b), (b, c)):
            rx, ry = find(x), find(y)
            if rx != ry:
                parent[rx] = ry
    return np.array([find(i) for i in range(nv)])


def outer(v, faces):
    lab = components(len(v), faces)
    best = max(np.unique(lab), key=lambda l: np.ptp(v[lab == l], axis=0).prod())
    return v[lab == best], len(np.unique(lab))


def normalise(v):
    lo, hi = v.min(0), v.max(0)
    return (v - (lo + hi) / 2) / (hi - lo).max()


def chamfer(a, b):
    def nn(x, y):
        out = np.empty(len(x))
        for i in range(0, len(x), 2048):
            out[i:i + 2048] = np.sqrt(((x[i:i + 2048, None, :] - y[None]) ** 2).sum(-1)).min(1)
        return out
    return 0.5 * (nn(a, b).mean() + nn(b, a).mean())


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--e2e", default=OUT_FILE)
    ap.add_argument("--factors", default="1.25,1.5,2")
    ap.add_argument("--mode", choices=["simple", "published"], default="simple")
    args = ap.parse_args()
    ref = safetensors_io.load(args.e2e)
    coords = ref["ss.coords"]
    slat_cond = torch.from_numpy(ref["slat.cond"])
    models = build_models()
    man = manifest_constants()
    v0, f0, m0 = decode(models, man, coords, slat_cond, 1)
    o0, n0 = outer(v0, f0)
    ext0 = np.ptp(v0, axis=0)
    print(f"f=1: N={len(coords)}, {len(v0)} verts, {len(f0)} faces, {n0} components, bbox {np.round(ext0, 4)}, "
          f"min|sdf+bias| {m0:.2e}")
    for f in [float(x) for x in args.factors.split(",")]:
        c = (shrink if args.mode == "simple" else shrink_published)(coords, f)
        vox = chamfer(normalise(c + 0.5), normalise(coords + 0.5))
        v, fc, m = decode(models, man, c, slat_cond, 1)
        o, n = outer(v, fc)
        ext = np.ptp(v, axis=0)
        print(f"f={f}: N={len(c)}, {len(v)} verts, {len(fc)} faces, {n} components, bbox {np.round(ext, 4)}, "
              f"extent ratio x{np.round(ext0 / ext, 3)}, aspect {np.round(ext / ext.max(), 3)} vs "
              f"{np.round(ext0 / ext0.max(), 3)}, chamfer all {chamfer(normalise(v), normalise(v0)):.4f}, "
              f"outer {chamfer(normalise(o), normalise(o0)):.4f} (voxel centres {vox:.4f}), "
              f"min|sdf+bias| {m:.2e}")


if __name__ == "__main__":
    main()
