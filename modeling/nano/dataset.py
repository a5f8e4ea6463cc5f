"""Shards -> training tensors for every stage (DESIGN.md "Training")."""
import glob
import json
import math

import numpy as np
import torch

from . import config as C
from . import sparse as SP
from .data.make_shard import SDF_QUANT

CORNERS = np.array([[x, y, z] for z in (0, 1) for y in (0, 1) for x in (0, 1)], np.int64)  # x fastest
VOXEL_CORNERS = np.array([[x, y, z] for x in (0, 1, 2) for y in (0, 1, 2) for z in (0, 1, 2)], np.int64)


class Shards:
    """Shards matching a glob, loaded into memory. The fine sdf/colour grids are ~1.1 MB per sample (9 GB for
    8000), so each stage loads only the arrays it uses (`keys`), one array at a time: two stages run side by
    side on a 24 GB machine."""

    def __init__(self, pattern, keys=None):
        files = sorted(glob.glob(pattern))
        if not files:
            raise FileNotFoundError(f"no shards match {pattern}")
        self.meta, cols = [], {}
        for f in files:
            with np.load(f) as z:  # an npz decompresses only the arrays that are read
                self.meta += json.loads(z["meta"].tobytes())
                for k in keys or [k for k in z.files if k != "meta"]:
                    cols.setdefault(k, []).append(z[k])
        self.a = {}
        for k in list(cols):
            self.a[k] = np.concatenate(cols.pop(k))
        self.n = len(self.meta)

    def __len__(self):
        return self.n

    # -- stage inputs -------------------------------------------------------------------------
    def images(self, idx):
        f = lambda k, s: torch.from_numpy(self.a[k][idx].astype(np.float32) * s)
        return {"image_crop": f("image_crop", 1 / 255), "image_full": f("image_full", 1 / 255),
                "mask_crop": f("mask_crop", 1.0), "mask_full": f("mask_full", 1.0)}

    def occupancy(self, idx):
        r = C.SS_OCC_RES
        bits = np.unpackbits(self.a["occupancy"][idx], axis=-1)[..., :r ** 3]
        return torch.from_numpy(bits.reshape(-1, r, r, r).astype(np.float32))

    def layout(self, idx, stats):
        """Targets in the network's space (DESIGN.md "Layout targets")."""
        R = self.a["rotation"][idx].astype(np.float64)  # row form: p_cam = p s R + t
        r6 = np.concatenate([R[:, :, 0], R[:, :, 1]], -1)  # columns b1, b2
        r6 = (r6 - np.array(stats["rot6d_mean"])) / np.array(stats["rot6d_std"])
        t = self.a["translation_canon"][idx].astype(np.float64)
        k = C.LAYOUT_DEPTH / t[:, 2:3]
        s = self.a["scale"][idx].astype(np.float64)[:, None] * k
        f32 = lambda x: torch.from_numpy(x.astype(np.float32))[:, None, :]
        return {"rot6d": f32(r6), "translation": f32(t * k), "scale": f32(np.repeat(np.log(s), 3, -1)),
                "translation_scale": f32(np.zeros((len(idx), 1)))}

    def coords(self, i):
        occ = np.unpackbits(self.a["occupancy"][i])[:C.SS_OCC_RES ** 3].reshape((C.SS_OCC_RES,) * 3)
        return SP.sort_coords(np.argwhere(occ)).astype(np.int32)

    def voxel_inputs(self, i, coords):
        """SLaT encoder input (N,108): the 3^3 mesh-grid corners of each voxel: sdf in fine cells (clamped
        +-4) and rgb."""
        sdf = self.a["sdf_q"][i].astype(np.float32) * (C.MESH_RES / SDF_QUANT)
        col = self.a["colour"][i].astype(np.float32) / 255
        p = 2 * coords[:, None, :].astype(np.int64) + VOXEL_CORNERS[None]
        s = sdf[p[..., 0], p[..., 1], p[..., 2]]
        c = col[p[..., 0], p[..., 1], p[..., 2]]
        return torch.from_numpy(np.concatenate([np.clip(s, -4, 4) / 4, c.reshape(len(coords), -1)], -1))

    def cube_targets(self, i, coords):
        """Mesh-decoder targets per fine cube row (8N rows, subdivision order): corner sdf (canonical units)
        and corner rgb, corners x-fastest."""
        sdf = self.a["sdf_q"][i].astype(np.float32) / SDF_QUANT
        col = self.a["colour"][i].astype(np.float32) / 255
        fine = SP.subdivide_coords(coords).astype(np.int64)
        p = fine[:, None, :] + CORNERS[None]
        return (torch.from_numpy(sdf[p[..., 0], p[..., 1], p[..., 2]]),
                torch.from_numpy(col[p[..., 0], p[..., 1], p[..., 2]]))


def rot6d_stats(shards):
    R = shards.a["rotation"].astype(np.float64)
    r6 = np.concatenate([R[:, :, 0], R[:, :, 1]], -1)
    return {"rot6d_mean": r6.mean(0).tolist(), "rot6d_std": np.maximum(r6.std(0), 1e-3).tolist()}


def decoder_inputs(coords):
    st = SP.decoder_structures(coords, C.WINDOW, C.SHIFTS, C.SUBDIVISIONS)
    return {k: torch.from_numpy(v) for k, v in st.items()}


def slat_inputs(coords):
    return {k: torch.from_numpy(v) for k, v in SP.slat_structures(coords).items()}
