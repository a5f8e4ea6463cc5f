"""SLaT decoders (reference 1.11): swin-window sparse transformer trunk (windows from host indices),
mesh head with two subdivide blocks, Gaussian head. Keys (raw decoder state dicts, no prefix):
input_layer, blocks.{i}.{attn.to_qkv,attn.to_out,mlp.mlp.0,mlp.mlp.2}, upsample.{j}.{act_layers.0,
out_layers.0.conv, out_layers.1, out_layers.3.conv, skip_connection.conv}, out_layer, offset_perturbation."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .ops import FeedForward, LayerNorm, SparseGroupNorm, SubMConv3d, ape, attention, gather_rows, pad_sentinel


def window_attention(qkv, heads, idx, valid, inv):
    """qkv (N,3C) -> (N,C). Windows idx (W,Lw) with sentinel N, valid (W,Lw), inv (N) = w*Lw + slot."""
    n, c3 = qkv.shape
    c = c3 // 3
    g = gather_rows(pad_sentinel(qkv), idx)  # (W,Lw,3C)
    w, lw = g.shape[0], g.shape[1]
    o = attention(g[..., :c], g[..., c:2 * c], g[..., 2 * c:], heads, valid)  # (W,Lw,C)
    return gather_rows(o.reshape(w * lw, c), inv)


class WindowAttention(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(width, 3 * width)
        self.to_out = nn.Linear(width, width)


class SwinBlock(nn.Module):
    """x += attn(LN(x)); x += MLP(LN(x)); LN no affine eps 1e-6; block i uses shift index i mod 2."""

    def __init__(self, a, shift_index):
        super().__init__()
        w = a["width"]
        self.shift_index = shift_index
        self.norm1 = LayerNorm(w, 1e-6, affine=False)
        self.norm2 = LayerNorm(w, 1e-6, affine=False)
        self.attn = WindowAttention(w, a["heads"])
        self.mlp = FeedForward(w, a["mlp_ratio"])

    def forward(self, x, windows):
        idx, valid, inv = windows[self.shift_index]
        x = x + self.attn.to_out(window_attention(self.attn.to_qkv(self.norm1(x)), self.attn.heads, idx, valid, inv))
        return x + self.mlp(self.norm2(x))


def shifts(a):
    """Swin shifts in pack order: block i shifts by window//2 * (i % 2)."""
    return [0, a["window"] // 2]


class Trunk(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.a = a
        self.input_layer = nn.Linear(a["latent"], a["width"])
        self.blocks = nn.ModuleList([SwinBlock(a, i % 2) for i in range(a["depth"])])

    def trunk(self, feats, coords, windows):
        h = self.input_layer(feats) + ape(coords, self.a["width"])
        for blk in self.blocks:
            h = blk(h, windows)
        return h


def subdivide(f):
    """Row 8i + o holds voxel i's features for child o = 4a+2b+c."""
    return f.unsqueeze(1).expand(-1, 8, -1).reshape(-1, f.shape[-1])


class SubdivideBlock(nn.Module):
    """h = subdivide(SiLU(GN(x))); x = subdivide(x); h = conv3(SiLU(GN(conv3(h)))) + conv1(x)."""

    def __init__(self, cin, cout, groups):
        super().__init__()
        self.act_layers = nn.Sequential(SparseGroupNorm(groups, cin), nn.SiLU())
        self.out_layers = nn.ModuleList([SubMConv3d(cin, cout), SparseGroupNorm(groups, cout), nn.SiLU(),
                                         SubMConv3d(cout, cout)])
        self.skip_connection = SubMConv3d(cin, cout, k=1) if cin != cout else None

    def forward(self, x, nbr):
        h = subdivide(self.act_layers(x))
        x = subdivide(x)
        h = self.out_layers[0](h, nbr)
        h = self.out_layers[2](self.out_layers[1](h))
        h = self.out_layers[3](h, nbr)
        return h + (self.skip_connection(x) if self.skip_connection is not None else x)


class MeshDecoder(Trunk):
    def __init__(self, a):
        super().__init__(a)
        ch = [a["width"]] + a["sub_channels"]
        self.upsample = nn.ModuleList([SubdivideBlock(ch[i], ch[i + 1], a["groups"]) for i in range(len(ch) - 1)])
        self.out_layer = nn.Linear(ch[-1], a["channels"])

    def forward(self, feats, coords, win0_idx, win0_valid, win0_inv, win1_idx, win1_valid, win1_inv, *nbr_sub):
        windows = [(win0_idx, win0_valid, win0_inv), (win1_idx, win1_valid, win1_inv)]
        h = self.trunk(feats, coords, windows)
        for blk, nbr in zip(self.upsample, nbr_sub):
            h = blk(h, nbr)
        return self.out_layer(h)


def hammersley_perturbation(n, voxel_size):
    """atanh((hammersley(3, i, n) * 2 - 1) / voxel_size): the GS decoder's offset_perturbation buffer."""
    def radinv(i, base):
        r, f = 0.0, 1.0 / base
        while i > 0:
            r += f * (i % base)
            i //= base
            f /= base
        return r
    pts = torch.tensor([[i / n, radinv(i, 2), radinv(i, 3)] for i in range(n)], dtype=torch.float32)
    return torch.atanh((pts * 2 - 1) / voxel_size)


class GaussianDecoder(Trunk):
    """gs_raw (N, G*14): trunk, layer_norm (no affine, eps 1e-5), out_layer. The activations (and the
    offset_perturbation buffer) are host-side; the buffer is checked against its formula at load time."""

    def __init__(self, a):
        super().__init__(a)
        self.out_norm = LayerNorm(a["width"], 1e-5, affine=False)
        self.out_layer = nn.Linear(a["width"], a["channels"])
        self.register_buffer("offset_perturbation", hammersley_perturbation(a["num_gaussians"], a["voxel_size"]))

    def forward(self, feats, coords, win0_idx, win0_valid, win0_inv, win1_idx, win1_valid, win1_inv):
        windows = [(win0_idx, win0_valid, win0_inv), (win1_idx, win1_valid, win1_inv)]
        return self.out_layer(self.out_norm(self.trunk(feats, coords, windows)))
