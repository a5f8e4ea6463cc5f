"""Writes the tiny random-weight test pack and its per-stage fixtures.

    cd modeling && /usr/bin/python3 -m fsam3d_model.export_test_pack

Outputs resources/packs/test/{manifest.json,*.onnx} and resources/fixtures/test-pack/stages.safetensors.
Each graph is exported with example shapes different from the fixture shapes, so the fixtures also
check that every named axis is really dynamic.
"""
import argparse
import hashlib
import io
import itertools
import json
import os

import numpy as np
import onnx
import torch

from . import config as C
from . import safetensors_io
from . import structures as S
from .build import STAGES, build_models
from .decoders import mesh_prior_guarantee

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PACK_DIR = os.path.join(ROOT, "resources", "packs", "test")
FIXTURE_DIR = os.path.join(ROOT, "resources", "fixtures", "test-pack")

F32, I32, BOOL = "float32", "int32", "bool"


def stage_specs():
    """(inputs, outputs) per stage as (name, dtype, shape) with named dynamic axes (pack-format.md)."""
    S_, D = C.IMAGE_SIZE, C.COND_DIM
    R3, Cs, G, Cl = C.SS_RES ** 3, C.SS_CHANNELS, C.SS_OCC_RES, C.SLAT_CHANNELS
    img = [("image_crop", F32, [1, 3, S_, S_]), ("image_full", F32, [1, 3, S_, S_]),
           ("mask_crop", F32, [1, 1, S_, S_]), ("mask_full", F32, [1, 1, S_, S_])]
    layout_in = [(f"x_{n}", F32, ["B", 1, d]) for n, d in C.SS_LAYOUT]
    layout_out = [(f"v_{n}", F32, ["B", 1, d]) for n, d in C.SS_LAYOUT]
    windows = []
    for i in range(len(C.SHIFTS)):
        windows += [(f"win{i}_idx", I32, [f"W{i}", f"Lw{i}"]), (f"win{i}_valid", BOOL, [f"W{i}", f"Lw{i}"]),
                    (f"win{i}_inv", I32, ["N"])]
    dec_in = [("feats", F32, ["N", Cl]), ("coords", I32, ["N", 3])] + windows
    subs = [(f"nbr_sub{j}", I32, ["N" + str(8 ** j), 27]) for j in range(1, C.SUBDIVISIONS + 1)]
    return {
        "ss_condition": (img + [("pointmap_crop", F32, [1, 3, S_, S_]), ("pointmap_full", F32, [1, 3, S_, S_]),
                                ("pointmap_weight", F32, [1])],
                         [("cond", F32, [1, C.SS_TOKENS, D])]),
        "ss_denoiser": ([("x_shape", F32, ["B", R3, Cs])] + layout_in +
                        [("t", F32, ["B"]), ("d", F32, ["B"]), ("cond", F32, ["B", "L", D])],
                        [("v_shape", F32, ["B", R3, Cs])] + layout_out),
        "ss_decoder": ([("shape_latent", F32, ["B", R3, Cs])], [("occupancy_logits", F32, ["B", G, G, G])]),
        "slat_condition": (img, [("cond", F32, [1, C.SLAT_TOKENS, D])]),
        "slat_denoiser": ([("x", F32, ["B", "N", Cl]), ("t", F32, ["B"]), ("cond", F32, ["B", "L", D]),
                           ("nbr", I32, ["N", 27]), ("pool_children", I32, ["M", 8]), ("pool_scale", F32, ["M", 1]),
                           ("parent", I32, ["N"]), ("nbr_coarse", I32, ["M", 27]), ("coords_coarse", I32, ["M", 3])],
                          [("v", F32, ["B", "N", Cl])]),
        "mesh_decoder": (dec_in + subs, [("cube_feats", F32, ["N" + str(8 ** C.SUBDIVISIONS), C.MESH_CHANNELS])]),
        "gs_decoder": (dec_in, [("gs_raw", F32, ["N", C.GS_CHANNELS])]),
    }


