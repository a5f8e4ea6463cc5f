"""SLaT decoders (reference 1.11): swin-window sparse transformer trunk, mesh and Gaussian heads."""
import itertools
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import config as C
from .layers import (LayerNorm, Mlp, SparseGroupNorm, SubMConv3d, ape, attention, gather_rows, merge_heads,
                     pad_sentinel)


def window_masks(coords, windows, window, shifts):
    """Per shift, (idx, valid, inv) -> (idx, mask, inv) with mask (W,1,Lw,Lw) true where the query and key
    slots hold voxels of the same window. The window comes from the voxels' coords, not from the row, so a
    host may pack several windows into one row (manifest decoder.packedWindows) and pay for the attention of
    far fewer padded slots. Padding slots (valid false) see only padding; their rows are discarded."""
    out = []
    for (idx, valid, inv), s in zip(windows, shifts):
        w = torch.div(gather_rows(pad_sentinel(coords.long()), idx) + s, window, rounding_mode="floor")
        key = (w[..., 0] * 4096 + w[..., 1]) * 4096 + w[..., 2]  # (W,Lw); axes < 4096 windows
        key = torch.where(valid, key, torch.full_like(key, -1))
        out.append((idx, (key[:, :, None] == key[:, None, :])[:, None], inv))
    return out


