"""Stage-2 sparse U-shaped DiT (reference 1.10) at tiny size; structure comes from host indices."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import config as C
from .layers import (CrossAttention, LayerNorm, Mlp, MultiHeadRMSNorm, SubMConv3d, TimestepEmbedder, ape,
                     attention, gather_rows, merge_heads, pad_sentinel, split_heads)


def sparse_mean_pool(f, pool_children, pool_scale):
    """Coarse = sum(children) * pool_scale; pool_scale = 1/(count+1) reproduces scatter_reduce's
    include_self quirk. f (B,N,C) -> (B,M,C)."""
    return gather_rows(pad_sentinel(f), pool_children).sum(dim=-2) * pool_scale


def sparse_unpool(f, parent):
    """Nearest upsample: each fine voxel takes its parent's features. (B,M,C) -> (B,N,C)."""
    return gather_rows(f, parent)


class SparseResBlock(nn.Module):
    """TRELLIS SparseResBlock3d: (scale, shift) from emb (scale first); updown; LN_affine -> SiLU ->
    SubM3; LN_noaffine*(1+scale)+shift -> SiLU -> SubM3; + skip (SparseLinear when width changes)."""

    def __init__(self, cin, cout, emb, updown=None):
        super().__init__()
        self.updown = updown
        self.emb_layers = nn.Sequential(nn.SiLU(), nn.Linear(emb, 2 * cout))
        self.norm1 = LayerNorm(cin, 1e-6, affine=True)
        self.conv1 = SubMConv3d(cin, cout)
        self.norm2 = LayerNorm(cout, 1e-6, affine=False)
        self.conv2 = SubMConv3d(cout, cout)
        self.skip = nn.Linear(cin, cout) if cin != cout else None

    def forward(self, x, emb, nbr, down=None, up=None):
        scale, shift = self.emb_layers(emb).unsqueeze(1).chunk(2, dim=-1)
        if self.updown == "down":
            x = sparse_mean_pool(x, *down)
        elif self.updown == "up":
            x = sparse_unpool(x, up)
        h = self.conv1(F.silu(self.norm1(x)), nbr)
        h = self.conv2(F.silu(self.norm2(h) * (1 + scale) + shift), nbr)
        return h + (self.skip(x) if self.skip is not None else x)


class ModulatedCrossBlock(nn.Module):
    """Same structure as a MoT stream: adaLN 6-way, RMS-normed q/k, full self-attention over the M
    coarse tokens, cross-attention to cond (no q/k norm), MLP."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(dim, 6 * dim))
        self.norm1 = LayerNorm(dim, 1e-6, affine=False)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.q_norm = MultiHeadRMSNorm(heads, dim // heads)
        self.k_norm = MultiHeadRMSNorm(heads, dim // heads)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = LayerNorm(dim, 1e-6, affine=True)
        self.cross = CrossAttention(dim, C.COND_DIM, heads)
        self.norm3 = LayerNorm(dim, 1e-6, affine=False)
        self.mlp = Mlp(dim, 4 * dim, approximate="tanh")

    def forward(self, x, temb, cond):
        mods = [m.unsqueeze(1) for m in self.adaLN_modulation(temb).chunk(6, dim=-1)]
        shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = mods
        q, k, v = self.qkv(self.norm1(x) * (1 + scale_msa) + shift_msa).chunk(3, dim=-1)
        q, k, v = (split_heads(t, self.heads) for t in (q, k, v))
        x = x + gate_msa * self.proj(merge_heads(attention(self.q_norm(q), self.k_norm(k), v)))
        x = x + self.cross(self.norm2(x), cond)
        return x + gate_mlp * self.mlp(self.norm3(x) * (1 + scale_mlp) + shift_mlp)


class SlatFlow(nn.Module):
    """Inputs x (B,N,8), t (B), cond (B,L,32), nbr (N,27), pool_children (M,8), pool_scale (M,1),
    parent (N), nbr_coarse (M,27), coords_coarse (M,3) -> v (B,N,8)."""

    def __init__(self):
        super().__init__()
        io, w = C.SLAT_IO, C.SLAT_WIDTH
        self.input_layer = nn.Linear(C.SLAT_CHANNELS, io)
        self.t_embedder = TimestepEmbedder(w)
        self.input_blocks = nn.ModuleList([SparseResBlock(io, io, w), SparseResBlock(io, w, w, "down")])
        self.blocks = nn.ModuleList([ModulatedCrossBlock(w, C.SLAT_HEADS) for _ in range(C.SLAT_DEPTH)])
        self.out_blocks = nn.ModuleList([SparseResBlock(2 * w, io, w, "up"), SparseResBlock(2 * io, io, w)])
        self.out_norm = LayerNorm(io, 1e-5, affine=False)
        self.out_layer = nn.Linear(io, C.SLAT_CHANNELS)

    def forward(self, x, t, cond, nbr, pool_children, pool_scale, parent, nbr_coarse, coords_coarse):
        temb = self.t_embedder(t)
        h = self.input_layer(x)
        s1 = h = self.input_blocks[0](h, temb, nbr)
        s2 = h = self.input_blocks[1](h, temb, nbr_coarse, down=(pool_children, pool_scale))
        h = h + ape(coords_coarse, C.SLAT_WIDTH)
        for blk in self.blocks:
            h = blk(h, temb, cond)
        h = self.out_blocks[0](torch.cat([h, s2], dim=-1), temb, nbr, up=parent)
        h = self.out_blocks[1](torch.cat([h, s1], dim=-1), temb, nbr)
        return self.out_layer(self.out_norm(h))