def manifest_constants():
    return {
        "schema": "fsam3d-pack/1",
        "id": "test-tiny",
        "name": "Tiny random-weight test pack",
        "version": "1.0.0",
        "description": "Random weights with analytic object priors; same tensor contracts as SAM 3D Objects "
                       "at tiny size. For tests only. Built by modeling/fsam3d_model/export_test_pack.py.",
        "license": {"name": "Apache-2.0"},
        "image": {"size": C.IMAGE_SIZE, "normalize": {"where": "graph", "mean": C.IMAGENET_MEAN,
                                                      "std": C.IMAGENET_STD}},
        "crop": {"boxSizeFactor": 1.2, "paddingFactor": 0},
        "condition": {"dim": C.COND_DIM, "ssTokens": C.SS_TOKENS, "slatTokens": C.SLAT_TOKENS},
        "ss": {
            "latentRes": C.SS_RES, "latentChannels": C.SS_CHANNELS, "occupancyRes": C.SS_OCC_RES,
            "layout": [{"name": n, "dim": d} for n, d in C.SS_LAYOUT],
            "sampler": {"steps": 25, "rescaleT": 3, "timeScale": 1000,
                        "cfg": {"strength": 7, "interval": [0, 500], "outputs": "all"},
                        "shortcutD": 0, "uncondTokens": 1},
            "occupancyThreshold": 0, "pruneInterior": True, "maxVoxels": 4000, "downsampleFactor": 2,
        },
        "pose": {"convention": "ScaleShiftInvariant", "rot6dMean": C.ROT6D_MEAN, "rot6dStd": C.ROT6D_STD},
        "slat": {
            "res": C.SLAT_RES, "latentChannels": C.SLAT_CHANNELS, "poolFactor": 2, "poolMeanIncludeSelf": True,
            "sampler": {"steps": 25, "rescaleT": 1, "timeScale": 1000,
                        "cfg": {"strength": 1, "interval": [0, 500], "outputs": "all"},
                        "shortcutD": None, "uncondTokens": 1},
            "mean": C.SLAT_MEAN, "std": C.SLAT_STD,
        },
        "decoder": {
            "window": C.WINDOW, "shifts": C.SHIFTS, "subdivisions": C.SUBDIVISIONS,
            "packedWindows": True,  # fsam3d_model.decoders.window_masks
            "mesh": {"res": C.MESH_RES, "channels": C.MESH_CHANNELS, "sdfBias": C.MESH_SDF_BIAS,
                     "weightScale": 0.99, "layout": C.MESH_LAYOUT, "cornerOrder": "x_fastest"},
            "gaussians": {"perVoxel": C.GS_PER_VOXEL, "channels": C.GS_CHANNELS},
        },
        "output": {"zUpToYUp": [[1, 0, 0], [0, 0, -1], [0, 1, 0]]},
    }


# ---------------------------------------------------------------------------------------------
# Inputs


def _image(rng, channels=3):
    """Smooth random picture in [0,1] (sum of a few sinusoids) plus a little noise."""
    yy, xx = np.mgrid[0:C.IMAGE_SIZE, 0:C.IMAGE_SIZE] / C.IMAGE_SIZE
    out = []
    for _ in range(channels):
        a, b, c, d = rng.uniform(1, 6, 4)
        ch = 0.5 + 0.25 * np.sin(a * xx + b) * np.cos(c * yy + d) + 0.05 * rng.standard_normal(xx.shape)
        out.append(np.clip(ch, 0, 1))
    return np.stack(out)[None].astype(np.float32)


def _mask(cx, cy, r):
    yy, xx = np.mgrid[0:C.IMAGE_SIZE, 0:C.IMAGE_SIZE]
    return (((xx - cx) ** 2 + (yy - cy) ** 2) < r * r).astype(np.float32)[None, None]