def window_attention(qkv, heads, idx, mask, inv):
    """qkv (N,3C) -> (N,C). Host windows: idx (W,Lw) with sentinel N, inv (N) = row*Lw + slot; mask
    (W,1,Lw,Lw) from window_masks. Padded query rows are computed and discarded by the inverse gather."""
    n, c3 = qkv.shape
    c = c3 // 3
    g = gather_rows(pad_sentinel(qkv), idx)  # (W,Lw,3C)
    w, lw = g.shape[0], g.shape[1]
    g = g.reshape(w, lw, 3, heads, c // heads).permute(2, 0, 3, 1, 4)  # (3,W,H,Lw,D)
    o = attention(g[0], g[1], g[2], key_mask=mask)  # (W,H,Lw,D)
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
        """windows: per shift (idx, mask, inv) from window_masks."""
        idx, mask, inv = windows[self.shift_index]
        x = x + self.proj(window_attention(self.qkv(self.norm1(x)), self.heads, idx, mask, inv))
        return x + self.mlp(self.norm2(x))


class Trunk(nn.Module):
    """SparseLinear(8 -> width) + APE(coords), then blocks; block i uses shift i mod len(shifts)."""

    def __init__(self):
        super().__init__()
        w = C.DEC_WIDTH
        self.input_layer = nn.Linear(C.SLAT_CHANNELS, w)
        self.blocks = nn.ModuleList([SwinBlock(w, C.DEC_HEADS, i % len(C.SHIFTS)) for i in range(C.DEC_DEPTH)])

    def forward(self, feats, coords, windows):
        """windows: per shift the host's (idx, valid, inv)."""
        windows = window_masks(coords, windows, C.WINDOW, C.SHIFTS)
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


def mesh_prior_params(coords):
    """The mesh prior's ellipsoid, from the voxel set's bounding box (config.py). All box arithmetic is
    int32 (exact on every backend); returns float32 centre (3), weights K (3), S, sdf scale, net
    amplitude and colour scale. In 64^3 grid units: box centre c = 2(lo+hi)+2, half extent
    h = 2(hi-lo+1), semi-axis a = max(h*num//den - inset, 1), S = R*max(a), K = round(S/a^2)."""
    lo = torch.amin(coords, 0)
    hi = torch.amax(coords, 0)
    half = 2 * (hi - lo + 1)
    num, den = C.MESH_PRIOR_FRACTION
    semi = torch.clamp(torch.div(half * num, den, rounding_mode="floor") - C.MESH_PRIOR_INSET, min=1)
    a2 = semi * semi
    s = C.MESH_PRIOR_RESOLUTION * torch.amax(semi, 0)
    k = torch.div(2 * s + a2, 2 * a2, rounding_mode="floor")  # round(S / a^2), >= 1
    centre = (2 * (lo + hi) + 2).float()
    kf, sf = k.float(), s.float()
    scale = 1.0 / (C.MESH_RES * torch.sqrt(torch.amin(kf, 0)))  # sqrt units -> distance along the longest axis
    # Smallest possible |sqrt(q) - sqrt(S + 0.5)| over integers q is at q = S + 1.
    gap = 0.5 / (torch.sqrt(sf + 1.0) + torch.sqrt(sf + 0.5))
    amplitude = C.MESH_SDF_NET_FRACTION * gap * scale
    colour_scale = 1.0 / torch.amax(half, 0).float()
    return centre, kf, sf, scale, amplitude, colour_scale


def mesh_prior_guarantee(coords):
    """Host-side (float64) check of the mesh prior for a voxel set: returns (bound, q_max), bound = the
    smallest |sdf + sdfBias| any corner can have (prior gap minus the net amplitude), q_max = an upper
    bound on Q over the box (must stay < 2^23 for Q - S - 1/2 to be exact in float32)."""
    c = np.asarray(coords, np.int64)
    lo, hi = c.min(0), c.max(0)
    half = 2 * (hi - lo + 1)
    num, den = C.MESH_PRIOR_FRACTION
    semi = np.maximum(half * num // den - C.MESH_PRIOR_INSET, 1)
    s = C.MESH_PRIOR_RESOLUTION * int(semi.max())
    k = (2 * s + semi ** 2) // (2 * semi ** 2)
    scale = 1.0 / (C.MESH_RES * math.sqrt(k.min()))
    gap = (math.sqrt(s + 1.0) - math.sqrt(s + 0.5)) * scale
    return (1.0 - C.MESH_SDF_NET_FRACTION) * gap, int((k * half ** 2).sum())


class MeshDecoder(nn.Module):
    """cube_feats (N*64, 101) on the 64^3 grid, row 64i + 8*o1 + o2 at 4c_i + 2a1 + a2.
    The sdf channels carry an analytic ellipsoid SDF at each cube corner, the ellipsoid inscribed in
    the bounding box of `coords` (config.py "Mesh prior"), and the colour channels a smooth function
    of the position in that box, so the random pack decodes to a closed object that follows the voxel
    set (a voxel set shrunk by token aggregation gives the same shape, smaller). The random net output
    rides on top (bounded, and for sdf below the prior's margin)."""

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
        centre, k, s, scale, amplitude, colour_scale = mesh_prior_params(coords)
        d = v - centre  # integers, |d_i| <= half extent <= 32
        q = (d * d * k).sum(-1)  # integer-valued and < 2^23: exact in float32
        t = s + 0.5
        # sqrt(q) - sqrt(t), written so the sign comes from the exact q - t (|q - t| >= 0.5).
        prior = (q - t) / (torch.sqrt(q) + torch.sqrt(t)) * scale
        sdf = prior - C.MESH_SDF_BIAS + amplitude * torch.tanh(raw[:, 0:8])
        lay = C.MESH_LAYOUT
        # Damped so the random surface stays smooth; still observable in the fixtures.
        deform = 0.15 * raw[:, lay["deform"][0]:lay["deform"][1]]
        weights = 0.3 * raw[:, lay["beta"][0]:lay["gamma"][1]]
        pos = d * colour_scale  # position in the voxel set's box, [-1, 1] along its longest axis
        colour = raw[:, lay["color"][0]:lay["color"][1]].reshape(-1, 8, 6)
        smooth = torch.cat([self.base_colour + C.MESH_COLOUR_SLOPE * pos, C.MESH_COLOUR_SLOPE * pos.flip(-1)],
                           dim=-1)  # orange-ish, varies across the object
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
