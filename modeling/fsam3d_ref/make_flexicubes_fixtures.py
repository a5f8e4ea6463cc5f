#!/usr/bin/env python3
"""Write resources/fixtures/flexicubes/*.safetensors: small sparse inputs plus the dense reference's mesh.

Each file holds coords (R,3) I32, feats (R,K) F32, res (1) I32, sdf_bias (1) F32, weight_scale (1) F32,
layout (6,2) I32 (rows sdf, deform, beta, alpha, gamma, color) and the outputs vertices (V,3) F32,
faces (F,3) I32, colors (V,3) F32. Deterministic (fixed seeds). Run with /usr/bin/python3 (torch 1.13).
"""
import json
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from flexicubes import LAYOUT_KEYS, flexicubes_mesh  # noqa: E402

SAM_LAYOUT = {"sdf": (0, 8), "deform": (8, 32), "beta": (32, 44), "alpha": (44, 52), "gamma": (52, 53),
              "color": (53, 101)}
# Colour first, 3 channels per corner, unused channels in between: the extractor must honour any layout.
ALT_LAYOUT = {"color": (0, 24), "sdf": (30, 38), "deform": (38, 62), "gamma": (62, 63), "alpha": (63, 71),
              "beta": (71, 83)}


def write_safetensors(path, tensors):
    header, blobs, off = {}, [], 0
    for name, t in tensors.items():
        t = t.contiguous()
        dtype = {torch.float32: "F32", torch.int32: "I32"}[t.dtype]
        data = t.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [off, off + len(data)]}
        blobs.append(data)
        off += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def corner_positions(coords):
    corners = torch.tensor([[i & 1, (i >> 1) & 1, (i >> 2) & 1] for i in range(8)])
    return coords[:, None, :] + corners[None]  # (R, 8, 3)


def case_shell(g):
    """Voxels in a band around a sphere; per-voxel sdf = sphere distance + independent noise."""
    res = 16
    xyz = torch.stack(torch.meshgrid(*[torch.arange(res)] * 3, indexing="ij"), -1).reshape(-1, 3)
    d = ((xyz + 0.5) - res / 2).norm(dim=-1) - 5.2
    coords = xyz[d.abs() < 1.3]
    coords = coords[torch.randperm(coords.shape[0], generator=g)]
    feats = torch.randn(coords.shape[0], 101, generator=g)
    sd = (corner_positions(coords).float() - res / 2).norm(dim=-1) - 5.2
    feats[:, 0:8] = sd / res * 4 + 0.05 * torch.randn(sd.shape, generator=g)
    return coords, feats, res, SAM_LAYOUT


def case_random(g):
    """Sparse voxels with random sdf signs: many ambiguous faces and C16/C19 switches."""
    res = 9
    xyz = torch.stack(torch.meshgrid(*[torch.arange(res)] * 3, indexing="ij"), -1).reshape(-1, 3)
    coords = xyz[torch.rand(xyz.shape[0], generator=g) < 0.5]
    coords = coords[torch.randperm(coords.shape[0], generator=g)]
    feats = torch.randn(coords.shape[0], 101, generator=g) * 1.5
    feats[:, 0:8] = torch.randn(coords.shape[0], 8, generator=g) * 0.1 + 1 / res  # cancels the bias
    return coords, feats, res, SAM_LAYOUT


def case_full_box(g):
    """Every voxel active, touching the grid boundary (edges with fewer than 4 cubes), alternate layout."""
    res = 6
    coords = torch.stack(torch.meshgrid(*[torch.arange(res)] * 3, indexing="ij"), -1).reshape(-1, 3)
    coords = coords[torch.randperm(coords.shape[0], generator=g)]
    feats = torch.randn(coords.shape[0], 83, generator=g)
    pos = corner_positions(coords).float()
    sd = (pos - torch.tensor([2.5, 3.0, 3.5])).norm(dim=-1) - 2.2
    feats[:, 30:38] = sd / res + 0.1 * torch.randn(sd.shape, generator=g)
    return coords, feats, res, ALT_LAYOUT


CASES = {"shell": case_shell, "random": case_random, "full_box": case_full_box}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = os.path.normpath(os.path.join(here, "..", "..", "resources", "fixtures", "flexicubes"))
    os.makedirs(out_dir, exist_ok=True)
    for i, (name, make) in enumerate(CASES.items()):
        g = torch.Generator().manual_seed(1234 + i)
        coords, feats, res, layout = make(g)
        sdf_bias, weight_scale = -1.0 / res, 0.99
        stats = {}
        v, f, c = flexicubes_mesh(coords, feats, res, sdf_bias, weight_scale, layout, stats=stats)
        write_safetensors(os.path.join(out_dir, f"{name}.safetensors"), {
            "coords": coords.int(), "feats": feats.float(),
            "res": torch.tensor([res], dtype=torch.int32),
            "sdf_bias": torch.tensor([sdf_bias], dtype=torch.float32),
            "weight_scale": torch.tensor([weight_scale], dtype=torch.float32),
            "layout": torch.tensor([layout[k] for k in LAYOUT_KEYS], dtype=torch.int32),
            "vertices": v.float(), "faces": f.int(), "colors": c.float(),
        })
        print(name, f"voxels={coords.shape[0]} V={v.shape[0]} F={f.shape[0]}", stats)


if __name__ == "__main__":
    main()
