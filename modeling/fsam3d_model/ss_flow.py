"""Stage-1 Mixture-of-Transformers flow (reference 1.7) at tiny width."""
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F

from . import config as C
from .layers import (CrossAttention, LayerNorm, Mlp, MultiHeadRMSNorm, TimestepEmbedder, ape_table,
                     attention, merge_heads, split_heads)


class StreamWeights(nn.Module):
    """Per-stream weights of one MoT block (the adaLN modulation is shared between streams)."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.norm1 = LayerNorm(dim, 1e-6, affine=False)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.q_norm = MultiHeadRMSNorm(heads, dim // heads)
        self.k_norm = MultiHeadRMSNorm(heads, dim // heads)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = LayerNorm(dim, 1e-6, affine=True)
        self.cross = CrossAttention(dim, C.COND_DIM, heads)
        self.norm3 = LayerNorm(dim, 1e-6, affine=False)
        self.mlp = Mlp(dim, 4 * dim, approximate="tanh")

    def qkv_heads(self, h):
        q, k, v = self.qkv(h).chunk(3, dim=-1)
        q, k, v = (split_heads(t, self.heads) for t in (q, k, v))
        return self.q_norm(q), self.k_norm(k), v


class MoTBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(dim, 6 * dim))
        self.shape = StreamWeights(dim, heads)
        self.pose = StreamWeights(dim, heads)

    def forward(self, xs, xp, temb, cond):
        mods = [m.unsqueeze(1) for m in self.adaLN_modulation(temb).chunk(6, dim=-1)]
        shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = mods
        qs, ks, vs = self.shape.qkv_heads(self.shape.norm1(xs) * (1 + scale_msa) + shift_msa)
        qp, kp, vp = self.pose.qkv_heads(self.pose.norm1(xp) * (1 + scale_msa) + shift_msa)
        # MoT mask: shape attends to shape only; pose attends to [pose; shape].
        a_s = attention(qs, ks, vs)
        a_p = attention(qp, torch.cat([kp, ks], dim=-2), torch.cat([vp, vs], dim=-2))
        xs = xs + gate_msa * self.shape.proj(merge_heads(a_s))
        xp = xp + gate_msa * self.pose.proj(merge_heads(a_p))
        xs = xs + self.shape.cross(self.shape.norm2(xs), cond)
        xp = xp + self.pose.cross(self.pose.norm2(xp), cond)
        xs = xs + gate_mlp * self.shape.mlp(self.shape.norm3(xs) * (1 + scale_mlp) + shift_mlp)
        xp = xp + gate_mlp * self.pose.mlp(self.pose.norm3(xp) * (1 + scale_mlp) + shift_mlp)
        return xs, xp


class LatentIO(nn.Module):
    """Input Linear(c -> width) and output Linear(LN_noaffine(h, 1e-5)) -> c for one modality."""

    def __init__(self, ch, width):
        super().__init__()
        self.input_layer = nn.Linear(ch, width)
        self.out_norm = LayerNorm(width, 1e-5, affine=False)
        self.out_layer = nn.Linear(width, ch)


class SSFlow(nn.Module):
    """Inputs x_shape (B,64,8), x_<layout> (B,1,dim), t (B), d (B), cond (B,L,32); velocities out.
    Shape token index = x*16 + y*4 + z."""

    def __init__(self):
        super().__init__()
        w = C.SS_WIDTH
        self.t_embedder = TimestepEmbedder(w)
        self.d_embedder = TimestepEmbedder(w)
        self.shape_io = LatentIO(C.SS_CHANNELS, w)
        grid = list(itertools.product(range(C.SS_RES), repeat=3))
        self.register_buffer("shape_pos_emb", ape_table(grid, w), persistent=False)  # fixed sin-cos
        self.layout_io = nn.ModuleDict({n: LatentIO(dim, w) for n, dim in C.SS_LAYOUT})
        self.layout_pos_emb = nn.ParameterDict({n: nn.Parameter(torch.zeros(1, w)) for n, _ in C.SS_LAYOUT})
        self.blocks = nn.ModuleList([MoTBlock(w, C.SS_HEADS) for _ in range(C.SS_DEPTH)])

    def forward(self, x_shape, x_rot6d, x_translation, x_scale, x_translation_scale, t, d, cond):
        temb = self.t_embedder(t) + self.d_embedder(d)
        xs = self.shape_io.input_layer(x_shape) + self.shape_pos_emb
        layout_in = [x_rot6d, x_translation, x_scale, x_translation_scale]
        names = [n for n, _ in C.SS_LAYOUT]
        xp = torch.cat([self.layout_io[n].input_layer(x) + self.layout_pos_emb[n]
                        for n, x in zip(names, layout_in)], dim=1)  # stream order of ss.layout
        for blk in self.blocks:
            xs, xp = blk(xs, xp, temb, cond)
        outs = [self.shape_io.out_layer(self.shape_io.out_norm(xs))]
        for i, n in enumerate(names):
            io = self.layout_io[n]
            outs.append(io.out_layer(io.out_norm(xp[:, i:i + 1])))
        return tuple(outs)
