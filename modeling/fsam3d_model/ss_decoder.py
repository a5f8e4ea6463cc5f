"""Stage-1 VAE decoder (reference 1.8) at tiny size: dense conv3d, 4^3x8 -> 16^3 occupancy logits."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import config as C
from .layers import LayerNorm


class ChannelLayerNorm(nn.Module):
    """LayerNorm over channels of (B,C,X,Y,Z), affine, eps 1e-5."""

    def __init__(self, ch):
        super().__init__()
        self.norm = LayerNorm(ch, 1e-5)

    def forward(self, x):
        return self.norm(x.permute(0, 2, 3, 4, 1)).permute(0, 4, 1, 2, 3)


class ResBlock3d(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.norm1 = ChannelLayerNorm(ch)
        self.conv1 = nn.Conv3d(ch, ch, 3, padding=1)
        self.norm2 = ChannelLayerNorm(ch)
        self.conv2 = nn.Conv3d(ch, ch, 3, padding=1)

    def forward(self, x):
        h = self.conv1(F.silu(self.norm1(x)))
        h = self.conv2(F.silu(self.norm2(h)))
        return x + h


def pixel_shuffle_3d(x):
    """Channel c*8 + 4i+2j+k -> position (2x+i, 2y+j, 2z+k). Done one axis at a time so no
    Transpose exceeds rank 6 (some EPs refuse rank 8)."""
    b, c8, nx, ny, nz = x.shape
    c = c8 // 8
    x = x.reshape(b * c, 2, 4, nx, ny, nz).permute(0, 2, 3, 1, 4, 5).reshape(b * c, 4, 2 * nx, ny, nz)
    x = x.reshape(b * c, 2, 2, 2 * nx, ny, nz).permute(0, 2, 3, 4, 1, 5).reshape(b * c, 2, 2 * nx, 2 * ny, nz)
    x = x.permute(0, 2, 3, 4, 1).reshape(b * c, 2 * nx, 2 * ny, 2 * nz)
    return x.reshape(b, c, 2 * nx, 2 * ny, 2 * nz)


class Upsample3d(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv3d(cin, 8 * cout, 3, padding=1)

    def forward(self, x):
        return pixel_shuffle_3d(self.conv(x))


def ellipsoid_q(g):
    """Q(c) = sum_i K_i (c_i - centre_i)^2 on the g^3 voxel grid (integer-valued, config.py)."""
    ax = torch.arange(g, dtype=torch.float32)
    k, c0 = C.OBJ_K, C.OBJ_CENTRE
    return (k[0] * (ax - c0[0])[:, None, None] ** 2 + k[1] * (ax - c0[1])[None, :, None] ** 2
            + k[2] * (ax - c0[2])[None, None, :] ** 2)


class SSDecoder(nn.Module):
    """shape_latent (B,64,8) -> occupancy_logits (B,16,16,16), axes (x,y,z).
    logits = slope*(T - Q(voxel)) + amplitude*tanh(net) (config.py): the ellipsoid prior keeps a
    random-weight pack object-like; the bounded net term keeps every weight observable but never
    flips a voxel."""

    def __init__(self):
        super().__init__()
        c0, c1, c2 = C.SS_DEC_CHANNELS
        self.input_layer = nn.Conv3d(C.SS_CHANNELS, c0, 3, padding=1)
        self.middle = nn.ModuleList([ResBlock3d(c0)])
        self.blocks = nn.ModuleList([ResBlock3d(c0), Upsample3d(c0, c1), ResBlock3d(c1), Upsample3d(c1, c2),
                                     ResBlock3d(c2)])
        self.out_norm = ChannelLayerNorm(c2)
        self.out_layer = nn.Conv3d(c2, 1, 3, padding=1)
        # Clamped so logits stay O(10) (ONNX/PyTorch differences stay ~1e-6 absolute).
        prior = torch.clamp(C.SS_PRIOR_SLOPE * (C.SS_PRIOR_T - ellipsoid_q(C.SS_OCC_RES)), -12.0, 12.0)
        self.register_buffer("prior", prior, persistent=False)

    def forward(self, shape_latent):
        b = shape_latent.shape[0]
        r = C.SS_RES
        x = shape_latent.transpose(1, 2).reshape(b, C.SS_CHANNELS, r, r, r)
        h = self.input_layer(x)
        for blk in self.middle:
            h = blk(h)
        for blk in self.blocks:
            h = blk(h)
        h = self.out_layer(F.silu(self.out_norm(h)))[:, 0]
        return self.prior + C.SS_NET_AMPLITUDE * torch.tanh(h)
