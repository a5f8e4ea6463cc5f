"""The reduced random-weight SAM 3D pack: the real module code at small width/depth, configured from
our authored test YAMLs (testconfigs.REDUCED), exported through the same path as a real checkpoint
(fp16 weights + com.microsoft MultiHeadAttention), plus per-stage PyTorch fixtures.

    cd modeling && /usr/bin/python3 -m sam3d_export.reduced
writes resources/fixtures/sam3d-reduced/pack/ and resources/fixtures/sam3d-reduced/stages.safetensors."""
import argparse
import itertools
import math
import os
import tempfile

import numpy as np
import torch

from fsam3d_model import safetensors_io
from fsam3d_model import structures as S

from . import config, export, testconfigs
from .stages import build_stages, manifest_constants, stage_specs

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PACK_DIR = os.path.join(ROOT, "resources", "fixtures", "sam3d-reduced", "pack")
FIXTURE_DIR = os.path.join(ROOT, "resources", "fixtures", "sam3d-reduced")
SEED = 20251122


def reduced_arch():
    d = testconfigs.write(testconfigs.REDUCED, tempfile.mkdtemp(prefix="sam3d-reduced-cfg-"))
    return config.load_arch(d, testconfigs.REDUCED_CODE)


def randomize_(module):
    """Random weights, nothing zero or identity, activations O(1)."""
    for name, p in module.named_parameters():
        with torch.no_grad():
            leaf = name.split(".")[-1]
            if p.dim() >= 2 and leaf == "weight":
                p.normal_(0.0, 1.0 / math.sqrt(p[0].numel()))
            elif leaf == "bias":
                p.normal_(0.0, 0.1)
            elif leaf in ("weight", "gamma"):
                p.normal_(1.0, 0.15)
            else:
                p.normal_(0.0, 0.5)


def build_reduced(arch):
    torch.manual_seed(SEED)
    stages = build_stages(arch)
    for m in stages.values():
        randomize_(m)
        m.eval()
    # Object-ish occupancy for the end-to-end run: centre the SS decoder's logits so ~30 % of the grid
    # of a random latent is occupied (random weights give no object otherwise).
    dec = stages["ss_decoder"].net
    g = torch.Generator().manual_seed(1)
    r = arch["ss_flow"]["latents"][arch["shape_latent"]]
    with torch.no_grad():
        z = torch.randn(4, r["tokens"], r["in"], generator=g)
        q = torch.quantile(dec(z).flatten(), 0.7)
        dec.out_layer[2].bias -= q
    for m in stages.values():
        export.round_weights_fp16_(m)
    return stages


# ------------------------------------------------------------------------------------------------
# Inputs


def _image(rng, s, channels=3):
    yy, xx = np.mgrid[0:s, 0:s] / s
    out = []
    for _ in range(channels):
        a, b, c, d = rng.uniform(1, 6, 4)
        out.append(np.clip(0.5 + 0.25 * np.sin(a * xx + b) * np.cos(c * yy + d) + 0.05 * rng.standard_normal(xx.shape), 0, 1))
    return np.stack(out)[None].astype(np.float32)


def _mask(s, cx, cy, r):
    yy, xx = np.mgrid[0:s, 0:s]
    return (((xx - cx) ** 2 + (yy - cy) ** 2) < r * r).astype(np.float32)[None, None]


def _pointmap(rng, s):
    pm = rng.standard_normal((1, 3, s, s)).astype(np.float32)
    flat = pm.reshape(3, -1)
    for value, count in ((np.nan, 60), (np.inf, 10), (-np.inf, 10)):
        pix = rng.choice(flat.shape[1], count, replace=False)
        flat[rng.integers(0, 3, count), pix] = value
    return pm


def _shell(centre, r0, r1, res):
    g = np.array(list(itertools.product(range(res), repeat=3)))
    d = np.linalg.norm(g - np.array(centre), axis=1)
    return S.sort_coords(g[(d >= r0) & (d < r1)]).astype(np.int32)


