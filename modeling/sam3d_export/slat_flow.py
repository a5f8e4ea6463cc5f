"""Stage-2 sparse U-shaped flow (reference 1.10), structure from host indices. Keys follow the
checkpoint after `_base_models.generator.reverse_fn.backbone.`: t_embedder, input_layer,
input_blocks.{i}.{norm1,conv1.conv,conv2.conv,emb_layers.1,skip_connection}, blocks.{i}.*, out_blocks.*,
out_layer."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .ops import (CrossAttention, FeedForward, LayerNorm, MultiHeadRMSNorm, SubMConv3d, TimestepEmbedder, ape,
                  attention, gather_rows, pad_sentinel)


def sparse_mean_pool(f, pool_children, pool_scale):
    """Coarse = sum(children) * pool_scale; pool_scale = 1/(count+1) reproduces SparseDownsample's
    scatter_reduce(mean, include_self=True) into zeros. f (B,N,C) -> (B,M,C)."""
    return gather_rows(pad_sentinel(f), pool_children).sum(dim=-2) * pool_scale


class SparseResBlock3d(nn.Module):
    def __init__(self, cin, cout, emb, updown=None):
        super().__init__()
        self.updown = updown
        self.norm1 = LayerNorm(cin, 1e-6, affine=True)
        self.norm2 = LayerNorm(cout, 1e-6, affine=False)
        self.conv1 = SubMConv3d(cin, cout)
        self.conv2 = SubMConv3d(cout, cout)
        self.emb_layers = nn.Sequential(nn.SiLU(), nn.Linear(emb, 2 * cout))
        self.skip_connection = nn.Linear(cin, cout) if cin != cout else None

    def forward(self, x, emb, nbr, down=None, parent=None):
        scale, shift = self.emb_layers(emb).unsqueeze(1).chunk(2, dim=-1)  # scale first
        if self.updown == "down":
            x = sparse_mean_pool(x, *down)
        elif self.updown == "up":
            x = gather_rows(x, parent)
        h = self.conv1(F.silu(self.norm1(x)), nbr)
        h = self.conv2(F.silu(self.norm2(h) * (1 + scale) + shift), nbr)
        return h + (self.skip_connection(x) if self.skip_connection is not None else x)


class SelfAttention(nn.Module):
    def __init__(self, width, heads, qk_norm):
        super().__init__()
        self.heads, self.qk_norm = heads, qk_norm
        self.to_qkv = nn.Linear(width, 3 * width)
        if qk_norm:
            self.q_rms_norm = MultiHeadRMSNorm(width // heads, heads)
            self.k_rms_norm = MultiHeadRMSNorm(width // heads, heads)
        self.to_out = nn.Linear(width, width)

    def forward(self, x):
        b, l, c = x.shape
        qkv = self.to_qkv(x).reshape(b, l, 3, self.heads, c // self.heads)
        q, k, v = qkv[:, :, 0], qkv[:, :, 1], qkv[:, :, 2]
        if self.qk_norm:
            q, k = self.q_rms_norm(q), self.k_rms_norm(k)
        return self.to_out(attention(q.reshape(b, l, c), k.reshape(b, l, c), v.reshape(b, l, c), self.heads))


class ModulatedCrossBlock(nn.Module):
    def __init__(self, a):
        super().__init__()
        w = a["width"]
        self.norm1 = LayerNorm(w, 1e-6, affine=False)
        self.norm2 = LayerNorm(w, 1e-6, affine=True)
        self.norm3 = LayerNorm(w, 1e-6, affine=False)
        self.self_attn = SelfAttention(w, a["heads"], a["qk_rms_norm"])
        self.cross_attn = CrossAttention(w, a["cond_dim"], a["heads"])
        self.mlp = FeedForward(w, a["mlp_ratio"])
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(w, 6 * w))

    def forward(self, x, temb, cond):
        m = [t.unsqueeze(1) for t in self.adaLN_modulation(temb).chunk(6, dim=-1)]
        shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = m
        x = x + gate_msa * self.self_attn(self.norm1(x) * (1 + scale_msa) + shift_msa)
        x = x + self.cross_attn(self.norm2(x), cond)
        return x + gate_mlp * self.mlp(self.norm3(x) * (1 + scale_mlp) + shift_mlp)


class SlatFlow(nn.Module):
    """x (B,N,C), t (B), cond (B,L,D), nbr, pool_children, pool_scale, parent, nbr_coarse, coords_coarse -> v."""

    def __init__(self, a):
        super().__init__()
        self.a = a
        w, io, k = a["width"], a["io"], a["io_blocks"]
        self.t_embedder = TimestepEmbedder(w)
        if a["shortcut"]:
            raise ValueError("a shortcut SLaT model does not fit the pack contract (no d input)")
        self.input_layer = nn.Linear(a["in"], io)
        self.input_blocks = nn.ModuleList([SparseResBlock3d(io, io, w) for _ in range(k - 1)]
                                          + [SparseResBlock3d(io, w, w, "down")])
        self.blocks = nn.ModuleList([ModulatedCrossBlock(a) for _ in range(a["depth"])])
        self.out_blocks = nn.ModuleList([SparseResBlock3d(2 * w, io, w, "up")]
                                        + [SparseResBlock3d(2 * io, io, w) for _ in range(k - 1)])
        self.out_norm = LayerNorm(io, 1e-5, affine=False)
        self.out_layer = nn.Linear(io, a["out"])

    def forward(self, x, t, cond, nbr, pool_children, pool_scale, parent, nbr_coarse, coords_coarse):
        temb = self.t_embedder(t)
        h = self.input_layer(x)
        skips = []
        for blk in self.input_blocks:
            if blk.updown == "down":
                h = blk(h, temb, nbr_coarse, down=(pool_children, pool_scale))
            else:
                h = blk(h, temb, nbr)
            skips.append(h)
        h = h + ape(coords_coarse, self.a["width"])
        for blk in self.blocks:
            h = blk(h, temb, cond)
        for blk, s in zip(self.out_blocks, reversed(skips)):
            h = blk(torch.cat([h, s], dim=-1), temb, nbr, parent=parent if blk.updown == "up" else None)
        return self.out_layer(self.out_norm(h))
