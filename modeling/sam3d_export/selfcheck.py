"""Self-check without real weights:  cd modeling && /usr/bin/python3 -m sam3d_export.selfcheck [--write]

(a) builds every network at full size on the meta device from FULL test configs and asserts parameter
    names and shapes against expected_keys.py (derived separately from the official constructors), and
    the parameter counts against the reference table (sam3d-architecture.md 1.13);
(b) builds the REDUCED networks with random weights, exports them through the real exporter path,
    compares PyTorch with onnxruntime-node for every stage (max abs error <= 1e-3), then writes fake
    official-layout checkpoints of the same weights, runs `python -m sam3d_export export` on them
    (strict key map, engine validation) and checks the refusal on an unused / a missing tensor.
(c) MoGe v1 (the optional depth stage, moge.py): resampling matrices vs F.interpolate, a reduced random
    MoGe exported from a fake model.pt (strict load) vs onnxruntime-node, refusals; the full ViT-L
    module built on the meta device (parameter count printed).
With --write the reduced pack and fixtures are regenerated in resources/ (else in a temp folder)."""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import torch

from . import checkpoint, config, expected_keys, reduced, testconfigs
from .meta import on_meta
from .stages import KEY_MAP, build_stages

ROOT = reduced.ROOT
# sam3d-architecture.md 1.13 (derived there from the configs by exact arithmetic).
REFERENCE_PARAMS = {"ss_denoiser": 959_962_133, "ss_condition": 634_485_760, "slat_denoiser": 600_432_520,
                    "slat_condition": 626_054_144, "ss_decoder": 73_671_201, "mesh_decoder": 90_926_693,
                    "gs_decoder": 85_369_024}


def check_a():
    print("(a) full-size modules on the meta device vs the derived key list")
    cfg = testconfigs.write(testconfigs.FULL, tempfile.mkdtemp(prefix="sam3d-full-cfg-"))
    arch = config.load_arch(cfg)
    stages = on_meta(build_stages, arch)
    exp = expected_keys.expected(arch)
    ok, total = True, 0
    for name, m in stages.items():
        sd = {k: tuple(v.shape) for k, v in m.net.state_dict().items()}
        e = exp[name]
        missing, extra = sorted(set(e) - set(sd)), sorted(set(sd) - set(e))
        bad = sorted(k for k in set(e) & set(sd) if e[k] != sd[k])
        params = sum(p.numel() for p in m.parameters())
        total += params
        ref = REFERENCE_PARAMS[name]
        good = not missing and not extra and not bad and params == ref
        ok &= good
        print(f"  {'ok  ' if good else 'FAIL'} {name:15s} {len(sd):4d} tensors, {params:>13,d} parameters (reference {ref:,d})")
        for k in missing[:5] + extra[:5] + bad[:5]:
            print(f"       {k}: expected {e.get(k)}, module {sd.get(k)}")
    print(f"  total {total:,d} parameters (reference ≈ 3.16 B with four DINO copies)")
    return ok


def _fake_checkpoints(stages, arch, out):
    """Writes the stage weights in the official layout: generator .ckpt files with a Lightning-style
    "state_dict" and prefixes, raw decoder state dicts (one of them as safetensors)."""
    files = {}
    for stage, fkey, prefix in KEY_MAP:
        if stage in stages:
            sd = files.setdefault(fkey, {})
            for k, v in stages[stage].net.state_dict().items():
                sd[prefix + k] = v.clone()
    for fkey, sd in files.items():
        name = arch["files"][fkey]
        if fkey.startswith("ss_generator") or fkey.startswith("slat_generator"):
            torch.save({"state_dict": sd, "epoch": 0}, os.path.join(out, name))
        elif fkey == "slat_decoder_mesh":
            _save_safetensors(sd, os.path.join(out, os.path.splitext(name)[0] + ".safetensors"))
        else:
            torch.save(sd, os.path.join(out, name))
    return files


