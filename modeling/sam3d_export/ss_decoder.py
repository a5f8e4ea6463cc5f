"""Stage-1 VAE decoder (reference 1.8): dense Conv3d, ChannelLayerNorm (affine, eps 1e-5), 3D pixel
shuffle. Keys: input_layer, middle_block.{i}.{norm1,conv1,norm2,conv2}, blocks.{i}.* (ResBlock3d or
UpsampleBlock3d .conv), out_layer.{0 norm, 2 conv}."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .ops import LayerNorm


class ChannelLayerNorm(LayerNorm):
    def __init__(self, ch):
        super().__init__(ch, 1e-5, affine=True)

    def forward(self, x):
        return super().forward(x.permute(0, 2, 3, 4, 1)).permute(0, 4, 1, 2, 3)


class ResBlock3d(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.norm1 = ChannelLayerNorm(ch)
        self.conv1 = nn.Conv3d(ch, ch, 3, padding=1)
        self.norm2 = ChannelLayerNorm(ch)
        self.conv2 = nn.Conv3d(ch, ch, 3, padding=1)

    def forward(self, x):
        h = self.conv1(F.silu(self.norm1(x)))
        return x + self.conv2(F.silu(self.norm2(h)))


def pixel_shuffle_3d(x):
    """Channel c*8 + 4i+2j+k -> (2x+i, 2y+j, 2z+k); one axis at a time so no Transpose exceeds rank 6."""
    b, c8, nx, ny, nz = x.shape
    c = c8 // 8
    x = x.reshape(b * c, 2, 4, nx, ny, nz).permute(0, 2, 3, 1, 4, 5).reshape(b * c, 4, 2 * nx, ny, nz)
    x = x.reshape(b * c, 2, 2, 2 * nx, ny, nz).permute(0, 2, 3, 4, 1, 5).reshape(b * c, 2, 2 * nx, 2 * ny, nz)
    x = x.permute(0, 2, 3, 4, 1).reshape(b * c, 2 * nx, 2 * ny, 2 * nz)
    return x.reshape(b, c, 2 * nx, 2 * ny, 2 * nz)


class UpsampleBlock3d(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv3d(cin, 8 * cout, 3, padding=1)

    def forward(self, x):
        return pixel_shuffle_3d(self.conv(x))


class SSDecoder(nn.Module):
    """shape_latent (B, R^3, C) token index x*R^2 + y*R + z -> occupancy_logits (B, G, G, G)."""

    def __init__(self, a, res):
        super().__init__()
        ch = a["channels"]
        self.res, self.latent = res, a["latent"]
        self.input_layer = nn.Conv3d(a["latent"], ch[0], 3, padding=1)
        self.middle_block = nn.Sequential(*[ResBlock3d(ch[0]) for _ in range(a["res_blocks_middle"])])
        blocks = []
        for i, c in enumerate(ch):
            blocks += [ResBlock3d(c) for _ in range(a["res_blocks"])]
            if i < len(ch) - 1:
                blocks.append(UpsampleBlock3d(c, ch[i + 1]))
        self.blocks = nn.ModuleList(blocks)
        self.out_layer = nn.Sequential(ChannelLayerNorm(ch[-1]), nn.SiLU(), nn.Conv3d(ch[-1], a["out"], 3, padding=1))

    def forward(self, shape_latent):
        b, r = shape_latent.shape[0], self.res
        h = self.input_layer(shape_latent.transpose(1, 2).reshape(b, self.latent, r, r, r))
        h = self.middle_block(h)
        for blk in self.blocks:
            h = blk(h)
        return self.out_layer(h)[:, 0]