def _pointmap(rng):
    pm = rng.standard_normal((1, 3, C.IMAGE_SIZE, C.IMAGE_SIZE)).astype(np.float32)
    flat = pm.reshape(3, -1)
    n = flat.shape[1]
    for value, count in ((np.nan, 150), (np.inf, 20), (-np.inf, 20)):
        pix = rng.choice(n, count, replace=False)
        ch = rng.integers(0, 3, count)
        flat[ch, pix] = value
    return pm


def _shell(centre, r0, r1, res):
    g = np.array(list(itertools.product(range(res), repeat=3)))
    d = np.linalg.norm(g - np.array(centre), axis=1)
    return S.sort_coords(g[(d >= r0) & (d < r1)]).astype(np.int32)


def _cluster(rng, lo, hi, count):
    box = np.array(list(itertools.product(range(lo, hi), repeat=3)))
    return S.sort_coords(box[rng.choice(len(box), count, replace=False)]).astype(np.int32)


def condition_inputs(rng, with_pointmap):
    x = {"image_crop": _image(rng), "image_full": _image(rng), "mask_crop": _mask(27.5, 30, 17),
         "mask_full": _mask(20, 34, 9)}
    if with_pointmap:
        x.update(pointmap_crop=_pointmap(rng), pointmap_full=_pointmap(rng),
                 pointmap_weight=np.ones(1, np.float32))
    return x


def ss_denoiser_inputs(rng, b, length, t, d, cond=None):
    x = {"x_shape": rng.standard_normal((b, C.SS_RES ** 3, C.SS_CHANNELS)).astype(np.float32)}
    for n, dim in C.SS_LAYOUT:
        x[f"x_{n}"] = rng.standard_normal((b, 1, dim)).astype(np.float32)
    x["t"] = np.asarray(t, np.float32)
    x["d"] = np.asarray(d, np.float32)
    x["cond"] = cond if cond is not None else rng.standard_normal((b, length, C.COND_DIM)).astype(np.float32)
    return x


def slat_inputs(rng, coords, b, length, t, cond=None):
    x = {"x": rng.standard_normal((b, len(coords), C.SLAT_CHANNELS)).astype(np.float32),
         "t": np.asarray(t, np.float32),
         "cond": cond if cond is not None else rng.standard_normal((b, length, C.COND_DIM)).astype(np.float32)}
    x.update(S.slat_structures(coords))
    return x


def decoder_inputs(rng, coords, subdivisions):
    feats = rng.standard_normal((len(coords), C.SLAT_CHANNELS)) * np.array(C.SLAT_STD) + np.array(C.SLAT_MEAN)
    x = {"feats": feats.astype(np.float32)}
    x.update(S.decoder_structures(coords, C.WINDOW, C.SHIFTS, subdivisions))
    return x


def example_inputs(rng):
    """Export-time examples: shapes deliberately unlike the fixtures'."""
    shell = _shell((8.2, 6.9, 7.4), 1.5, 2.9, C.SLAT_RES)
    cl = _cluster(rng, 1, 9, 31)
    return {
        "ss_condition": condition_inputs(rng, True),
        "ss_denoiser": ss_denoiser_inputs(rng, 3, 5, [10.0, 300.0, 900.0], [0.0, 0.0, 40.0]),
        "ss_decoder": {"shape_latent": rng.standard_normal((3, C.SS_RES ** 3, C.SS_CHANNELS)).astype(np.float32)},
        "slat_condition": condition_inputs(rng, False),
        "slat_denoiser": slat_inputs(rng, shell, 3, 7, [0.0, 250.0, 999.0]),
        "mesh_decoder": decoder_inputs(rng, cl, C.SUBDIVISIONS),
        "gs_decoder": decoder_inputs(rng, cl, 0),
    }