def _cluster(rng, lo, hi, count):
    box = np.array(list(itertools.product(range(lo, hi), repeat=3)))
    return S.sort_coords(box[rng.choice(len(box), count, replace=False)]).astype(np.int32)


def cond_inputs(rng, s, with_pointmap):
    x = {"image_crop": _image(rng, s), "image_full": _image(rng, s), "mask_crop": _mask(s, s * 0.5, s * 0.55, s * 0.3),
         "mask_full": _mask(s, s * 0.4, s * 0.6, s * 0.15)}
    if with_pointmap:
        x.update(pointmap_crop=_pointmap(rng, s), pointmap_full=_pointmap(rng, s), pointmap_weight=np.ones(1, np.float32))
    return x


def ss_inputs(rng, arch, specs, b, length, t, cond=None):
    x = {}
    for n, _, shape in specs["ss_denoiser"][0]:
        if n == "t":
            x[n] = np.asarray(t, np.float32)
        elif n == "d":
            x[n] = np.asarray([0.0] * (b - 1) + [40.0], np.float32)
        elif n == "cond":
            x[n] = cond if cond is not None else rng.standard_normal((b, length, shape[2])).astype(np.float32)
        else:
            x[n] = rng.standard_normal((b, *shape[1:])).astype(np.float32)
    return x


def slat_inputs(rng, arch, coords, b, length, t, cond=None):
    d = arch["slat_fuser"]["dim"]
    x = {"x": rng.standard_normal((b, len(coords), arch["slat_flow"]["in"])).astype(np.float32),
         "t": np.asarray(t, np.float32),
         "cond": cond if cond is not None else rng.standard_normal((b, length, d)).astype(np.float32)}
    x.update(S.slat_structures(coords))
    return x


