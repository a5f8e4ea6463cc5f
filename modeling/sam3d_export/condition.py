"""Condition embedders (reference 1.6): DINOv2 ViT/14 with registers, PointPatchEmbed, EmbedderFuser.
Attribute names follow the checkpoint's keys after the `_base_models.condition_embedder.` prefix:
module_list.{i}.backbone.* (DINO), module_list.{i}.* (point embed), projection_nets.{i}.{0,1}.*, idx_emb."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .ops import LayerNorm, attention


class LayerScale(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * self.gamma


class TimmAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        qkv = self.qkv(x)
        c = x.shape[-1]
        return self.proj(attention(qkv[..., :c], qkv[..., c:2 * c], qkv[..., 2 * c:], self.heads))


class TimmMlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))  # exact erf GELU


class ViTBlock(nn.Module):
    """DINOv2 / timm block: pre-LN (eps 1e-6), qkv bias, erf GELU, optional LayerScale (ls1/ls2.gamma)."""

    def __init__(self, dim, heads, mlp_ratio, layer_scale):
        super().__init__()
        self.norm1 = LayerNorm(dim, 1e-6)
        self.attn = TimmAttention(dim, heads)
        self.norm2 = LayerNorm(dim, 1e-6)
        self.mlp = TimmMlp(dim, int(dim * mlp_ratio))
        self.ls1 = LayerScale(dim) if layer_scale else None
        self.ls2 = LayerScale(dim) if layer_scale else None

    def forward(self, x):
        h = self.attn(self.norm1(x))
        x = x + (self.ls1(h) if self.ls1 is not None else h)
        h = self.mlp(self.norm2(x))
        return x + (self.ls2(h) if self.ls2 is not None else h)


class PatchEmbed(nn.Module):
    def __init__(self, dim, patch):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, patch, patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class DinoViT(nn.Module):
    """torch.hub dinov2_vit*14(_reg) at its own input size (no position interpolation)."""

    def __init__(self, a):
        super().__init__()
        d = a["width"]
        self.a = a
        self.patch_embed = PatchEmbed(d, a["patch"])
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.pos_embed = nn.Parameter(torch.zeros(1, a["pos_tokens"], d))
        if a["registers"]:
            self.register_tokens = nn.Parameter(torch.zeros(1, a["registers"], d))
        self.mask_token = nn.Parameter(torch.zeros(1, d))  # used only for masked training; kept to load
        self.blocks = nn.ModuleList([ViTBlock(d, a["heads"], a["mlp_ratio"], True) for _ in range(a["depth"])])
        self.norm = LayerNorm(d, 1e-6)

    def forward(self, x):
        x = self.patch_embed(x)
        b = x.shape[0]
        x = torch.cat([self.cls_token.expand(b, -1, -1), x], dim=1) + self.pos_embed
        if self.a["registers"]:
            x = torch.cat([x[:, :1], self.register_tokens.expand(b, -1, -1), x[:, 1:]], dim=1)
        for blk in self.blocks:
            x = blk(x)
        return x


class DinoEmbedder(nn.Module):
    """The Dino wrapper: 1-channel masks repeated to 3, ImageNet normalisation in the graph, tokens
    = [norm cls, norm patches] (registers dropped) or layer_norm(prenorm, no affine, eps 1e-5)."""

    def __init__(self, a, mean, std):
        super().__init__()
        self.a = a
        self.backbone = DinoViT(a)
        self.register_buffer("mean", torch.tensor(mean).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(std).view(1, 3, 1, 1), persistent=False)
        self.prenorm_ln = LayerNorm(a["width"], 1e-5, affine=False)

    def forward(self, img):
        if img.shape[1] == 1:
            img = img.expand(-1, 3, -1, -1)
        if self.a["normalize"]:
            img = (img - self.mean) / self.std
        x = self.backbone(img)
        if self.a["prenorm"]:
            return self.prenorm_ln(x)
        xn = self.backbone.norm(x)
        return torch.cat([xn[:, :1], xn[:, 1 + self.a["registers"]:]], dim=1)


class PointPatchEmbed(nn.Module):
    """Nearest-resize (legacy floor indexing, as fixed gathers) to input_size, invalid xyz -> learned
    token, windows of patch x patch with a cls token and one timm block, per-window cls + pos_embed."""

    def __init__(self, e, image_size):
        super().__init__()
        d, p = e["dim"], e["patch"]
        g = e["input_size"] // p
        self.e = e
        self.point_proj = nn.Linear(3, d)
        self.invalid_xyz_token = nn.Parameter(torch.zeros(d))
        self.pos_embed = nn.Parameter(torch.zeros(1, d, g, g))
        self.pos_embed_window = nn.Parameter(torch.zeros(1, 1 + p * p, d))
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.blocks = nn.ModuleList([ViTBlock(d, e["heads"], e["mlp_ratio"], False)])
        idx = [int(i * image_size // e["input_size"]) for i in range(e["input_size"])]
        self.register_buffer("resize_idx", torch.tensor(idx, dtype=torch.long), persistent=False)

    def forward(self, pm):
        d, p = self.e["dim"], self.e["patch"]
        g = self.e["input_size"] // p
        pm = torch.index_select(torch.index_select(pm, 2, self.resize_idx), 3, self.resize_idx)
        xyz = pm.permute(0, 2, 3, 1)
        valid = (~torch.isnan(xyz) & ~torch.isinf(xyz)).all(dim=-1, keepdim=True)
        xyz = torch.where(valid, xyz, torch.zeros_like(xyz))
        x = torch.where(valid, self.point_proj(xyz), self.invalid_xyz_token)
        b = x.shape[0]
        x = x.reshape(b, g, p, g, p, d).permute(0, 1, 3, 2, 4, 5).reshape(b * g * g, p * p, d)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + self.pos_embed_window
        for blk in self.blocks:
            x = blk(x)
        x = x[:, 0].reshape(b, g * g, d)
        return x + self.pos_embed.flatten(2).transpose(1, 2)


class SwiGLU(nn.Module):
    def __init__(self, dim, hidden, out):
        super().__init__()
        self.w1 = nn.Linear(dim, hidden, bias=False)
        self.w2 = nn.Linear(hidden, out, bias=False)
        self.w3 = nn.Linear(dim, hidden, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


# Official kwarg names -> our contract's input names.
KWARG_TO_INPUT = {"image": "image_crop", "rgb_image": "image_full", "mask": "mask_crop",
                  "rgb_image_mask": "mask_full", "pointmap": "pointmap_crop", "rgb_pointmap": "pointmap_full"}


class EmbedderFuser(nn.Module):
    """Per (embedder, kwarg): embed, project (LayerNorm eps 1e-5 + SwiGLU), + idx_emb[group]; concat.
    The two inputs of one embedder run as a batch of 2. Point tokens are multiplied by pointmap_weight."""

    def __init__(self, f, consts, image_size):
        super().__init__()
        self.f = f
        mods = []
        for e in f["embedders"]:
            if e["kind"] == "dino":
                mods.append(DinoEmbedder(e, consts["image_mean"], consts["image_std"]))
            else:
                mods.append(PointPatchEmbed(e, image_size))
        self.module_list = nn.ModuleList(mods)
        self.projection_nets = nn.ModuleList([
            nn.Sequential(LayerNorm(e["dim"], 1e-5), SwiGLU(e["dim"], f["hidden"], f["dim"])) for e in f["embedders"]])
        self.idx_emb = nn.Parameter(torch.zeros(f["idx_rows"], f["dim"]))
        self.input_names = [KWARG_TO_INPUT[k] for e in f["embedders"] for k, _ in e["uses"]]
        self.has_point = any(e["kind"] == "point" for e in f["embedders"])

    def forward(self, *args):
        inputs = dict(zip(self.input_names + (["pointmap_weight"] if self.has_point else []), args))
        toks = []
        for i, e in enumerate(self.f["embedders"]):
            x = torch.cat([inputs[KWARG_TO_INPUT[k]] for k, _ in e["uses"]], 0)
            y = self.projection_nets[i](self.module_list[i](x))
            for j, (k, g) in enumerate(e["uses"]):
                t = y[j:j + 1]
                if g is not None:
                    t = t + self.idx_emb[self.f["groups"][g]]
                if e["kind"] == "point":
                    t = t * inputs["pointmap_weight"].reshape(1, 1, 1)
                toks.append(t)
        return torch.cat(toks, dim=1)