def fixture_cases(models, rng):
    """name -> inputs. '<stage>' cases run that stage; '<stage>_uncond' is the 1-zero-token pass."""
    cases = {}
    cases["ss_condition"] = condition_inputs(rng, True)
    with torch.no_grad():
        ss_cond = models["ss_condition"](*[torch.from_numpy(v) for v in cases["ss_condition"].values()]).numpy()
    cond2 = np.concatenate([ss_cond, rng.standard_normal(ss_cond.shape).astype(np.float32)], 0)
    cases["ss_denoiser"] = ss_denoiser_inputs(rng, 2, C.SS_TOKENS, [0.0, 437.5], [0.0, 40.0], cond=cond2)
    unc = {k: v[:1].copy() for k, v in cases["ss_denoiser"].items()}
    unc["cond"] = np.zeros((1, 1, C.COND_DIM), np.float32)
    cases["ss_denoiser_uncond"] = unc
    cases["ss_decoder"] = {"shape_latent": (1.5 * rng.standard_normal((2, C.SS_RES ** 3, C.SS_CHANNELS)))
                           .astype(np.float32)}
    cases["slat_condition"] = {k: cases["ss_condition"][k] for k in ("image_crop", "image_full", "mask_crop",
                                                                      "mask_full")}
    with torch.no_grad():
        slat_cond = models["slat_condition"](*[torch.from_numpy(v) for v in cases["slat_condition"].values()]).numpy()
    shell = _shell((5.3, 7.1, 9.6), 1.4, 2.6, C.SLAT_RES)  # 62 voxels, 19 coarse
    cond2 = np.concatenate([slat_cond, rng.standard_normal(slat_cond.shape).astype(np.float32)], 0)
    cases["slat_denoiser"] = slat_inputs(rng, shell, 2, C.SLAT_TOKENS, [0.0, 520.0], cond=cond2)
    unc = dict(cases["slat_denoiser"])
    unc.update(x=unc["x"][:1].copy(), t=unc["t"][:1].copy(), cond=np.zeros((1, 1, C.COND_DIM), np.float32))
    cases["slat_denoiser_uncond"] = unc
    cl = _cluster(np.random.default_rng(3), 2, 8, 14)  # 14 voxels across window boundaries
    cases["mesh_decoder"] = decoder_inputs(rng, cl, C.SUBDIVISIONS)
    cases["gs_decoder"] = {k: v for k, v in cases["mesh_decoder"].items() if not k.startswith("nbr_sub")}
    return cases, shell


def check_mesh_prior(coords, cube_feats, what, min_margin=9e-6):
    """The mesh prior's robustness for this voxel set: Q exact in float32, every corner's sdf + sdfBias at
    least the guaranteed bound (> min_margin) from 0, so PyTorch and ONNX Runtime agree on every sign."""
    bound, q_max = mesh_prior_guarantee(coords)
    a, b = C.MESH_LAYOUT["sdf"]
    got = float(np.abs(np.asarray(cube_feats, np.float64)[:, a:b] + C.MESH_SDF_BIAS).min())
    assert q_max < 2 ** 23, f"{what}: mesh prior Q up to {q_max}, not exact in float32"
    assert bound > min_margin, f"{what}: mesh prior margin {bound:.3g} <= {min_margin:.3g}"
    assert got >= bound * (1 - 1e-3), f"{what}: a corner has |sdf + sdfBias| = {got:.3g} < bound {bound:.3g}"
    return got, bound


def run_torch(model, inputs):
    with torch.no_grad():
        out = model(*[torch.from_numpy(np.ascontiguousarray(v)) for v in inputs.values()])
    return out if isinstance(out, tuple) else (out,)


# ---------------------------------------------------------------------------------------------
# Export