def dec_inputs(rng, arch, coords, subdivisions):
    md = arch["mesh_decoder"]
    feats = rng.standard_normal((len(coords), md["latent"])) * np.array(arch["slat_std"]) + np.array(arch["slat_mean"])
    x = {"feats": feats.astype(np.float32)}
    x.update(S.decoder_structures(coords, md["window"], [0, md["window"] // 2], subdivisions))
    return x


def examples(rng, arch, specs, batch=3):
    """Export-time example inputs; shapes unlike the fixtures' so the dynamic axes are proven."""
    s, res = arch["image_size"], arch["slat_flow"]["res"]
    nsub = len(arch["mesh_decoder"]["sub_channels"])
    cl = _cluster(rng, 1, 9, 31)
    ex = {"ss_condition": cond_inputs(rng, s, True),
          "ss_denoiser": ss_inputs(rng, arch, specs, batch, 5, [10.0, 300.0, 900.0][:batch]),
          "ss_decoder": {"shape_latent": rng.standard_normal((batch, *specs["ss_decoder"][0][0][2][1:])).astype(np.float32)},
          "slat_condition": cond_inputs(rng, s, False),
          "slat_denoiser": slat_inputs(rng, arch, _shell((8.2, 6.9, 7.4), 1.5, 2.9, res), batch, 7,
                                        [0.0, 250.0, 999.0][:batch]),
          "mesh_decoder": dec_inputs(rng, arch, cl, nsub)}
    if "gs_decoder" in specs:
        ex["gs_decoder"] = dec_inputs(rng, arch, cl, 0)
    return ex


def run_torch(model, inputs):
    with torch.no_grad():
        out = model(*[torch.from_numpy(np.ascontiguousarray(v)) for v in inputs.values()])
    return out if isinstance(out, tuple) else (out,)


def fixture_cases(stages, arch, specs, rng):
    s, res = arch["image_size"], arch["slat_flow"]["res"]
    d = arch["ss_fuser"]["dim"]
    nsub = len(arch["mesh_decoder"]["sub_channels"])
    cases = {"ss_condition": cond_inputs(rng, s, True)}
    ss_cond = run_torch(stages["ss_condition"], cases["ss_condition"])[0].numpy()
    cond2 = np.concatenate([ss_cond, rng.standard_normal(ss_cond.shape).astype(np.float32)], 0)
    cases["ss_denoiser"] = ss_inputs(rng, arch, specs, 2, None, [0.0, 437.5], cond=cond2)
    unc = {k: v[:1].copy() for k, v in cases["ss_denoiser"].items()}
    unc["cond"] = np.zeros((1, 1, d), np.float32)
    cases["ss_denoiser_uncond"] = unc
    cases["ss_decoder"] = {"shape_latent": (1.5 * rng.standard_normal((2, *specs["ss_decoder"][0][0][2][1:]))).astype(np.float32)}
    cases["slat_condition"] = {k: cases["ss_condition"][k] for k in ("image_crop", "image_full", "mask_crop", "mask_full")}
    slat_cond = run_torch(stages["slat_condition"], cases["slat_condition"])[0].numpy()
    shell = _shell((5.3, 7.1, 9.6), 1.4, 2.6, res)
    cond2 = np.concatenate([slat_cond, rng.standard_normal(slat_cond.shape).astype(np.float32)], 0)
    cases["slat_denoiser"] = slat_inputs(rng, arch, shell, 2, None, [0.0, 520.0], cond=cond2)
    unc = dict(cases["slat_denoiser"])
    unc.update(x=unc["x"][:1].copy(), t=unc["t"][:1].copy(), cond=np.zeros((1, 1, d), np.float32))
    cases["slat_denoiser_uncond"] = unc
    cl = _cluster(np.random.default_rng(3), 2, 8, 14)  # 14 voxels across window boundaries
    cases["mesh_decoder"] = dec_inputs(rng, arch, cl, nsub)
    if "gs_decoder" in stages:
        cases["gs_decoder"] = {k: v for k, v in cases["mesh_decoder"].items() if not k.startswith("nbr_sub")}
    return cases, shell


def write_reduced(pack_dir=PACK_DIR, fixture_dir=FIXTURE_DIR, report=print):
    arch = reduced_arch()
    stages = build_reduced(arch)
    specs = stage_specs(arch)
    os.makedirs(pack_dir, exist_ok=True)
    os.makedirs(fixture_dir, exist_ok=True)
    manifest = manifest_constants(
        arch, "sam3d-reduced", "SAM 3D Objects architecture, reduced, random weights",
        "The SAM 3D Objects module code (modeling/sam3d_export) at reduced width/depth with random weights, "
        "exported by the real-checkpoint exporter path. For tests only: it does not reconstruct anything.",
        {"name": "Apache-2.0"})
    manifest["stages"] = {}
    ex = examples(np.random.default_rng(7), arch, specs)
    for name, m in stages.items():
        manifest["stages"][name] = export.export_stage(m, name, specs[name], ex[name], pack_dir, fp16=True, report=report)
    export.write_manifest(pack_dir, manifest)
    cases, shell = fixture_cases(stages, arch, specs, np.random.default_rng(11))
    tensors = {}
    for case, inputs in cases.items():
        stage = case.replace("_uncond", "")
        outs = run_torch(stages[stage], inputs)
        for k, v in inputs.items():
            tensors[f"{case}.in.{k}"] = v
        for (n, _, _), v in zip(specs[stage][1], outs):
            tensors[f"{case}.out.{n}"] = v.numpy()
    tensors["slat_denoiser.host.coords"] = shell
    path = os.path.join(fixture_dir, "stages.safetensors")
    safetensors_io.save(path, tensors, {"pack": "sam3d-reduced", "generator": "modeling/sam3d_export/reduced.py"})
    report(f"  wrote {path} ({os.path.getsize(path) / 1e6:.2f} MB, {len(tensors)} tensors)")
    return arch, stages, manifest


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pack", default=PACK_DIR)
    ap.add_argument("--fixtures", default=FIXTURE_DIR)
    a = ap.parse_args()
    write_reduced(a.pack, a.fixtures)
