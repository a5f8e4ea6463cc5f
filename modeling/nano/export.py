"""Writes a nano pack (manifest.json + one ONNX per stage) from trained (or smoke) weights.

    cd modeling && /usr/bin/python3 -m nano.export --run .cache/nano/run --out .cache/nano/pack [--fp32] [--label smoke]

Reads RUN/{ss_vae,slat_ae,ss_flow,slat_flow,ss_refine}/final.pt (ss_refine's stage-1 decoder replaces
ss_vae's). Stages without a final.pt are exported with their initial (random) weights and the pack's
description says so. fp16-weights: every float initializer with >= 1024 elements is stored as float16
behind a Cast (graph I/O and compute stay float32; build-machine notes 4.4). Writes resources/models/nano
only when --out says so: smoke weights belong in .cache.
"""
import argparse
import hashlib
import io
import json
import os

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

from . import config as C
from . import nets
from . import sparse as SP

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
F32, I32, BOOL = "float32", "int32", "bool"
EXPORTED = ["ss_condition", "ss_denoiser", "ss_decoder", "slat_condition", "slat_denoiser", "mesh_decoder"]
# The reference vectors: used only when a run has no statistics yet (untrained smoke export).
REF_ROT6D_MEAN = [-0.06366084883674913, 0.008438224692279752, 0.00017084786438302483, 0.0007126610473540038,
                  -0.0030916726538816417, 0.5166093753457688]
REF_ROT6D_STD = [0.6656971967514863, 0.6787012271867754, 0.30345010594844524, 0.4394504420678794,
                 0.39817973931717104, 0.6176286868761914]


def stage_specs():
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
                                ("pointmap_weight", F32, [1])], [("cond", F32, [1, C.SS_TOKENS, D])]),
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
    }


def manifest_constants(stats, label):
    trained = label == "trained"
    desc = ("Small SAM 3D-style model trained from procedural data by modeling/nano (see MODEL_CARD.md)."
            if trained else f"NOT A TRAINED MODEL ({label} weights): plumbing check of the nano pack layout.")
    return {
        "schema": "fsam3d-pack/1",
        "id": "nano" if trained else f"nano-{label}",
        "name": "Fast-SAM3D nano" + ("" if trained else f" ({label})"),
        "version": "0.1.0",
        "description": desc,
        "license": {"name": "Apache-2.0"},
        "image": {"size": C.IMAGE_SIZE, "normalize": {"where": "graph", "mean": C.IMAGENET_MEAN, "std": C.IMAGENET_STD}},
        "crop": {"boxSizeFactor": 1.2, "paddingFactor": 0},
        "condition": {"dim": C.COND_DIM, "ssTokens": C.SS_TOKENS, "slatTokens": C.SLAT_TOKENS},
        "ss": {
            "latentRes": C.SS_RES, "latentChannels": C.SS_CHANNELS, "occupancyRes": C.SS_OCC_RES,
            "layout": [{"name": n, "dim": d} for n, d in C.SS_LAYOUT],
            "sampler": {"steps": 25, "rescaleT": 3, "timeScale": 1000,
                        "cfg": {"strength": 7, "interval": [0, 500], "outputs": "all"}, "shortcutD": 0, "uncondTokens": 1},
            "occupancyThreshold": stats.get("occupancy_threshold", 0),  # ss_refine's cut, else logit 0
            "pruneInterior": False, "maxVoxels": 16000, "downsampleFactor": 2,
        },
        "pose": {"convention": "ScaleShiftInvariant", "rot6dMean": stats.get("rot6d_mean", REF_ROT6D_MEAN),
                 "rot6dStd": stats.get("rot6d_std", REF_ROT6D_STD), "cameraFovDeg": C.DEFAULT_FOV_DEG},
        "slat": {
            "res": C.SLAT_RES, "latentChannels": C.SLAT_CHANNELS, "poolFactor": 2, "poolMeanIncludeSelf": True,
            "sampler": {"steps": 25, "rescaleT": 1, "timeScale": 1000,
                        "cfg": {"strength": 1, "interval": [0, 500], "outputs": "all"}, "shortcutD": None, "uncondTokens": 1},
            "mean": stats.get("slat_mean", [0.0] * C.SLAT_CHANNELS),
            "std": stats.get("slat_std", [1.0] * C.SLAT_CHANNELS),
        },
        "decoder": {
            "window": C.WINDOW, "shifts": C.SHIFTS, "subdivisions": C.SUBDIVISIONS,
            "packedWindows": True,  # fsam3d_model.decoders.window_masks
            "mesh": {"res": C.MESH_RES, "channels": C.MESH_CHANNELS, "sdfBias": C.MESH_SDF_BIAS, "weightScale": 0.99,
                     "layout": C.MESH_LAYOUT, "cornerOrder": "x_fastest"},
        },
        "output": {"zUpToYUp": [[1, 0, 0], [0, 0, -1], [0, 1, 0]]},
    }


