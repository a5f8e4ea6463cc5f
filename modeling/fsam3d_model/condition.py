"""Condition embedders (reference 1.6): DINOv2-reg-like ViT, PointPatchEmbed, EmbedderFuser."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import config as C
from .layers import LayerNorm, Mlp, SwiGLU, attention, merge_heads, split_heads


class VitBlock(nn.Module):
    """timm/DINOv2 block: pre-LN (eps 1e-6), qkv bias, exact-erf GELU, optional LayerScale."""

    def __init__(self, dim, heads, mlp_ratio, layer_scale):
        super().__init__()
        self.heads = heads
        self.norm1 = LayerNorm(dim, 1e-6)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = LayerNorm(dim, 1e-6)
        self.mlp = Mlp(dim, int(dim * mlp_ratio), approximate="none")
        if layer_scale:
            self.ls1 = nn.Parameter(torch.ones(dim))
            self.ls2 = nn.Parameter(torch.ones(dim))
        else:
            self.ls1 = self.ls2 = None

    def forward(self, x):
        q, k, v = self.qkv(self.norm1(x)).chunk(3, dim=-1)
        h = self.proj(merge_heads(attention(*(split_heads(t, self.heads) for t in (q, k, v)))))
        x = x + (h * self.ls1 if self.ls1 is not None else h)
        h = self.mlp(self.norm2(x))
        return x + (h * self.ls2 if self.ls2 is not None else h)


class TinyDino(nn.Module):
    """ViT/14 with 4 register tokens. ImageNet normalisation happens here (pack: normalize 'graph');
    a 1-channel mask is repeated to 3 channels first."""

    def __init__(self):
        super().__init__()
        d = C.DINO_DIM
        self.patch_embed = nn.Conv2d(3, d, C.DINO_PATCH, C.DINO_PATCH)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.register_tokens = nn.Parameter(torch.zeros(1, C.DINO_REGISTERS, d))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + C.DINO_PATCHES, d))
        self.blocks = nn.ModuleList([VitBlock(d, C.DINO_HEADS, 4, True) for _ in range(C.DINO_DEPTH)])
        self.norm = LayerNorm(d, 1e-6)
        self.prenorm_ln = LayerNorm(d, 1e-5, affine=False)
        self.register_buffer("mean", torch.tensor(C.IMAGENET_MEAN).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(C.IMAGENET_STD).view(1, 3, 1, 1), persistent=False)

    def forward(self, img):
        """img (B,3|1,S,S) in [0,1] -> (norm tokens (B,17,d), prenorm-LN tokens (B,21,d))."""
        if img.shape[1] == 1:
            img = img.expand(-1, 3, -1, -1)
        x = (img - self.mean) / self.std
        x = self.patch_embed(x).flatten(2).transpose(1, 2)  # (B,16,d), row-major patches
        b = x.shape[0]
        x = torch.cat([self.cls_token.expand(b, -1, -1), x], dim=1) + self.pos_embed
        x = torch.cat([x[:, :1], self.register_tokens.expand(b, -1, -1), x[:, 1:]], dim=1)
        for blk in self.blocks:
            x = blk(x)
        xn = self.norm(x)
        norm_tokens = torch.cat([xn[:, :1], xn[:, 1 + C.DINO_REGISTERS:]], dim=1)  # registers dropped
        return norm_tokens, self.prenorm_ln(x)


class PointPatchEmbed(nn.Module):
    """Reference 1.6: nearest-resize to 16, invalid pixels -> learned token, 8x8 windows with a cls
    token and one ViT block; per-window cls output + pos_embed."""

    def __init__(self):
        super().__init__()
        d, p = C.POINT_DIM, C.POINT_PATCH
        g = C.POINT_INPUT // p
        self.in_proj = nn.Linear(3, d)
        self.invalid_xyz_token = nn.Parameter(torch.zeros(d))
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.pos_embed_window = nn.Parameter(torch.zeros(1, 1 + p * p, d))
        self.block = VitBlock(d, C.POINT_HEADS, 2, False)
        self.pos_embed = nn.Parameter(torch.zeros(1, d, g, g))
        # PyTorch legacy nearest: src = floor(dst * in / out); a fixed gather is exact in ONNX.
        idx = [int(i * C.IMAGE_SIZE // C.POINT_INPUT) for i in range(C.POINT_INPUT)]
        self.register_buffer("resize_idx", torch.tensor(idx, dtype=torch.long), persistent=False)

    def forward(self, pm):
        """pm (B,3,S,S) float with NaN/inf invalid -> (B,4,d)."""
        d, p = C.POINT_DIM, C.POINT_PATCH
        g = C.POINT_INPUT // p
        pm = torch.index_select(torch.index_select(pm, 2, self.resize_idx), 3, self.resize_idx)
        xyz = pm.permute(0, 2, 3, 1)  # (B,16,16,3)
        valid = (~torch.isnan(xyz) & ~torch.isinf(xyz)).all(dim=-1, keepdim=True)
        xyz = torch.where(valid, xyz, torch.zeros_like(xyz))
        x = torch.where(valid, self.in_proj(xyz), self.invalid_xyz_token)
        b = x.shape[0]
        x = x.reshape(b, g, p, g, p, d).permute(0, 1, 3, 2, 4, 5).reshape(b * g * g, p * p, d)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + self.pos_embed_window
        x = self.block(x)[:, 0].reshape(b, g * g, d)
        return x + self.pos_embed.flatten(2).transpose(1, 2)


def _swiglu_hidden(dim):
    # Llama rule 256*ceil(int(2*4*D/3)/256) shrunk: multiple_of 16 at tiny width.
    h = int(2 * 4 * dim / 3)
    return 16 * ((h + 15) // 16)


class Projection(nn.Module):
    """LayerNorm(d_in, affine, eps 1e-5) then SwiGLU to the condition width."""

    def __init__(self, d_in):
        super().__init__()
        self.norm = LayerNorm(d_in, 1e-5)
        self.ff = SwiGLU(d_in, _swiglu_hidden(C.COND_DIM), C.COND_DIM)

    def forward(self, x):
        return self.ff(self.norm(x))


class SSCondition(nn.Module):
    """Tokens: image crop 17 | image full 17 | mask crop 17 | mask full 17 | pointmap crop 4 |
    pointmap full 4 = 76 x 32. idx_emb row 0 = cropped, 1 = full. The pointmap blocks are multiplied
    by pointmap_weight (0 = modality dropped, the no-depth mode)."""

    def __init__(self, dino_image, dino_mask):
        super().__init__()
        self.dino_image, self.dino_mask = dino_image, dino_mask
        self.point = PointPatchEmbed()
        self.proj_image = Projection(C.DINO_DIM)
        self.proj_mask = Projection(C.DINO_DIM)
        self.proj_point = Projection(C.POINT_DIM)
        self.idx_emb = nn.Parameter(torch.zeros(3, C.COND_DIM))

    def forward(self, image_crop, image_full, mask_crop, mask_full, pointmap_crop, pointmap_full,
                pointmap_weight):
        img = self.proj_image(self.dino_image(torch.cat([image_crop, image_full], 0))[0])
        msk = self.proj_mask(self.dino_mask(torch.cat([mask_crop, mask_full], 0))[0])
        pts = self.proj_point(self.point(torch.cat([pointmap_crop, pointmap_full], 0)))
        w = pointmap_weight.reshape(1, 1, 1)
        e0, e1 = self.idx_emb[0], self.idx_emb[1]
        toks = [img[0:1] + e0, img[1:2] + e1, msk[0:1] + e0, msk[1:2] + e1,
                (pts[0:1] + e0) * w, (pts[1:2] + e1) * w]
        return torch.cat(toks, dim=1)


class SlatCondition(nn.Module):
    """Tokens: image crop 21 | image full 21 | mask crop 21 | mask full 21 = 84 x 32 (pre-norm
    DINO features through a no-affine LayerNorm, eps 1e-5)."""

    def __init__(self, dino_image, dino_mask):
        super().__init__()
        self.dino_image, self.dino_mask = dino_image, dino_mask
        self.proj_image = Projection(C.DINO_DIM)
        self.proj_mask = Projection(C.DINO_DIM)
        self.idx_emb = nn.Parameter(torch.zeros(3, C.COND_DIM))

    def forward(self, image_crop, image_full, mask_crop, mask_full):
        img = self.proj_image(self.dino_image(torch.cat([image_crop, image_full], 0))[1])
        msk = self.proj_mask(self.dino_mask(torch.cat([mask_crop, mask_full], 0))[1])
        e0, e1 = self.idx_emb[0], self.idx_emb[1]
        return torch.cat([img[0:1] + e0, img[1:2] + e1, msk[0:1] + e0, msk[1:2] + e1], dim=1)
