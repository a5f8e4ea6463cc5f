"""Building blocks written with plain ops so torch 1.13 exports them cleanly to ONNX opset 17."""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class LayerNorm(nn.Module):
    """LayerNorm over the last dim. Always passes weight/bias: the no-affine nn.LayerNorm exports badly
    in torch 1.13, so the no-affine variant uses constant ones/zeros buffers."""

    def __init__(self, dim, eps, affine=True):
        super().__init__()
        self.dim, self.eps = dim, eps
        if affine:
            self.weight = nn.Parameter(torch.ones(dim))
            self.bias = nn.Parameter(torch.zeros(dim))
        else:
            self.register_buffer("weight", torch.ones(dim), persistent=False)
            self.register_buffer("bias", torch.zeros(dim), persistent=False)

    def forward(self, x):
        return F.layer_norm(x, (self.dim,), self.weight, self.bias, self.eps)


def attention(q, k, v, key_mask=None):
    """q (..., Lq, D), k/v (..., Lk, D); key_mask (..., 1, Lk) bool, True = attend. No SDPA in 1.13."""
    scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(q.shape[-1]))
    if key_mask is not None:
        scores = scores.masked_fill(~key_mask, float("-inf"))
    return torch.matmul(torch.softmax(scores, dim=-1), v)


def split_heads(x, heads):
    """(..., L, C) -> (..., heads, L, C/heads)."""
    *lead, length, ch = x.shape
    return x.reshape(*lead, length, heads, ch // heads).transpose(-2, -3)


def merge_heads(x):
    """(..., heads, L, D) -> (..., L, heads*D)."""
    x = x.transpose(-2, -3)
    return x.reshape(*x.shape[:-2], x.shape[-2] * x.shape[-1])


class MultiHeadRMSNorm(nn.Module):
    """normalize(v) * gamma[head] * sqrt(head_dim), as in TRELLIS / SAM 3D q-k norm. x: (..., H, L, D)."""

    def __init__(self, heads, head_dim):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(heads, 1, head_dim))
        self.scale = math.sqrt(head_dim)

    def forward(self, x):
        n = torch.clamp(torch.sqrt((x * x).sum(-1, keepdim=True)), min=1e-12)
        return x / n * self.gamma * self.scale


def timestep_frequencies(t, dim=256, max_period=10000.0):
    """[cos(t w_i), sin(t w_i)], w_i = exp(-ln(max_period) i / half): cos first, as the reference."""
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
    args = t[:, None].float() * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class TimestepEmbedder(nn.Module):
    def __init__(self, width, freq_dim=256):
        super().__init__()
        self.freq_dim = freq_dim
        self.mlp = nn.Sequential(nn.Linear(freq_dim, width), nn.SiLU(), nn.Linear(width, width))

    def forward(self, t):
        return self.mlp(timestep_frequencies(t, self.freq_dim))


def ape(coords, channels):
    """Absolute position embedding (TRELLIS AbsolutePositionEmbedder): per axis [sin, cos] over
    F = C//3//2 frequencies 1/10000^(i/F), axes concatenated, zero-padded to C. coords (N,3)."""
    fdim = channels // 3 // 2
    freqs = 1.0 / (10000.0 ** (torch.arange(fdim, dtype=torch.float32) / fdim))
    x = coords.float()
    out = x[..., None] * freqs  # (N,3,F)
    emb = torch.cat([torch.sin(out), torch.cos(out)], dim=-1)  # (N,3,2F)
    emb = emb.reshape(*emb.shape[:-2], 3 * 2 * fdim)
    pad = channels - 6 * fdim
    if pad:
        emb = F.pad(emb, (0, pad))
    return emb


def ape_table(coords_np, channels):
    """Same embedding for a fixed numpy coordinate table (used as a buffer)."""
    return ape(torch.from_numpy(np.asarray(coords_np, dtype=np.float32)), channels)


class Mlp(nn.Module):
    def __init__(self, dim, hidden, approximate="tanh"):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)
        self.approximate = approximate

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x), approximate=self.approximate))