def export_stage(model, name, spec, example, path):
    inputs, outputs = spec
    assert [n for n, _, _ in inputs] == list(example), (name, list(example))
    dyn = {}
    for n, _, shape in inputs + outputs:
        axes = {i: a for i, a in enumerate(shape) if isinstance(a, str)}
        if axes:
            dyn[n] = axes
    args = tuple(torch.from_numpy(np.ascontiguousarray(v)) for v in example.values())
    buf = io.BytesIO()
    torch.onnx.export(model, args, buf, input_names=[n for n, _, _ in inputs],
                      output_names=[n for n, _, _ in outputs], dynamic_axes=dyn, opset_version=17,
                      do_constant_folding=True)
    proto = onnx.load_from_string(buf.getvalue())
    onnx.checker.check_model(proto, full_check=True)
    got_in = [i.name for i in proto.graph.input]
    assert got_in == [n for n, _, _ in inputs], f"{name}: graph inputs {got_in}"
    proto.doc_string = f"fsam3d test pack stage {name} (random weights)"
    data = proto.SerializeToString()
    with open(path, "wb") as f:
        f.write(data)
    return hashlib.sha256(data).hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pack", default=PACK_DIR)
    ap.add_argument("--fixtures", default=FIXTURE_DIR)
    args = ap.parse_args()
    os.makedirs(args.pack, exist_ok=True)
    os.makedirs(args.fixtures, exist_ok=True)

    models = build_models()
    specs = stage_specs()
    examples = example_inputs(np.random.default_rng(7))
    manifest = manifest_constants()
    manifest["stages"] = {}
    check_mesh_prior(examples["mesh_decoder"]["coords"],
                     run_torch(models["mesh_decoder"], examples["mesh_decoder"])[0].numpy(), "mesh_decoder example")
    for name in STAGES:
        fname = f"{name}.onnx"
        digest = export_stage(models[name], name, specs[name], examples[name], os.path.join(args.pack, fname))
        ins, outs = specs[name]
        manifest["stages"][name] = {
            "file": fname, "sha256": digest, "precision": "fp32",
            "inputs": [{"name": n, "dtype": dt, "shape": sh} for n, dt, sh in ins],
            "outputs": [{"name": n, "dtype": dt, "shape": sh} for n, dt, sh in outs],
        }
        print(f"exported {fname} ({os.path.getsize(os.path.join(args.pack, fname))} bytes)")
    with open(os.path.join(args.pack, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")

    cases, shell = fixture_cases(models, np.random.default_rng(11))
    tensors = {}
    for case, inputs in cases.items():
        stage = case.replace("_uncond", "")
        outs = run_torch(models[stage], inputs)
        for k, v in inputs.items():
            tensors[f"{case}.in.{k}"] = v
        for (n, _, _), v in zip(specs[stage][1], outs):
            tensors[f"{case}.out.{n}"] = v.numpy()
        if stage == "mesh_decoder":
            got, bound = check_mesh_prior(inputs["coords"], outs[0].numpy(), case)
            print(f"{case}: min |sdf + sdfBias| {got:.3g} (guaranteed >= {bound:.3g})")
    tensors["slat_denoiser.host.coords"] = shell  # the fine voxel set the slat structures came from
    tensors.update(host_cases(np.random.default_rng(5)))
    safetensors_io.save(os.path.join(args.fixtures, "stages.safetensors"), tensors,
                        {"pack": "test-tiny", "generator": "modeling/fsam3d_model/export_test_pack.py"})
    print(f"wrote stages.safetensors ({len(tensors)} tensors)")


def host_cases(rng):
    """Host-only reference cases: occupancy -> coords -> prune, and the downsample remap."""
    g = C.SS_OCC_RES
    logits = 0.7 * rng.standard_normal((g, g, g)).astype(np.float32) + 3.0 - 0.6 * np.linalg.norm(
        np.stack(np.meshgrid(*[np.arange(g) - 7.2] * 3, indexing="ij")), axis=0).astype(np.float32)
    coords = S.occupancy_to_coords(logits, 0.0)
    big = _shell((7.5, 7.5, 7.5), 0, 6.5, g)
    return {
        "host.occupancy.in.logits": logits,
        "host.occupancy.out.coords": coords,
        "host.prune.out.coords": S.prune_interior(coords, g),
        "host.downsample.in.coords": big,
        "host.downsample.out.coords": S.downsample_coords(big),
    }


if __name__ == "__main__":
    main()