def _save_safetensors(sd, path):
    import struct
    header, blobs, off = {}, [], 0
    for k, v in sd.items():
        b = v.detach().to(torch.float16 if v.is_floating_point() else v.dtype).contiguous().numpy().tobytes()
        header[k] = {"dtype": "F16" if v.is_floating_point() else "I64", "shape": list(v.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def _ort(pack, fixture):
    r = subprocess.run(["node", "modeling/sam3d_export/tools/check_ort.mjs", pack, fixture], cwd=ROOT,
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout + r.stderr)
        return None
    return [json.loads(l) for l in r.stdout.splitlines() if l.startswith("{")]


def check_b(write):
    print("(b) reduced random-weight pack: export, PyTorch vs onnxruntime per stage")
    pack = reduced.PACK_DIR if write else tempfile.mkdtemp(prefix="sam3d-reduced-pack-")
    fix = reduced.FIXTURE_DIR if write else tempfile.mkdtemp(prefix="sam3d-reduced-fix-")
    arch, stages, _ = reduced.write_reduced(pack, fix, report=lambda m: print(m))
    size = sum(os.path.getsize(os.path.join(pack, f)) for f in os.listdir(pack))
    print(f"  pack size {size / 1e6:.2f} MB")
    fixture = os.path.join(fix, "stages.safetensors")
    rows = _ort(pack, fixture)
    ok = rows is not None and size <= 4e6
    for r in rows or []:
        good = r["maxAbs"] <= 1e-3
        ok &= good
        print(f"  {'ok  ' if good else 'FAIL'} {r['case']:22s} {r['output']:20s} max|d| {r['maxAbs']:.2e} (max|ref| {r['maxRef']:.2f})")

    print("(b') the CLI on fake official-layout checkpoints of the same weights")
    ck = tempfile.mkdtemp(prefix="sam3d-fake-ckpt-")
    testconfigs.write(testconfigs.REDUCED, ck, testconfigs.REDUCED_CODE)
    files = _fake_checkpoints(stages, arch, ck)
    out = tempfile.mkdtemp(prefix="sam3d-cli-pack-")
    r = subprocess.run([sys.executable, "-m", "sam3d_export", "export", "--checkpoint", ck, "--out", out],
                       cwd=os.path.join(ROOT, "modeling"), capture_output=True, text=True)
    lines = [l for l in (r.stdout + r.stderr).splitlines() if not _noise(l)]
    print("  " + "\n  ".join(lines[-14:]))
    ok &= r.returncode == 0
    rows = _ort(out, fixture) if r.returncode == 0 else None
    worst = max((x["maxAbs"] for x in rows), default=float("inf")) if rows else float("inf")
    print(f"  {'ok  ' if worst <= 1e-3 else 'FAIL'} CLI pack vs PyTorch fixtures: worst max|d| {worst:.2e}")
    ok &= worst <= 1e-3

    # Refusals: one unused checkpoint tensor, one missing parameter.
    for what in ("unused", "missing"):
        sources = {k: dict(v) for k, v in files.items()}
        if what == "unused":
            sources["slat_generator"]["_base_models.generator.reverse_fn.backbone.extra.weight"] = torch.zeros(2)
        else:
            sources["ss_decoder"].pop("out_layer.2.bias")
        try:
            checkpoint.assign(on_meta(build_stages, arch), sources, report=lambda m: None, dry=True)
            print(f"  FAIL a {what} tensor was not refused")
            ok = False
        except checkpoint.LoadError as e:
            print(f"  ok   {what} tensor refused: {str(e).splitlines()[1].strip()}")
    return ok


def check_c():
    print("(c) MoGe v1 depth stage")
    from . import moge
    ok = moge.selfcheck(report=print)
    full = {"encoder": "dinov2_vitl14", "remap_output": "exp", "intermediate_layers": 4, "dim_upsample": [256, 128, 64],
            "dim_times_res_block_hidden": 2, "num_res_blocks": 2, "num_tokens_range": [1200, 2500],
            "last_conv_channels": 32, "last_conv_size": 1}  # configs/train/v1.json at the pinned commit
    m = on_meta(moge.MoGeDepth, moge.arch_from_config(full))
    print(f"  full-size MoGe v1 ViT-L (train config v1.json) on meta: {sum(p.numel() for p in m.parameters()):,d} parameters, "
          f"{len(m.state_dict())} tensors")
    return ok


def _noise(line):
    return any(s in line for s in ("Warning", "warn", "_C._jit", "g.op(", "InitGoogleLogging", "shape_c =", "last =",
                                   "three_c =", "bias = g.op", "args +=", "if img.shape", "sc = torch")) or not line.strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--write", action="store_true", help="regenerate the committed reduced pack and fixtures")
    ap.add_argument("--only", choices=["a", "b", "c"])
    a = ap.parse_args(sys.argv[2:] if len(sys.argv) > 1 and sys.argv[1] == "selfcheck" else sys.argv[1:])
    ok = True
    if a.only in (None, "a"):
        ok &= check_a()
    if a.only in (None, "b"):
        ok &= check_b(a.write)
    if a.only in (None, "c"):
        ok &= check_c()
    print("selfcheck " + ("passed" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
