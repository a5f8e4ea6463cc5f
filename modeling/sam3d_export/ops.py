"""Plain-op building blocks shared by every network. Written for torch 1.13's TorchScript ONNX exporter
(opset 17): no scaled_dot_product_attention, no no-affine nn.LayerNorm (constant buffers instead),
sparse convolutions as gathers over host-built neighbour maps.

Attention has two implementations behind one call:
  * eager (PyTorch): exact softmax attention, chunked over queries so no Lq x Lk matrix larger than
    one chunk exists (this is the parity reference);
  * export: one com.microsoft.MultiHeadAttention node per call (ORT's flash / memory-efficient kernels
    on CUDA and its CPU flash path), so the graph never holds an N x N matrix either.
  `set_attention_export("matmul")` switches the exported graph to plain MatMul/Softmax instead (for
  execution providers without the contrib op; memory then grows with Lq x Lk).
"""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

_ATTN = {"export": "mha", "chunk": 1024}


def set_attention_export(mode, chunk=None):
    assert mode in ("mha", "matmul")
    _ATTN["export"] = mode
    if chunk:
        _ATTN["chunk"] = chunk


def _attention_math(q, k, v, heads, key_valid=None, chunk=None):
    """q (B,S,C), k/v (B,L,C), key_valid (B,L) bool or None -> (B,S,C). Exact, chunked over S."""
    b, s, c = q.shape
    d = c // heads
    qh = q.reshape(b, s, heads, d).transpose(1, 2)
    kh = k.reshape(b, k.shape[1], heads, d).transpose(1, 2)
    vh = v.reshape(b, v.shape[1], heads, d).transpose(1, 2)
    bias = None
    if key_valid is not None:
        bias = torch.where(key_valid, 0.0, float("-inf"))[:, None, None, :]
    outs = []
    step = chunk or s
    for i in range(0, s, step):
        sc = torch.matmul(qh[:, :, i:i + step], kh.transpose(-1, -2)) * (1.0 / math.sqrt(d))
        if bias is not None:
            sc = sc + bias
        outs.append(torch.matmul(torch.softmax(sc, dim=-1), vh))
    o = torch.cat(outs, dim=2) if len(outs) > 1 else outs[0]
    return o.transpose(1, 2).reshape(b, s, c)


class _MHA(torch.autograd.Function):
    @staticmethod
    def forward(ctx, q, k, v, heads, key_valid):
        return _attention_math(q, k, v, heads, key_valid, _ATTN["chunk"])

    @staticmethod
    def symbolic(g, q, k, v, heads, key_valid):
        args = [q, k, v]
        if not (key_valid is None or key_valid.node().mustBeNone()):
            c = g.op("Constant", value_t=torch.zeros(1, dtype=torch.float32))
            # bias (3C) of zeros is required positionally before key_padding_mask
            shape_c = g.op("Shape", q)
            last = g.op("Gather", shape_c, g.op("Constant", value_t=torch.tensor(2)), axis_i=0)
            three_c = g.op("Mul", last, g.op("Constant", value_t=torch.tensor(3)))
            bias = g.op("Expand", c, g.op("Unsqueeze", three_c, g.op("Constant", value_t=torch.tensor([0]))))
            args += [bias, g.op("Cast", key_valid, to_i=6)]
        return g.op("com.microsoft::MultiHeadAttention", *args, num_heads_i=heads)


def attention(q, k, v, heads, key_valid=None):
    """Multi-head attention on merged heads: q (B,S,C), k/v (B,L,C) -> (B,S,C)."""
    if torch.onnx.is_in_onnx_export() and _ATTN["export"] == "mha":
        out = _MHA.apply(q, k, v, heads, key_valid)
        return out
    return _attention_math(q, k, v, heads, key_valid, _ATTN["chunk"])


class LayerNorm(nn.Module):
    """LayerNorm over the last dim, computed in fp32. No-affine variant keeps constant buffers
    (nn.LayerNorm(elementwise_affine=False) exports badly in torch 1.13); they are not state-dict keys."""

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
        dt = x.dtype
        return F.layer_norm(x.float(), (self.dim,), self.weight.float(), self.bias.float(), self.eps).to(dt)


class MultiHeadRMSNorm(nn.Module):
    """normalize(x) * gamma[head] * sqrt(head_dim) on (..., L, H, D); gamma (H, D) as in the checkpoint."""

    def __init__(self, head_dim, heads):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(heads, head_dim))
        self.scale = math.sqrt(head_dim)

    def forward(self, x):
        n = torch.clamp(torch.sqrt((x.float() * x.float()).sum(-1, keepdim=True)), min=1e-12)
        return (x.float() / n * self.gamma.float() * self.scale).to(x.dtype)


