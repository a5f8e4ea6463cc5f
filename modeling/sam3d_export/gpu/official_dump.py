"""Records per-stage inputs/outputs of the OFFICIAL SAM 3D Objects pipeline in our pack's tensor names,
so every graph of an exported pack can be checked on the same tensors (tools/check_ort.mjs).

NOT RUN in this repository (it needs the gated weights, a CUDA GPU and the official environment).
Run it from a checkout of facebookresearch/sam-3d-objects (its notebook/ on sys.path), e.g.

    python official_dump.py --config checkpoints/hf/pipeline.yaml --image photo.png --mask mask.png \
        --out dump.safetensors --seed 42

Hooks (forward hooks with kwargs, torch >= 2.0; the pipeline is not modified):
  * condition_embedders["ss_condition_embedder" | "slat_condition_embedder"]: kwargs image, rgb_image,
    mask, rgb_image_mask, pointmap, rgb_pointmap -> ss_condition / slat_condition cases (output tokens);
  * models["ss_generator"].reverse_fn.backbone: (latents dict, t, cond, d=..., cfg=...) for the first
    two calls (conditional and unconditional of step 0) and the call at step 10 -> ss_denoiser cases
    (t and d as the backbone sees them, i.e. already x1000; an unconditional call is stored with one
    zero token, which is exact for zero context);
  * models["ss_decoder"]: (B, 8, 16, 16, 16) latent -> occupancy logits;
  * models["slat_generator"].reverse_fn.backbone: (x (1,N,8), t, cond, coords) -> slat_denoiser, with
    the host structures rebuilt from coords by fsam3d_model.structures (same rules as the engine);
  * models["slat_decoder_mesh"] input SparseTensor + its out_layer output (64N, 101) -> mesh_decoder;
    models["slat_decoder_gs"] out_layer output -> gs_decoder.
Initial noise: FlowMatching._generate_noise_tensor is wrapped to record each draw (ss.noise.<name>,
slat.noise), so an engine run can be replayed with the same noise once the engine has a depth stage.
"""
import argparse
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", ".."))  # modeling/ for fsam3d_model
from fsam3d_model import safetensors_io  # noqa: E402
from fsam3d_model import structures as S  # noqa: E402

PACK_NAMES = {"image": "image_crop", "rgb_image": "image_full", "mask": "mask_crop", "rgb_image_mask": "mask_full",
              "pointmap": "pointmap_crop", "rgb_pointmap": "pointmap_full"}
LATENT = {"shape": "shape", "6drotation_normalized": "rot6d", "translation": "translation", "scale": "scale",
          "translation_scale": "translation_scale"}


