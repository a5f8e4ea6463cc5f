"""python -m sam3d_export export --checkpoint DIR [--moge FILE] --out PACK
   python -m sam3d_export selfcheck"""
import argparse
import gc
import os
import shutil
import sys
import time

import numpy as np
import torch

from . import checkpoint, config, export, ops
from .meta import on_meta
from .reduced import examples
from .stages import KEY_MAP, build_stages, manifest_constants, stage_specs


def log(msg):
    print(msg, flush=True)


def cmd_export(a):
    t0 = time.time()
    ops.set_attention_export(a.attention)
    arch = config.load_arch(a.checkpoint)
    specs = stage_specs(arch)
    wanted = [s for s in specs if not (s == "gs_decoder" and a.no_gaussians)]
    log(f"[1/4] config: image {arch['image_size']}, cond {arch['ss_fuser']['dim']} x {arch['ss_fuser']['tokens']} / "
        f"{arch['slat_fuser']['tokens']} tokens, SS {arch['ss_flow']['depth']}x{arch['ss_flow']['width']}, SLaT "
        f"{arch['slat_flow']['depth']}x{arch['slat_flow']['width']}, decoders {arch['mesh_decoder']['depth']}x"
        f"{arch['mesh_decoder']['width']}; sampler {arch['sampler']}")
    files = sorted({f for s, f, _ in KEY_MAP if s in wanted})
    log(f"[2/4] reading checkpoints: {', '.join(files)}")
    sources = {}
    for f in files:
        path = checkpoint.find_file(a.checkpoint, arch["files"][f])
        sources[f] = checkpoint.read_checkpoint(path)
        log(f"  {os.path.basename(path)}: {len(sources[f])} tensors, dtypes "
            f"{sorted({str(v.dtype).replace('torch.', '') for v in sources[f].values()})}, peak RSS {export.peak_rss_gb():.1f} GB")
    meta = {s: m for s, m in on_meta(build_stages, arch).items() if s in wanted}
    counts = checkpoint.assign(meta, sources, report=log, dry=True)  # refuses on any unused / missing key
    log(f"  key map complete: {counts}")
    os.makedirs(a.out, exist_ok=True)
    manifest = manifest_constants(arch, a.id, "SAM 3D Objects", "SAM 3D Objects (facebook/sam-3d-objects) exported by "
                                  "modeling/sam3d_export; see docs/real-sam3d.md.", _licence(a))
    manifest["stages"] = {}
    ex = examples(np.random.default_rng(7), arch, specs, batch=1)
    log(f"[3/4] exporting {len(wanted)} stages to {a.out} ({'fp32' if a.fp32 else 'fp16 weights'}, attention {a.attention})")
    for s in wanted:
        log(f"  {s}: building, loading weights")
        st = {s: build_stages_one(arch, s)}
        checkpoint.assign(st, sources, report=log)
        checkpoint.verify_buffers(st, report=log)
        m = st[s].eval()
        if not a.fp32:
            export.round_weights_fp16_(m)
        manifest["stages"][s] = export.export_stage(m, s, specs[s], ex[s], a.out, fp16=not a.fp32, report=log)
        del st, m
        gc.collect()
    if a.moge:
        from . import moge
        log(f"  depth: MoGe v1 from {a.moge}")
        entry, section = moge.export_depth(a.moge, a.out, fp16=not a.fp32, report=log)
        manifest["stages"]["depth"] = entry
        manifest["depth"] = section
        gc.collect()
    export.write_manifest(a.out, manifest)
    total = sum(os.path.getsize(os.path.join(a.out, f)) for f in os.listdir(a.out))
    log(f"[4/4] pack written: {total / 1e9:.2f} GB in {time.time() - t0:.0f} s, peak RSS {export.peak_rss_gb():.1f} GB")
    if not a.skip_validate:
        export.validate_with_engine(a.out, report=log)


def build_stages_one(arch, stage):
    """Builds only one stage (the others stay unallocated)."""
    from .stages import ConditionStage, Wrap
    c, size = arch["consts"], arch["image_size"]
    if stage in ("ss_condition", "slat_condition"):
        return ConditionStage(arch["ss_fuser" if stage == "ss_condition" else "slat_fuser"], c, size)
    from .decoders import GaussianDecoder, MeshDecoder
    from .slat_flow import SlatFlow
    from .ss_decoder import SSDecoder
    from .ss_flow import SSFlow
    r = arch["ss_flow"]["latents"][arch["shape_latent"]]["res"]
    net = {"ss_denoiser": lambda: SSFlow(arch["ss_flow"], arch["shape_latent"]),
           "ss_decoder": lambda: SSDecoder(arch["ss_decoder"], r),
           "slat_denoiser": lambda: SlatFlow(arch["slat_flow"]),
           "mesh_decoder": lambda: MeshDecoder(arch["mesh_decoder"]),
           "gs_decoder": lambda: GaussianDecoder(arch["gs_decoder"])}[stage]()
    return Wrap(net)


def _licence(a):
    for d in (a.checkpoint, os.path.dirname(os.path.abspath(a.checkpoint))):
        for name in ("LICENSE", "LICENSE.md", "LICENSE.txt"):
            p = os.path.join(d, name)
            if os.path.exists(p):
                shutil.copy(p, os.path.join(a.out, "LICENSE.SAM"))
                return {"name": "SAM License", "file": "LICENSE.SAM"}
    log("  warning: no LICENSE file found next to the checkpoints; the SAM License must ship with the pack")
    return {"name": "SAM License"}


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m sam3d_export")
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("export", help="checkpoint folder -> stage pack")
    e.add_argument("--checkpoint", required=True, help="folder with pipeline.yaml, *.yaml and *.ckpt (checkpoints/hf)")
    e.add_argument("--moge", help="MoGe v1 model.pt (Ruicheng/moge-vitl): adds the optional depth stage")
    e.add_argument("--out", required=True)
    e.add_argument("--id", default="sam3d-objects")
    e.add_argument("--fp32", action="store_true", help="keep fp32 weights (packs twice as large)")
    e.add_argument("--no-gaussians", action="store_true", help="skip the Gaussian decoder")
    e.add_argument("--attention", choices=["mha", "matmul"], default="mha",
                   help="mha: com.microsoft.MultiHeadAttention (memory-bounded; default); matmul: plain ops")
    e.add_argument("--skip-validate", action="store_true")
    sub.add_parser("selfcheck", help="checks (a) and (b) without real weights")
    a = ap.parse_args(argv)
    if a.cmd == "export":
        with torch.no_grad():
            cmd_export(a)
    else:
        from .selfcheck import main as selfcheck
        sys.exit(selfcheck())


if __name__ == "__main__":
    main()