def timestep_frequencies(t, dim=256, max_period=10000.0):
    """[cos(t w_i), sin(t w_i)], w_i = exp(-ln(max_period) i / (dim/2)): cos first."""
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
    args = t[:, None].float() * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class TimestepEmbedder(nn.Module):
    """mlp.0 Linear(256, W), SiLU, mlp.2 Linear(W, W)."""

    def __init__(self, width, freq_dim=256):
        super().__init__()
        self.freq_dim = freq_dim
        self.mlp = nn.Sequential(nn.Linear(freq_dim, width), nn.SiLU(), nn.Linear(width, width))

    def forward(self, t):
        return self.mlp(timestep_frequencies(t, self.freq_dim).to(self.mlp[0].weight.dtype))


def ape(coords, channels):
    """Absolute position embedding: per axis [sin, cos] over F = C//3//2 frequencies 1/10000^(i/F), axes
    x, y, z concatenated, zero-padded to C. coords (..., 3) int or float."""
    fdim = channels // 3 // 2
    freqs = 1.0 / (10000.0 ** (torch.arange(fdim, dtype=torch.float32) / fdim))
    out = coords.float()[..., None] * freqs
    emb = torch.cat([torch.sin(out), torch.cos(out)], dim=-1)
    emb = emb.reshape(*emb.shape[:-2], 3 * 2 * fdim)
    pad = channels - 6 * fdim
    return F.pad(emb, (0, pad)) if pad else emb


def grid_coords(res):
    """(res^3, 3) coordinates in x-major order (token index x*res^2 + y*res + z)."""
    ax = torch.arange(res, dtype=torch.float32)
    return torch.stack(torch.meshgrid(ax, ax, ax, indexing="ij"), -1).reshape(-1, 3)


class FeedForward(nn.Module):
    """mlp.0 Linear(C, rC), tanh-GELU, mlp.2 Linear(rC, C)."""

    def __init__(self, dim, ratio, approximate="tanh"):
        super().__init__()
        self.approximate = approximate
        self.mlp = nn.Sequential(nn.Linear(dim, int(dim * ratio)), nn.GELU(approximate=approximate),
                                 nn.Linear(int(dim * ratio), dim))

    def forward(self, x):
        return self.mlp(x)


class CrossAttention(nn.Module):
    """to_q / to_kv / to_out; no q/k norm on the cross path, so one zero context token is exact for
    the unconditional pass."""

    def __init__(self, dim, ctx_dim, heads):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(dim, dim)
        self.to_kv = nn.Linear(ctx_dim, 2 * dim)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x, ctx):
        q = self.to_q(x)
        kv = self.to_kv(ctx)
        c = q.shape[-1]
        # to_kv output is laid out (2, H, D): first C channels are k, next C are v.
        return self.to_out(attention(q, kv[..., :c], kv[..., c:], self.heads))


def pad_sentinel(f):
    """Append the all-zero sentinel row along the row axis (-2)."""
    return F.pad(f, (0, 0, 0, 1))


def gather_rows(f, index):
    """f (..., R, C) gathered along rows with an index of any shape -> (..., *index.shape, C)."""
    g = torch.index_select(f, f.dim() - 2, index.reshape(-1).long())
    return g.reshape(*f.shape[:-2], *index.shape, f.shape[-1])


class SpconvWeight(nn.Module):
    """A spconv SubMConv3d parameter holder: `conv.weight` (out, k, k, k, in) ("KRSC"), `conv.bias` (out)."""

    def __init__(self, cin, cout, k):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(cout, k, k, k, cin))
        self.bias = nn.Parameter(torch.zeros(cout))


class SubMConv3d(nn.Module):
    """Submanifold conv as 27 gathers over the host neighbour map (sentinel = zero row):
    out[p] = b + sum_k W_k in[nbr[p,k]], k = (dx+1)*9 + (dy+1)*3 + (dz+1), W_k = weight[:, dx+1, dy+1, dz+1, :].
    The 27 terms are accumulated one by one, so no (N, 27, C) tensor exists. Kernel 1 is a per-row linear."""

    def __init__(self, cin, cout, k=3):
        super().__init__()
        self.k = k
        self.conv = SpconvWeight(cin, cout, k)

    def forward(self, f, nbr=None):
        w = self.conv.weight
        if self.k == 1:
            return torch.matmul(f, w.reshape(w.shape[0], -1).t()) + self.conv.bias
        fp = pad_sentinel(f)
        acc = None
        for k in range(27):
            wk = w[:, k // 9, (k // 3) % 3, k % 3, :]  # (out, in)
            term = torch.matmul(gather_rows(fp, nbr[:, k]), wk.t())
            acc = term if acc is None else acc + term
        return acc + self.conv.bias


class SparseGroupNorm(nn.Module):
    """GroupNorm over all voxels of one object, in fp32: x (N, C). Keys weight/bias (GroupNorm32)."""

    def __init__(self, groups, channels, eps=1e-5):
        super().__init__()
        self.groups, self.eps = groups, eps
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        dt = x.dtype
        n, c = x.shape
        g = x.float().reshape(n, self.groups, c // self.groups)
        mean = g.mean(dim=(0, 2), keepdim=True)
        var = ((g - mean) ** 2).mean(dim=(0, 2), keepdim=True)
        g = (g - mean) / torch.sqrt(var + self.eps)
        return (g.reshape(n, c) * self.weight.float() + self.bias.float()).to(dt)