class SwiGLU(nn.Module):
    """Llama-3 feed-forward w2(silu(w1 x) * w3 x), no biases (EmbedderFuser projection)."""

    def __init__(self, dim_in, hidden, dim_out):
        super().__init__()
        self.w1 = nn.Linear(dim_in, hidden, bias=False)
        self.w2 = nn.Linear(hidden, dim_out, bias=False)
        self.w3 = nn.Linear(dim_in, hidden, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class CrossAttention(nn.Module):
    """q from x, k/v from the condition; no q/k norm on the cross path (so a zero context is exact
    with one token: every key is the k-bias, every value the v-bias)."""

    def __init__(self, dim, ctx_dim, heads):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(dim, dim)
        self.to_kv = nn.Linear(ctx_dim, 2 * dim)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x, ctx):
        q = split_heads(self.to_q(x), self.heads)
        k, v = self.to_kv(ctx).chunk(2, dim=-1)
        o = attention(q, split_heads(k, self.heads), split_heads(v, self.heads))
        return self.to_out(merge_heads(o))


def pad_sentinel(f):
    """Append the all-zero sentinel row along the row axis (-2)."""
    return F.pad(f, (0, 0, 0, 1))


def gather_rows(f, index):
    """f (..., R, C) gathered along rows with an int32/int64 index of any shape."""
    flat = index.reshape(-1).long()
    g = torch.index_select(f, f.dim() - 2, flat)
    return g.reshape(*f.shape[:-2], *index.shape, f.shape[-1])


class SubMConv3d(nn.Module):
    """Submanifold 3x3x3 conv as a gather over the host neighbour map (sentinel = zero row):
    out[p] = b + sum_k W_k in[nbr[p,k]], k = (dx+1)*9 + (dy+1)*3 + (dz+1).
    Weight kept in spconv layout (out, kx, ky, kz, in) so a real exporter maps keys 1:1."""

    def __init__(self, cin, cout):
        super().__init__()
        self.cin, self.cout = cin, cout
        self.weight = nn.Parameter(torch.randn(cout, 3, 3, 3, cin) / math.sqrt(27 * cin))
        self.bias = nn.Parameter(torch.randn(cout) * 0.05)

    def forward(self, f, nbr):
        g = gather_rows(pad_sentinel(f), nbr)  # (..., N, 27, Cin)
        g = g.reshape(*g.shape[:-2], 27 * self.cin)
        w = self.weight.permute(1, 2, 3, 4, 0).reshape(27 * self.cin, self.cout)
        return torch.matmul(g, w) + self.bias


def sparse_group_norm(x, groups, weight, bias, eps=1e-5):
    """GroupNorm over all voxels of the object (batch 1): x (N,C)."""
    n, c = x.shape
    g = x.reshape(n, groups, c // groups)
    mean = g.mean(dim=(0, 2), keepdim=True)
    var = ((g - mean) ** 2).mean(dim=(0, 2), keepdim=True)
    g = (g - mean) / torch.sqrt(var + eps)
    return g.reshape(n, c) * weight + bias


class SparseGroupNorm(nn.Module):
    def __init__(self, groups, channels, eps=1e-5):
        super().__init__()
        self.groups, self.eps = groups, eps
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        return sparse_group_norm(x, self.groups, self.weight, self.bias, self.eps)


def randomize_(module, gen_scale=1.0, skip=()):
    """Re-initialise every parameter so nothing is zero or identity: the fixtures must notice a
    mis-wired path. Linear/conv weights keep a 1/sqrt(fan_in) scale so activations stay O(1)."""
    for name, p in module.named_parameters():
        if name.startswith(tuple(skip)):
            continue
        with torch.no_grad():
            leaf = name.split(".")[-1]
            if p.dim() >= 2 and leaf == "weight":
                fan_in = p[0].numel()  # in*k... for Linear, Conv and (out,k,k,k,in) sparse conv
                p.normal_(0.0, gen_scale / math.sqrt(fan_in))
            elif leaf == "bias":
                p.normal_(0.0, 0.1)
            elif leaf in ("weight", "gamma") or leaf.startswith("ls"):  # norms, q/k gains, LayerScale
                p.normal_(1.0, 0.15)
            else:  # tokens, position tables, idx embeddings
                p.normal_(0.0, 0.5)
