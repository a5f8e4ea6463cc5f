"""SLaT decoders (reference 1.11): swin-window sparse transformer trunk, mesh and Gaussian heads."""
import itertools
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from . import config as C
from .layers import (LayerNorm, Mlp, SparseGroupNorm, SubMConv3d, ape, attention, gather_rows, merge_heads,
                     pad_sentinel)


def window_attention(qkv, heads, idx, valid, inv):
    """qkv (N,3C) -> (N,C). Host windows: idx (W,Lw) with sentinel N, valid (W,Lw), inv (N) =
    window*Lw + slot. Padded query rows are computed and discarded by the inverse gather."""
    n, c3 = qkv.shape
    c = c3 // 3
    g = gather_rows(pad_sentinel(qkv), idx)  # (W,Lw,3C)
    w, lw = g.shape[0], g.shape[1]
    g = g.reshape(w, lw, 3, heads, c // heads).permute(2, 0, 3, 1, 4)  # (3,W,H,Lw,D)
    o = attention(g[0], g[1], g[2], key_mask=valid[:, None, None, :])  # (W,H,Lw,D)
    o = merge_heads(o).reshape(w * lw, c)
    return gather_rows(o, inv)


class SwinBlock(nn.Module):
    """x += attn(LN(x)); x += MLP(LN(x)); LN no affine eps 1e-6, no q/k norm, tanh-GELU."""

    def __init__(self, dim, heads, shift_index):
        super().__init__()
        self.heads, self.shift_index = heads, shift_index
        self.norm1 = LayerNorm(dim, 1e-6, affine=False)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = LayerNorm(dim, 1e-6, affine=False)
        self.mlp = Mlp(dim, 4 * dim, approximate="tanh")

    def forward(self, x, windows):
        idx, valid, inv = windows[self.shift_index]
        x = x + self.proj(window_attention(self.qkv(self.norm1(x)), self.heads, idx, valid, inv))
        return x + self.mlp(self.norm2(x))


class Trunk(nn.Module):
    """SparseLinear(8 -> width) + APE(coords), then blocks; block i uses shift i mod len(shifts)."""

    def __init__(self):
        super().__init__()
        w = C.DEC_WIDTH
        self.input_layer = nn.Linear(C.SLAT_CHANNELS, w)
        self.blocks = nn.ModuleList([SwinBlock(w, C.DEC_HEADS, i % len(C.SHIFTS)) for i in range(C.DEC_DEPTH)])

    def forward(self, feats, coords, windows):
        h = self.input_layer(feats) + ape(coords, C.DEC_WIDTH)
        for blk in self.blocks:
            h = blk(h, windows)
        return h


def subdivide(f):
    """Row 8i + o holds voxel i's features for child o = 4a+2b+c."""
    return f.unsqueeze(1).expand(-1, 8, -1).reshape(-1, f.shape[-1])


class SubdivideBlock(nn.Module):
    """h = subdivide(SiLU(GN(x))); x = subdivide(x); h = SubM3(SiLU(GN(SubM3(h)))) + SubM1(x)."""

    def __init__(self, cin, cout):
        super().__init__()
        self.norm0 = SparseGroupNorm(C.SUB_GROUPS, cin)
        self.conv1 = SubMConv3d(cin, cout)
        self.norm1 = SparseGroupNorm(C.SUB_GROUPS, cout)
        self.conv2 = SubMConv3d(cout, cout)
        self.skip = nn.Linear(cin, cout)  # kernel-1 sparse conv

    def forward(self, x, nbr):
        h = subdivide(F.silu(self.norm0(x)))
        x = subdivide(x)
        h = self.conv2(F.silu(self.norm1(self.conv1(h, nbr))), nbr)
        return h + self.skip(x)


def _child_offsets():
    """(8,3) offsets (a,b,c) of child o = 4a+2b+c (z fastest)."""
    return torch.tensor(list(itertools.product((0, 1), repeat=3)), dtype=torch.float32)


def _corner_offsets():
    """(8,3) FlexiCubes corners, x fastest."""
    return torch.tensor([[x, y, z] for z in (0, 1) for y in (0, 1) for x in (0, 1)], dtype=torch.float32)


class MeshDecoder(nn.Module):
    """cube_feats (N*64, 101) on the 64^3 grid, row 64i + 8*o1 + o2 at 4c_i + 2a1 + a2.
    The sdf channels carry an analytic ellipsoid SDF at each cube corner (config.py) and the colour
    channels a smooth function of position, so the random pack decodes to a closed object; the
    random net output rides on top (bounded, and for sdf below the prior's margin)."""

    def __init__(self):
        super().__init__()
        self.trunk = Trunk()
        chans = [C.DEC_WIDTH] + C.SUB_CHANNELS
        self.upsample = nn.ModuleList([SubdivideBlock(chans[i], chans[i + 1]) for i in range(C.SUBDIVISIONS)])
        self.out_layer = nn.Linear(chans[-1], C.MESH_CHANNELS)
        o = _child_offsets()
        # Offset of each of the 64 rows of a voxel inside its 4^3 block: 2*a1 + a2.
        self.register_buffer("row_offsets", (2 * o[:, None, :] + o[None, :, :]).reshape(64, 3), persistent=False)
        self.register_buffer("corners", _corner_offsets(), persistent=False)
        self.register_buffer("centre", 4 * torch.tensor(C.OBJ_CENTRE, dtype=torch.float32) + 2, persistent=False)
        self.register_buffer("k", torch.tensor(C.OBJ_K, dtype=torch.float32), persistent=False)
        self.register_buffer("base_colour", torch.tensor([1.2, -0.2, -1.2]), persistent=False)

    def forward(self, feats, coords, win0_idx, win0_valid, win0_inv, win1_idx, win1_valid, win1_inv,
                nbr_sub1, nbr_sub2):
        windows = [(win0_idx, win0_valid, win0_inv), (win1_idx, win1_valid, win1_inv)]
        h = self.trunk(feats, coords, windows)
        for blk, nbr in zip(self.upsample, [nbr_sub1, nbr_sub2]):
            h = blk(h, nbr)
        raw = self.out_layer(h)  # (N64,101)
        fine = (4 * coords.float()[:, None, :] + self.row_offsets[None]).reshape(-1, 3)  # (N64,3)
        v = fine[:, None, :] + self.corners[None]  # (N64,8,3) integer grid vertices
        q = ((v - self.centre) ** 2 * self.k).sum(-1)  # integer-valued, exact in float32
        sdf = ((torch.sqrt(q) - math.sqrt(C.MESH_PRIOR_T)) * C.MESH_SDF_SCALE - C.MESH_SDF_BIAS
               + C.MESH_SDF_NET_AMPLITUDE * torch.tanh(raw[:, 0:8]))
        lay = C.MESH_LAYOUT
        # Damped so the random surface stays smooth; still observable in the fixtures.
        deform = 0.15 * raw[:, lay["deform"][0]:lay["deform"][1]]
        weights = 0.3 * raw[:, lay["beta"][0]:lay["gamma"][1]]
        pos = v / C.MESH_RES - 0.5
        colour = raw[:, lay["color"][0]:lay["color"][1]].reshape(-1, 8, 6)
        smooth = torch.cat([self.base_colour + 2.0 * pos, 2.0 * pos.flip(-1)], dim=-1)  # orange-ish, varies with xyz
        colour = (smooth + 0.3 * torch.tanh(colour)).reshape(-1, 48)
        return torch.cat([sdf, deform, weights, colour], dim=-1)


class GaussianDecoder(nn.Module):
    """gs_raw (N, 4*14): trunk, no-affine LN (eps 1e-5), SparseLinear(width -> 56)."""

    def __init__(self):
        super().__init__()
        self.trunk = Trunk()
        self.out_norm = LayerNorm(C.DEC_WIDTH, 1e-5, affine=False)
        self.out_layer = nn.Linear(C.DEC_WIDTH, C.GS_CHANNELS)

    def forward(self, feats, coords, win0_idx, win0_valid, win0_inv, win1_idx, win1_valid, win1_inv):
        windows = [(win0_idx, win0_valid, win0_inv), (win1_idx, win1_valid, win1_inv)]
        return self.out_layer(self.out_norm(self.trunk(feats, coords, windows)))
