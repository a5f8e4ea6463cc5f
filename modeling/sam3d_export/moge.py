"""MoGe v1 (microsoft/MoGe at the commit SAM 3D pins) as the pack's optional `depth` stage.

Architecture (reference doc 1.3, 2.1 S0): DINOv2 ViT/14 (no registers) whose last `intermediate_layers`
blocks, each through the final norm, feed a conv head (1×1 projections summed, 3 upsample blocks of
ConvTranspose 2×2 + replicate-padded 3×3 conv + residual conv blocks, a view-plane uv grid concatenated
before every block, bilinear resize to the token-grid image size, two output blocks: points (3) and mask
logit (1)). Module and parameter names equal MoGe's state-dict keys, so the checkpoint (`model.pt`:
{"model_config": {...}, "model": state_dict}) loads with a strict key map; the architecture comes from
its own `model_config`.

Graph contract (engine/pack/contract.ts `depth`):
  in  image (1,3,h,w) float32 [0,1]: the photo after MoGe's step 1 (bicubic antialias to the token grid,
      done on the host), out_hw (2,) int64: the photo's (H, W);
  out points_affine (1,H,W,3) float32 (remap_output applied after the bilinear resize to H×W, as MoGe),
      mask_raw (1,H,W) float32 (threshold on the host).
Inside the graph: ImageNet normalisation; the antialiased bilinear crop to multiples of 14 and DINOv2's
bicubic position-embedding interpolation (interpolate_offset 0.1, no antialias) as small dense matrices
built from the dynamic sizes (torch 1.13 cannot export antialias or a traced scale factor); the two
dynamic-size bilinear resizes as ONNX Resize (linear, pytorch_half_pixel) on a runtime `sizes` tensor.

    python -m sam3d_export export ... --moge moge-vitl/model.pt   (adds the depth stage)
    python -m sam3d_export.moge --selfcheck                          (reduced width, PyTorch vs ONNX)
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .condition import PatchEmbed, ViTBlock
from .ops import LayerNorm

F32, I64 = "float32", "int64"

# DINOv2 hub backbones (facts: width, depth, heads; MLP ratio 4, patch 14, 518 px → 37×37 positions).
ENCODERS = {"dinov2_vits14": (384, 12, 6), "dinov2_vitb14": (768, 12, 12), "dinov2_vitl14": (1024, 24, 16)}

# MoGeModel.__init__ defaults at the pinned commit (used for keys the checkpoint's config omits).
DEFAULTS = {"encoder": "dinov2_vitb14", "intermediate_layers": 4, "dim_proj": 512, "dim_upsample": [256, 128, 128],
            "dim_times_res_block_hidden": 1, "num_res_blocks": 1, "remap_output": "linear",
            "res_block_norm": "group_norm", "num_tokens_range": [1200, 2500], "last_res_blocks": 0,
            "last_conv_channels": 32, "last_conv_size": 1, "mask_threshold": 0.5}


def arch_from_config(cfg, backbone=None):
    """model_config dict → our architecture dict. `backbone` overrides the encoder sizes (reduced tests)."""
    c = dict(DEFAULTS)
    cfg = dict(cfg)
    if "trained_area_range" in cfg:  # legacy key, as MoGe converts it
        lo, hi = cfg.pop("trained_area_range")
        cfg["num_tokens_range"] = [lo // 14 ** 2, hi // 14 ** 2]
    unknown = sorted(set(cfg) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"MoGe model_config has keys this exporter does not know: {unknown}")
    c.update(cfg)
    if backbone is None:
        if c["encoder"] not in ENCODERS:
            raise ValueError(f"MoGe encoder {c['encoder']!r} is not supported (have {sorted(ENCODERS)})")
        w, d, h = ENCODERS[c["encoder"]]
        backbone = {"width": w, "depth": d, "heads": h, "patch": 14, "grid": 37}
    if c["remap_output"] is True:
        c["remap_output"] = "linear"
    if c["remap_output"] not in ("linear", "sinh", "exp", "sinh_exp"):
        raise ValueError(f"MoGe remap_output {c['remap_output']!r} is not supported")
    c["backbone"] = backbone
    lo, hi = c["num_tokens_range"]
    c["num_tokens"] = int(lo + (9 / 9) * (hi - lo))  # infer(resolution_level=9)
    return c


# ------------------------------------------------------------------------------------------------
# Dynamic-size resampling that exports with torch 1.13 (opset 17)


class _ResizeBilinear(torch.autograd.Function):
    """F.interpolate(x, size=hw, mode='bilinear', align_corners=False, antialias=False) with hw a runtime
    int64 (2,) tensor; exported as ONNX Resize(linear, pytorch_half_pixel, sizes)."""

    @staticmethod
    def forward(ctx, x, hw):
        return F.interpolate(x, size=(int(hw[0]), int(hw[1])), mode="bilinear", align_corners=False)

    @staticmethod
    def symbolic(g, x, hw):
        shape = g.op("Shape", x)
        nc = g.op("Slice", shape, g.op("Constant", value_t=torch.tensor([0])), g.op("Constant", value_t=torch.tensor([2])))
        sizes = g.op("Concat", nc, hw, axis_i=0)
        empty = g.op("Constant", value_t=torch.tensor([], dtype=torch.float32))
        return g.op("Resize", x, empty, empty, sizes, mode_s="linear",
                    coordinate_transformation_mode_s="pytorch_half_pixel", nearest_mode_s="floor",
                    cubic_coeff_a_f=-0.75)


def resize_bilinear(x, hw):
    return _ResizeBilinear.apply(x, hw)


def _shape(x):
    return torch._shape_as_tensor(x)


def aa_bilinear_matrix(n_in, n_out):
    """(n_out, n_in) weights of F.interpolate(bilinear, align_corners=False, antialias=True) along one
    axis: triangle of half-width max(scale,1) around scale·(i+0.5), normalised per row."""
    scale = n_in.float() / n_out.float()
    support = torch.clamp(scale, min=1.0)
    i = torch.arange(n_out).float()
    j = torch.arange(n_in).float()
    center = scale * (i + 0.5)
    w = torch.clamp(1.0 - torch.abs((j[None, :] + 0.5 - center[:, None]) / support), min=0.0)
    return w / w.sum(dim=1, keepdim=True)


def _cubic(x, a=-0.75):
    x = torch.abs(x)
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return torch.where(x <= 1, near, torch.where(x < 2, far, torch.zeros_like(x)))


def bicubic_scale_matrix(m_in, n_out, offset):
    """(n_out, m_in) weights of F.interpolate(bicubic, align_corners=False, scale_factor=(n_out+offset)/m_in)
    (DINOv2's interpolate_pos_encoding): source = (dst+0.5)·m_in/(n_out+offset) − 0.5, 4 taps with
    A = −0.75, indices clamped to the edge."""
    inv = m_in / (n_out.float() + offset)
    real = inv * (torch.arange(n_out).float() + 0.5) - 0.5
    x0 = torch.floor(real)
    t = real - x0
    cols = torch.arange(m_in).float()
    out = 0
    for k in range(4):
        idx = torch.clamp(x0 - 1 + k, 0, m_in - 1)
        out = out + _cubic(t - (k - 1))[:, None] * (idx[:, None] == cols[None, :]).float()
    return out


def view_plane_uv(h, w, aspect):
    """normalized_view_plane_uv(width=w, height=h, aspect_ratio): (1,2,h,w); u_j = sx·(2j+1−w)/w,
    v_i = sy·(2i+1−h)/h with sx = a/sqrt(1+a²), sy = 1/sqrt(1+a²) (torch.linspace in closed form)."""
    sx = aspect / torch.sqrt(1 + aspect * aspect)
    sy = 1 / torch.sqrt(1 + aspect * aspect)
    wf, hf = w.float(), h.float()
    u = sx * (2 * torch.arange(w).float() + 1 - wf) / wf
    v = sy * (2 * torch.arange(h).float() + 1 - hf) / hf
    uu = u[None, :].expand(v.shape[0], u.shape[0])
    vv = v[:, None].expand(v.shape[0], u.shape[0])
    return torch.stack([uu, vv], dim=0)[None]


# ------------------------------------------------------------------------------------------------
# Modules (names = MoGe state-dict keys)


class Backbone(nn.Module):
    """DINOv2 ViT/14 without registers: patch_embed.proj, cls_token, pos_embed, mask_token, blocks.{i}
    (ls1/ls2 LayerScale, erf GELU MLP), norm."""

    def __init__(self, b):
        super().__init__()
        d = b["width"]
        self.b = b
        self.patch_embed = PatchEmbed(d, b["patch"])
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + b["grid"] ** 2, d))
        self.mask_token = nn.Parameter(torch.zeros(1, d))  # training only; kept so the load is strict
        self.blocks = nn.ModuleList([ViTBlock(d, b["heads"], 4.0, True) for _ in range(b["depth"])])
        self.norm = LayerNorm(d, 1e-6)

    def pos_encoding(self, ph, pw):
        m, d = self.b["grid"], self.b["width"]
        grid = self.pos_embed[0, 1:].reshape(m, m, d).permute(2, 0, 1)  # (d, m, m)
        wh = bicubic_scale_matrix(m, ph, 0.1)
        ww = bicubic_scale_matrix(m, pw, 0.1)
        p = torch.matmul(torch.matmul(wh, grid), ww.transpose(0, 1))  # (d, ph, pw)
        return torch.cat([self.pos_embed[:, :1], p.flatten(1).transpose(0, 1)[None]], dim=1)

    def intermediate(self, x, n):
        hw = _shape(x)[2:]
        p = self.b["patch"]
        t = self.patch_embed(x)
        t = torch.cat([self.cls_token.expand(t.shape[0], -1, -1), t], dim=1)
        t = t + self.pos_encoding(hw[0] // p, hw[1] // p)
        take = range(len(self.blocks) - n, len(self.blocks)) if isinstance(n, int) else n
        out = []
        for i, blk in enumerate(self.blocks):
            t = blk(t)
            if i in take:
                out.append(self.norm(t)[:, 1:])
        return out


class ResidualConvBlock(nn.Module):
    def __init__(self, cin, cout, hidden, norm):
        super().__init__()
        self.layers = nn.Sequential(
            nn.GroupNorm(1, cin), nn.ReLU(),
            nn.Conv2d(cin, hidden, 3, padding=1, padding_mode="replicate"),
            nn.GroupNorm(hidden // 32 if norm == "group_norm" else 1, hidden), nn.ReLU(),
            nn.Conv2d(hidden, cout, 3, padding=1, padding_mode="replicate"))
        self.skip_connection = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x):
        return self.skip_connection(x) + self.layers(x)


class Head(nn.Module):
    def __init__(self, c, dim_in):
        super().__init__()
        n = c["intermediate_layers"] if isinstance(c["intermediate_layers"], int) else len(c["intermediate_layers"])
        up, k, norm = c["dim_upsample"], c["dim_times_res_block_hidden"], c["res_block_norm"]
        self.projects = nn.ModuleList([nn.Conv2d(dim_in, c["dim_proj"], 1) for _ in range(n)])
        self.upsample_blocks = nn.ModuleList([
            nn.Sequential(
                nn.Sequential(nn.ConvTranspose2d(cin + 2, cout, 2, stride=2),
                              nn.Conv2d(cout, cout, 3, padding=1, padding_mode="replicate")),
                *[ResidualConvBlock(cout, cout, k * cout, norm) for _ in range(c["num_res_blocks"])])
            for cin, cout in zip([c["dim_proj"]] + up[:-1], up)])
        lc, ls = c["last_conv_channels"], c["last_conv_size"]
        self.output_block = nn.ModuleList([
            nn.Sequential(
                nn.Conv2d(up[-1] + 2, lc, 3, padding=1, padding_mode="replicate"),
                *[ResidualConvBlock(lc, lc, k * lc, norm) for _ in range(c["last_res_blocks"])],
                nn.ReLU(),
                nn.Conv2d(lc, dout, ls, padding=ls // 2, padding_mode="replicate"))
            for dout in (3, 1)])

    def forward(self, feats, ph, pw, img_hw, aspect):
        b = feats[0].shape[0]
        x = 0
        for proj, f in zip(self.projects, feats):
            x = x + proj(f.permute(0, 2, 1).reshape(b, f.shape[2], ph, pw))
        for block in self.upsample_blocks:
            hw = _shape(x)[2:]
            x = torch.cat([x, view_plane_uv(hw[0], hw[1], aspect).expand(b, -1, -1, -1)], dim=1)
            x = block(x)
        x = resize_bilinear(x, img_hw)
        x = torch.cat([x, view_plane_uv(img_hw[0], img_hw[1], aspect).expand(b, -1, -1, -1)], dim=1)
        return [blk(x) for blk in self.output_block]


class MoGeDepth(nn.Module):
    """The depth stage: (image (1,3,h,w) [0,1], out_hw (2,) int64) → (points_affine (1,H,W,3), mask_raw (1,H,W))."""

    def __init__(self, c):
        super().__init__()
        self.c = c
        self.backbone = Backbone(c["backbone"])
        self.head = Head(c, c["backbone"]["width"])
        self.register_buffer("image_mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("image_std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def remap(self, p):
        r = self.c["remap_output"]
        if r == "linear":
            return p
        if r == "sinh":
            return torch.sinh(p)
        xy, z = p[..., :2], p[..., 2:]
        if r == "exp":
            ez = torch.exp(z)
            return torch.cat([xy * ez, ez], dim=-1)
        return torch.cat([torch.sinh(xy), torch.exp(z)], dim=-1)  # sinh_exp

    def forward(self, image, out_hw):
        patch = self.c["backbone"]["patch"]
        hw = _shape(image)[2:]
        h14, w14 = hw[0] // patch * patch, hw[1] // patch * patch
        x = (image - self.image_mean) / self.image_std
        x14 = torch.matmul(torch.matmul(aa_bilinear_matrix(hw[0], h14), x), aa_bilinear_matrix(hw[1], w14).transpose(0, 1))
        feats = self.backbone.intermediate(x14, self.c["intermediate_layers"])
        aspect = hw[1].float() / hw[0].float()
        points, mask = self.head(feats, h14 // patch, w14 // patch, hw, aspect)
        both = resize_bilinear(torch.cat([points, mask], dim=1), out_hw)
        points = self.remap(both[:, :3].permute(0, 2, 3, 1))
        return points, both[:, 3]


# ------------------------------------------------------------------------------------------------
# Checkpoint, manifest, export


def read_moge(path):
    ck = torch.load(path, map_location="cpu")
    if not isinstance(ck, dict) or "model_config" not in ck or "model" not in ck:
        raise ValueError(f"{path}: not a MoGe checkpoint (expected a dict with model_config and model)")
    return ck["model_config"], ck["model"]


def load_strict(module, sd):
    """Copies the MoGe state dict into the module; raises listing every unused, missing or mis-shaped key."""
    from .checkpoint import LoadError
    target = module.state_dict()
    problems = [f"moge: parameter {k} not in the checkpoint" for k in target if k not in sd]
    problems += [f"moge: checkpoint tensor {k} {tuple(v.shape)} is not used" for k, v in sd.items() if k not in target]
    problems += [f"moge: {k} has shape {tuple(sd[k].shape)}, module expects {tuple(v.shape)}"
                 for k, v in target.items() if k in sd and tuple(sd[k].shape) != tuple(v.shape)]
    if problems:
        raise LoadError("refusing to write the depth stage:\n  " + "\n  ".join(problems))
    with torch.no_grad():
        for k, v in target.items():
            v.copy_(sd[k].to(v.dtype))
    want = torch.tensor([0.485, 0.456, 0.406])
    if (module.image_mean.flatten() - want).abs().max() > 1e-6:
        raise LoadError("moge: image_mean differs from the ImageNet mean the host assumes")
    return len(target)


def stage_spec():
    return ([("image", F32, [1, 3, "h", "w"]), ("out_hw", I64, [2])],
            [("points_affine", F32, [1, "H", "W", 3]), ("mask_raw", F32, [1, "H", "W"])])


def manifest_section(c):
    return {"numTokens": c["num_tokens"], "patch": c["backbone"]["patch"], "maskThreshold": c["mask_threshold"],
            "fitSize": [64, 64], "ftol": 1e-3, "xtol": 1e-8, "gtol": 1e-8, "frame": "pytorch3d"}


def example(h=61, w=47, out=(83, 64), seed=0):
    g = torch.Generator().manual_seed(seed)
    return {"image": torch.rand(1, 3, h, w, generator=g).numpy(),
            "out_hw": torch.tensor(out, dtype=torch.int64).numpy()}


def export_depth(path, out_dir, fp16=True, report=print, backbone=None):
    """Builds MoGe from model.pt's own config, loads it strictly, exports <out_dir>/depth.onnx; returns
    (manifest stage entry, manifest depth section)."""
    from . import export
    cfg, sd = read_moge(path)
    c = arch_from_config(cfg, backbone)
    m = MoGeDepth(c).eval()
    n = load_strict(m, sd)
    report(f"  depth (MoGe {c['encoder']}, remap {c['remap_output']}, {c['num_tokens']} tokens): {n} tensors loaded")
    if fp16:
        export.round_weights_fp16_(m)
    ex = example()
    entry = export.export_stage(m, "depth", stage_spec(), ex, out_dir, fp16=fp16, report=report)
    return entry, manifest_section(c)


# ------------------------------------------------------------------------------------------------
# Self-check at reduced width (no real weights): python -m sam3d_export.moge --selfcheck

REDUCED_BACKBONE = {"width": 64, "depth": 4, "heads": 4, "patch": 14, "grid": 4}
REDUCED_CONFIG = {"encoder": "dinov2_vitl14", "remap_output": "exp", "intermediate_layers": 4, "dim_proj": 32,
                  "dim_upsample": [32, 32, 32], "dim_times_res_block_hidden": 2, "num_res_blocks": 2,
                  "num_tokens_range": [1200, 2500], "last_conv_channels": 32, "last_conv_size": 1}


def selfcheck(report=print):
    """(1) the in-graph resampling matrices equal F.interpolate (antialias bilinear, DINOv2's bicubic
    scale-factor form); (2) a random reduced MoGe written as a fake model.pt goes through export_depth
    (strict load) and onnxruntime-node reproduces PyTorch (≤ 1e-3) at two input sizes; (3) an unused and
    a missing checkpoint tensor are refused."""
    import json
    import os
    import subprocess
    import tempfile

    import numpy as np
    from .checkpoint import LoadError
    from .reduced import ROOT, randomize_
    ok = True
    t = torch.tensor
    x = torch.rand(1, 3, 61, 47)
    ref = F.interpolate(x, (56, 42), mode="bilinear", align_corners=False, antialias=True)
    got = aa_bilinear_matrix(t(61), t(56)) @ x @ aa_bilinear_matrix(t(47), t(42)).T
    e1 = (ref - got).abs().max().item()
    g = torch.rand(1, 8, 37, 37)
    ref = F.interpolate(g, scale_factor=(50.1 / 37, 43.1 / 37), mode="bicubic", align_corners=False)
    got = bicubic_scale_matrix(37, t(50), 0.1) @ g[0] @ bicubic_scale_matrix(37, t(43), 0.1).T
    e2 = (ref[0] - got).abs().max().item()
    ok &= e1 < 1e-5 and e2 < 1e-4
    report(f"  {'ok  ' if e1 < 1e-5 else 'FAIL'} antialias bilinear matrix vs F.interpolate: max|d| {e1:.1e}")
    report(f"  {'ok  ' if e2 < 1e-4 else 'FAIL'} bicubic pos-embed matrix vs F.interpolate: max|d| {e2:.1e}")

    torch.manual_seed(5)
    c = arch_from_config(REDUCED_CONFIG, REDUCED_BACKBONE)
    m = MoGeDepth(c)
    randomize_(m)
    with torch.no_grad():
        m.image_mean.copy_(torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        m.image_std.copy_(torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))
        # keep exp(z) finite and the mask logit near the threshold, as a trained model's are
        m.head.output_block[0][-1].bias.zero_()
        m.head.output_block[0][-1].weight.mul_(0.1)
    tmp = tempfile.mkdtemp(prefix="moge-reduced-")
    ck = os.path.join(tmp, "model.pt")
    torch.save({"model_config": dict(REDUCED_CONFIG), "model": m.state_dict()}, ck)
    entry, section = export_depth(ck, tmp, fp16=True, report=lambda s: None, backbone=REDUCED_BACKBONE)
    cfg, sd = read_moge(ck)
    ref_m = MoGeDepth(arch_from_config(cfg, REDUCED_BACKBONE)).eval()
    load_strict(ref_m, sd)
    from .export import round_weights_fp16_
    round_weights_fp16_(ref_m)
    cases = {}
    for i, (h, w, out) in enumerate([(61, 47, (83, 64)), (44, 72, (40, 90))]):
        ex = example(h, w, out, seed=10 + i)
        with torch.no_grad():
            p, k = ref_m(torch.from_numpy(ex["image"]), torch.from_numpy(ex["out_hw"]))
        cases[f"case{i}"] = {"image": ex["image"], "out_hw": ex["out_hw"], "points_affine": p.numpy(), "mask_raw": k.numpy()}
    fix = os.path.join(tmp, "cases.json")
    with open(fix, "w") as f:
        json.dump({n: {k: {"shape": list(v.shape), "data": v.ravel().tolist()} for k, v in c_.items()}
                   for n, c_ in cases.items()}, f)
    script = os.path.join(os.path.dirname(__file__), "tools", "check_depth.mjs")
    r = subprocess.run(["node", script, os.path.join(tmp, "depth.onnx"), fix], cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        report(r.stdout + r.stderr)
        return False
    for line in r.stdout.splitlines():
        row = json.loads(line)
        good = row["maxAbs"] <= 1e-3
        ok &= good
        report(f"  {'ok  ' if good else 'FAIL'} depth {row['case']} {row['output']:14s} max|d| {row['maxAbs']:.2e} "
               f"(max|ref| {row['maxRef']:.2f})")
    report(f"  depth.onnx {os.path.getsize(os.path.join(tmp, 'depth.onnx')) / 1e6:.2f} MB, manifest depth {section}")
    for what in ("unused", "missing"):
        bad = dict(sd)
        if what == "unused":
            bad["head.extra.weight"] = torch.zeros(2)
        else:
            bad.pop("head.projects.0.bias")
        try:
            load_strict(MoGeDepth(arch_from_config(cfg, REDUCED_BACKBONE)), bad)
            report(f"  FAIL a {what} MoGe tensor was not refused")
            ok = False
        except LoadError as e:
            report(f"  ok   {what} MoGe tensor refused: {str(e).splitlines()[1].strip()}")
    return ok


if __name__ == "__main__":
    import sys
    if "--selfcheck" in sys.argv:
        sys.exit(0 if selfcheck() else 1)