def example_inputs(rng):
    """Export-time examples (shapes unlike a real run's, so every named axis must be dynamic)."""
    S_ = C.IMAGE_SIZE
    im = lambda c: rng.random((1, c, S_, S_)).astype(np.float32)
    g = np.argwhere(np.linalg.norm(np.stack(np.meshgrid(*[np.arange(C.SLAT_RES) - 13.3] * 3, indexing="ij")), axis=0) < 5.2)
    shell = SP.sort_coords(g[rng.random(len(g)) < 0.7]).astype(np.int32)
    ex = {
        "ss_condition": {"image_crop": im(3), "image_full": im(3), "mask_crop": (im(1) > 0.5).astype(np.float32),
                         "mask_full": (im(1) > 0.5).astype(np.float32), "pointmap_crop": im(3), "pointmap_full": im(3),
                         "pointmap_weight": np.zeros(1, np.float32)},
        "ss_denoiser": {"x_shape": rng.standard_normal((3, C.SS_RES ** 3, C.SS_CHANNELS)).astype(np.float32),
                        **{f"x_{n}": rng.standard_normal((3, 1, d)).astype(np.float32) for n, d in C.SS_LAYOUT},
                        "t": np.array([1.0, 400.0, 900.0], np.float32), "d": np.zeros(3, np.float32),
                        "cond": rng.standard_normal((3, 5, C.COND_DIM)).astype(np.float32)},
        "ss_decoder": {"shape_latent": rng.standard_normal((3, C.SS_RES ** 3, C.SS_CHANNELS)).astype(np.float32)},
        "slat_condition": {"image_crop": im(3), "image_full": im(3), "mask_crop": (im(1) > 0.5).astype(np.float32),
                           "mask_full": (im(1) > 0.5).astype(np.float32)},
        "slat_denoiser": {"x": rng.standard_normal((3, len(shell), C.SLAT_CHANNELS)).astype(np.float32),
                          "t": np.array([0.0, 250.0, 999.0], np.float32),
                          "cond": rng.standard_normal((3, 7, C.COND_DIM)).astype(np.float32),
                          **SP.slat_structures(shell)},
        "mesh_decoder": {"feats": rng.standard_normal((len(shell), C.SLAT_CHANNELS)).astype(np.float32),
                         **SP.decoder_structures(shell, C.WINDOW, C.SHIFTS, C.SUBDIVISIONS)},
    }
    return ex


def fp16_weights(proto, min_elems=1024):
    """Store big float initializers as float16 + Cast(to float) at the top of the graph."""
    g = proto.graph
    casts, keep = [], []
    for init in g.initializer:
        if init.data_type == TensorProto.FLOAT and int(np.prod(init.dims)) >= min_elems:
            arr = numpy_helper.to_array(init).astype(np.float16)
            half = numpy_helper.from_array(arr, init.name + "__fp16")
            keep.append(half)
            casts.append(helper.make_node("Cast", [half.name], [init.name], to=TensorProto.FLOAT,
                                          name=init.name + "__cast"))
        else:
            keep.append(init)
    del g.initializer[:]
    g.initializer.extend(keep)
    nodes = casts + list(g.node)
    del g.node[:]
    g.node.extend(nodes)
    return proto