def f32(t):
    return t.detach().float().cpu().numpy()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--mask", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--window", type=int, default=8)
    a = ap.parse_args()
    from inference import Inference, load_image  # notebook/inference.py of the official repo
    from PIL import Image

    inf = Inference(a.config, compile=False)
    pipe = inf._pipeline
    rec, calls = {}, {"ss": 0, "slat": 0}

    def cond_hook(prefix, with_pointmap):
        def hook(mod, args, kwargs, out):
            for k, v in kwargs.items():
                if k in PACK_NAMES and (with_pointmap or "pointmap" not in k):
                    rec[f"{prefix}.in.{PACK_NAMES[k]}"] = f32(v)
            if with_pointmap:
                rec[f"{prefix}.in.pointmap_weight"] = np.ones(1, np.float32)
            rec[f"{prefix}.out.cond"] = f32(out)
        return hook

    def ss_hook(mod, args, kwargs, out):
        i = calls["ss"]
        calls["ss"] += 1
        if i not in (0, 1, 20):
            return
        latents, t, cond = args[0], args[1], args[2]
        uncond = bool(kwargs.get("cfg", False))
        case = "ss_denoiser_uncond" if uncond else ("ss_denoiser" if i == 0 else "ss_denoiser_step10")
        for k, v in latents.items():
            rec[f"{case}.in.x_{LATENT[k]}"] = f32(v)
        rec[f"{case}.in.t"] = f32(t.reshape(-1))
        if kwargs.get("d") is not None:
            rec[f"{case}.in.d"] = f32(kwargs["d"].reshape(-1))
        rec[f"{case}.in.cond"] = np.zeros((1, 1, cond.shape[-1]), np.float32) if uncond else f32(cond)
        for k, v in out.items():
            rec[f"{case}.out.v_{LATENT[k]}"] = f32(v)

    def ss_dec_hook(mod, args, out):
        x = args[0]
        b, c = x.shape[:2]
        rec["ss_decoder.in.shape_latent"] = f32(x.reshape(b, c, -1).transpose(1, 2))
        rec["ss_decoder.out.occupancy_logits"] = f32(out[:, 0])

    def slat_hook(mod, args, kwargs, out):
        i = calls["slat"]
        calls["slat"] += 1
        if i not in (0, 1):
            return
        x, t, cond = args[0], args[1], args[2]
        coords = kwargs.get("coords", args[-1] if len(args) > 3 else None)
        c = np.asarray(torch.as_tensor(coords).cpu())[:, 1:].astype(np.int32)
        uncond = bool(kwargs.get("cfg", False))
        case = "slat_denoiser_uncond" if uncond else "slat_denoiser"
        rec[f"{case}.in.x"] = f32(x)
        rec[f"{case}.in.t"] = f32(t.reshape(-1))
        rec[f"{case}.in.cond"] = np.zeros((1, 1, cond.shape[-1]), np.float32) if uncond else f32(cond)
        for k, v in S.slat_structures(c).items():
            rec[f"{case}.in.{k}"] = v
        rec[f"{case}.out.v"] = f32(out)
        rec["slat_denoiser.host.coords"] = c

    def dec_in_hook(prefix, subdivisions):
        def hook(mod, args):
            st = args[0]
            c = st.coords[:, 1:].int().cpu().numpy()
            rec[f"{prefix}.in.feats"] = f32(st.feats)
            for k, v in S.decoder_structures(c, a.window, [0, a.window // 2], subdivisions).items():
                rec[f"{prefix}.in.{k}"] = v
        return hook

    def dec_out_hook(prefix, name):
        def hook(mod, args, out):
            rec[f"{prefix}.out.{name}"] = f32(out.feats if hasattr(out, "feats") else out)
        return hook

    noise_draws = []
    from sam3d_objects.model.backbone.generator.flow_matching import model as fm
    orig = fm.FlowMatching._generate_noise_tensor

    def noise(self, x_shape, x_device):
        t = orig(self, x_shape, x_device)
        noise_draws.append(f32(t))
        return t
    fm.FlowMatching._generate_noise_tensor = noise

    ce = pipe.condition_embedders
    ce["ss_condition_embedder"].register_forward_hook(cond_hook("ss_condition", True), with_kwargs=True)
    ce["slat_condition_embedder"].register_forward_hook(cond_hook("slat_condition", False), with_kwargs=True)
    pipe.models["ss_generator"].reverse_fn.backbone.register_forward_hook(ss_hook, with_kwargs=True)
    pipe.models["ss_decoder"].register_forward_hook(ss_dec_hook)
    pipe.models["slat_generator"].reverse_fn.backbone.register_forward_hook(slat_hook, with_kwargs=True)
    m = pipe.models["slat_decoder_mesh"]
    m.register_forward_pre_hook(dec_in_hook("mesh_decoder", len(m.upsample)))
    m.out_layer.register_forward_hook(dec_out_hook("mesh_decoder", "cube_feats"))
    g = pipe.models["slat_decoder_gs"]
    g.register_forward_pre_hook(dec_in_hook("gs_decoder", 0))
    g.out_layer.register_forward_hook(dec_out_hook("gs_decoder", "gs_raw"))

    image = load_image(a.image)
    mask = np.array(Image.open(a.mask).convert("L")) >= 128
    torch.cuda.reset_peak_memory_stats()
    import time
    t0 = time.time()
    out = inf(image, mask, seed=a.seed)
    torch.cuda.synchronize()
    print(f"official pipeline: {time.time() - t0:.1f} s, peak GPU memory {torch.cuda.max_memory_allocated() / 1e9:.1f} GB")
    for i, n in enumerate(noise_draws):
        rec[f"noise.{i}"] = n
    rec["pose.rotation"] = f32(out["rotation"])
    rec["pose.translation"] = f32(out["translation"])
    rec["pose.scale"] = f32(out["scale"])
    safetensors_io.save(a.out, rec, {"source": "facebookresearch/sam-3d-objects", "seed": a.seed})
    print(f"wrote {a.out}: {len(rec)} tensors")


if __name__ == "__main__":
    main()