@torch.no_grad()
def fp16_effect(model, example, min_elems=1024):
    """Max |out_fp16w - out_fp32| / max |out_fp32| over the stage's outputs when the weights the exporter
    stores as fp16 are rounded through half precision (what ONNX Runtime computes with them)."""
    import copy
    args = [torch.from_numpy(np.ascontiguousarray(v)) for v in example.values()]
    ref = model(*args)
    half = copy.deepcopy(model)
    for t in list(half.parameters()) + list(half.buffers()):
        if t.is_floating_point() and t.numel() >= min_elems:
            t.copy_(t.half().float())
    got = half(*args)
    ref, got = (ref if isinstance(ref, tuple) else (ref,)), (got if isinstance(got, tuple) else (got,))
    return max(float((a - b).abs().max() / a.abs().max().clamp(min=1e-12)) for a, b in zip(ref, got))


def export_stage(model, name, spec, example, path, fp16):
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
    if fp16:
        proto = fp16_weights(proto)
    onnx.checker.check_model(proto, full_check=True)
    got_in = [i.name for i in proto.graph.input]
    assert got_in == [n for n, _, _ in inputs], f"{name}: graph inputs {got_in}"
    proto.doc_string = f"fsam3d nano pack stage {name}"
    data = proto.SerializeToString()
    with open(path, "wb") as f:
        f.write(data)
    return hashlib.sha256(data).hexdigest()


@torch.no_grad()
def check_parity_conv(decoder, example):
    """The mesh decoder's first subdivision conv runs on the parents (nets.SubdivideBlock.conv1_subdivided):
    refuse to export if it differs from the plain conv over the children."""
    from fsam3d_model.decoders import subdivide
    nbr = torch.from_numpy(example["nbr_sub1"])
    h = torch.randn(nbr.shape[0] // 8, decoder.upsample[0].conv1.cin, generator=torch.Generator().manual_seed(0))
    blk = decoder.upsample[0]
    ref = blk.conv1(subdivide(h), nbr)
    err = float((blk.conv1_subdivided(h, nbr) - ref).abs().max() / ref.abs().max())
    assert err < 1e-5, f"parity conv differs from the plain conv by {err:.2e} of max |output|"
    return err


def load_run(run):
    m = nets.build_all()
    stats, loaded = {}, []
    # ss_refine (when finished) replaces ss_vae's stage-1 decoder with the one refined on stage 1's samples
    for stage in ["ss_vae", "slat_ae", "ss_flow", "slat_flow", "ss_refine"]:
        p = os.path.join(run, stage, "final.pt") if run else ""
        if p and os.path.exists(p):
            blob = torch.load(p)
            for k, sd in blob["models"].items():
                m[k].load_state_dict(sd)
            st = blob.get("stats", {})
            stats.update({k: v for k, v in st.items() if k != "rot6d"})
            if "rot6d" in st:
                stats.update(st["rot6d"])
            loaded.append(stage)
    for k in m.values():
        k.eval()
    return m, stats, loaded


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", default="")
    ap.add_argument("--out", default=os.path.join(ROOT, "modeling", ".cache", "nano", "pack"))
    ap.add_argument("--fp32", action="store_true")
    ap.add_argument("--label", default="smoke", help="'trained' for the shipped pack; anything else marks it")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    m, stats, loaded = load_run(args.run)
    print(f"stages with trained weights: {loaded or 'none'}")
    manifest = manifest_constants(stats, args.label)
    manifest["stages"] = {}
    specs = stage_specs()
    ex = example_inputs(np.random.default_rng(7))
    total = 0
    print(f"mesh decoder: parent-level subdivision conv matches the plain conv to {check_parity_conv(m['mesh_decoder'], ex['mesh_decoder']):.1e}")
    for name in EXPORTED:
        fname = f"{name}.onnx"
        path = os.path.join(args.out, fname)
        digest = export_stage(m[name], name, specs[name], ex[name], path, not args.fp32)
        ins, outs = specs[name]
        manifest["stages"][name] = {
            "file": fname, "sha256": digest, "precision": "fp32" if args.fp32 else "fp16-weights",
            "inputs": [{"name": n, "dtype": dt, "shape": sh} for n, dt, sh in ins],
            "outputs": [{"name": n, "dtype": dt, "shape": sh} for n, dt, sh in outs],
        }
        size = os.path.getsize(path)
        total += size
        eff = "" if args.fp32 else f", fp16-weights effect {fp16_effect(m[name], ex[name]):.2e} of max |output|"
        print(f"exported {fname} ({size / 1e6:.2f} MB{eff})")
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(f"pack {args.out}: {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
