"""Reads the checkpoint's own YAML files (checkpoints/hf/*.yaml of the gated SAM 3D Objects download)
into one plain architecture description. Only the numbers are read; nothing is instantiated from the
YAML (`_target_` strings are ignored apart from telling position embedders apart).

Numbers that live in the official *code* rather than in the YAMLs are in CODE_CONSTANTS (each with the
place it comes from); a test may override them for reduced builds.
"""
import copy
import os

import yaml

# Constants fixed in the official code (facebookresearch/sam-3d-objects @ cf06676), not in the YAMLs.
CODE_CONSTANTS = {
    # InferencePipeline.__init__ defaults; pipeline.yaml may override any of these keys.
    "ss_inference_steps": 25, "ss_rescale_t": 3.0, "ss_cfg_strength": 7.0,
    "slat_inference_steps": 25, "slat_rescale_t": 3.0, "slat_cfg_strength": 5.0,
    "max_voxels": 42000,                    # inference_pipeline: mesh-decoder indexing limit
    "point_embed_heads": 16,                # pointmap.PointPatchEmbed: timm Block(num_heads=16)
    "point_embed_mlp_ratio": 2.0,           # pointmap.PointPatchEmbed: mlp_ratio=2.0
    "swiglu_multiple_of": 256,              # llama3/ff.FeedForward default
    "subdivide_groups": 32,                 # decoder_mesh.SparseSubdivideBlock3d num_groups
    "subdivide_divisors": [4, 8],           # decoder_mesh: model_channels // 4, // 8
    "timestep_freq_dim": 256,               # TimestepEmbedder frequency_embedding_size
    "image_mean": [0.485, 0.456, 0.406], "image_std": [0.229, 0.224, 0.225],
    "crop_box_size_factor": 1.2,
}

# torch.hub dinov2 variants (facebookresearch/dinov2 hubconf + vision_transformer.py): width, depth, heads.
DINO_VARIANTS = {
    "dinov2_vits14": (384, 12, 6), "dinov2_vitb14": (768, 12, 12), "dinov2_vitl14": (1024, 24, 16),
    "dinov2_vitg14": (1536, 40, 24),
}


def _dino_arch(cfg, input_size):
    name = cfg["dino_model"]
    if "_arch" in cfg:  # test-only extension of OUR reduced configs (never present in a real YAML)
        a = dict(cfg["_arch"])
    else:
        base = name[:-4] if name.endswith("_reg") else name
        if base not in DINO_VARIANTS:
            raise ValueError(f"unknown DINO variant {name!r}")
        w, depth, heads = DINO_VARIANTS[base]
        a = {"width": w, "depth": depth, "heads": heads, "patch": 14, "registers": 4 if name.endswith("_reg") else 0,
             "mlp_ratio": 4.0 if base != "dinov2_vitg14" else None, "ffn": "mlp" if base != "dinov2_vitg14" else "swiglu",
             "pos_tokens": (518 // 14) ** 2 + 1}  # hub models are built with img_size 518
        if a["ffn"] != "mlp":
            raise ValueError("the giant DINO (SwiGLU FFN) is not supported")
    a.setdefault("ffn", "mlp")
    a["prenorm"] = bool(cfg.get("prenorm_features", False))
    a["input_size"] = int(cfg.get("input_size", input_size))
    a["normalize"] = bool(cfg.get("normalize_images", True))
    a["tokens"] = (a["input_size"] // a["patch"]) ** 2 + 1 + (a["registers"] if a["prenorm"] else 0)
    if (a["input_size"] // a["patch"]) ** 2 + 1 != a["pos_tokens"]:
        raise ValueError("DINO position-embedding interpolation is not supported (input size != img_size)")
    return a


def _fuser(cfg, consts):
    fb = cfg["module"]["condition_embedder"]["backbone"]
    embedders, groups = [], {}
    for emb_cfg, kwargs in fb["embedder_list"]:
        target = emb_cfg["_target_"].rsplit(".", 1)[-1]
        uses = [(k, g) for k, g in kwargs]
        for _, g in uses:
            if g is not None and g not in groups:
                groups[g] = len(groups)
        if target == "Dino":
            e = {"kind": "dino", **_dino_arch(emb_cfg, 518)}
            e["dim"] = e["width"]
        elif target == "PointPatchEmbed":
            if emb_cfg.get("remap_output", "exp") != "linear":
                raise ValueError(f"PointPatchEmbed remap_output {emb_cfg.get('remap_output')!r} is not supported")
            e = {"kind": "point", "dim": int(emb_cfg["embed_dim"]), "input_size": int(emb_cfg["input_size"]),
                 "patch": int(emb_cfg["patch_size"]), "heads": consts["point_embed_heads"],
                 "mlp_ratio": consts["point_embed_mlp_ratio"]}
            e["tokens"] = (e["input_size"] // e["patch"]) ** 2
        else:
            raise ValueError(f"unknown condition embedder {target}")
        e["uses"] = uses
        embedders.append(e)
    dim = max(e["dim"] for e in embedders)
    mult = float(fb.get("projection_net_hidden_dim_multiplier", 4.0))
    h = int(2 * int(mult * dim) / 3)
    m = consts["swiglu_multiple_of"]
    if fb.get("use_pos_embedding", "learned") != "learned":
        raise ValueError("only learned idx_emb is supported")
    return {"embedders": embedders, "dim": dim, "hidden": m * ((h + m - 1) // m), "groups": groups,
            "idx_rows": len(groups) + 1, "tokens": sum(e["tokens"] * len(e["uses"]) for e in embedders)}


def _backbone(cfg):
    return cfg["module"]["generator"]["backbone"]["reverse_fn"]["backbone"]


def _ss_flow(cfg):
    b = _backbone(cfg)
    rf = cfg["module"]["generator"]["backbone"]["reverse_fn"]
    latents = {}
    for name, lc in b["latent_mapping"].items():
        pe = lc["pos_embedder"]
        kind = pe["_target_"].rsplit(".", 1)[-1]
        if kind == "ShapePositionEmbedder":
            tokens = (int(pe["resolution"]) // int(pe["patch_size"])) ** 3
            latents[name] = {"in": int(lc["in_channels"]), "pos": "fixed", "tokens": tokens,
                             "res": int(pe["resolution"]) // int(pe["patch_size"])}
        elif kind == "LearntPositionEmbedder":
            latents[name] = {"in": int(lc["in_channels"]), "pos": "learned", "tokens": int(pe["token_len"])}
        else:
            raise ValueError(f"unsupported position embedder {kind}")
    share = {k: list(v) for k, v in (b.get("latent_share_transformer") or {}).items()}
    merged = [n for v in share.values() for n in v]
    streams = [n for n in latents if n not in merged] + list(share)
    width = int(b["model_channels"])
    heads = int(b.get("num_heads") or width // int(b.get("num_head_channels", 64)))
    if b.get("share_mod", False) or b.get("pe_mode", "ape") != "ape" or b.get("qk_rms_norm_cross", False):
        raise ValueError("share_mod / rope / cross q-k norm variants are not supported")
    return {"width": width, "depth": int(b["num_blocks"]), "heads": heads, "mlp_ratio": float(b.get("mlp_ratio", 4)),
            "cond_dim": int(b["cond_channels"]), "latents": latents, "share": share, "streams": streams,
            "shortcut": bool(b.get("is_shortcut_model", False)), "qk_rms_norm": bool(b.get("qk_rms_norm", False)),
            "cfg_interval": list(rf.get("interval", [0, 500])),
            "time_scale": float(cfg["module"]["generator"]["backbone"].get("time_scale", 1000.0))}


def _slat_flow(cfg):
    b = _backbone(cfg)
    width = int(b["model_channels"])
    io = [int(c) for c in b["io_block_channels"]]
    if len(io) != 1 or int(b.get("patch_size", 2)) != 2:
        raise ValueError("the pack contract has one pooling level: io_block_channels must have one entry, patch_size 2")
    if b.get("share_mod", False) or b.get("pe_mode", "ape") != "ape" or not b.get("use_skip_connection", True):
        raise ValueError("share_mod / rope / no-skip variants are not supported")
    rf = cfg["module"]["generator"]["backbone"]["reverse_fn"]
    return {"width": width, "depth": int(b["num_blocks"]), "heads": int(b.get("num_heads") or width // 64),
            "mlp_ratio": float(b.get("mlp_ratio", 4)), "cond_dim": int(b["cond_channels"]), "io": io[0],
            "io_blocks": int(b.get("num_io_res_blocks", 2)), "in": int(b["in_channels"]), "out": int(b["out_channels"]),
            "res": int(b["resolution"]), "qk_rms_norm": bool(b.get("qk_rms_norm", False)),
            "shortcut": bool(b.get("is_shortcut_model", False)), "cfg_interval": list(rf.get("interval", [0, 500])),
            "time_scale": float(cfg["module"]["generator"]["backbone"].get("time_scale", 1000.0))}


def _ss_decoder(cfg):
    if cfg.get("norm_type", "layer") != "layer":
        raise ValueError("only norm_type 'layer' is supported")
    return {"channels": [int(c) for c in cfg["channels"]], "latent": int(cfg["latent_channels"]),
            "res_blocks": int(cfg.get("num_res_blocks", 2)), "res_blocks_middle": int(cfg.get("num_res_blocks_middle", 2)),
            "out": int(cfg.get("out_channels", 1))}


def _decoder(cfg, kind, consts):
    if cfg.get("attn_mode", "swin") != "swin" or cfg.get("pe_mode", "ape") != "ape" or cfg.get("qk_rms_norm", False):
        raise ValueError("decoder: only swin attention with APE and no q/k norm is supported")
    width = int(cfg["model_channels"])
    d = {"width": width, "depth": int(cfg["num_blocks"]), "heads": int(cfg.get("num_heads") or width // 64),
         "mlp_ratio": float(cfg.get("mlp_ratio", 4)), "latent": int(cfg["latent_channels"]), "res": int(cfg["resolution"]),
         "window": int(cfg["window_size"])}
    rep = cfg.get("representation_config") or {}
    if kind == "mesh":
        d["sub_channels"] = [width // k for k in consts["subdivide_divisors"]]
        d["groups"] = consts["subdivide_groups"]
        d["use_color"] = bool(rep.get("use_color", False))
        d["channels"] = 8 + 24 + 21 + (48 if d["use_color"] else 0)  # sdf, deform, weights, colour
    else:
        d["num_gaussians"] = int(rep["num_gaussians"])
        d["voxel_size"] = float(rep.get("voxel_size", 1.5))
        d["channels"] = d["num_gaussians"] * 14  # xyz 3, f_dc 3, scaling 3, rotation 4, opacity 1
    return d


def read_yaml(path):
    with open(path) as f:
        return yaml.safe_load(f)


def load_arch(checkpoint_dir, code_overrides=None):
    """Architecture + sampler numbers from a checkpoint folder holding pipeline.yaml and the per-model
    YAMLs it names. Returns a dict (also written into the pack's description)."""
    p = read_yaml(os.path.join(checkpoint_dir, "pipeline.yaml"))
    consts = copy.deepcopy(CODE_CONSTANTS)
    consts.update(p.get("_code_overrides") or {})  # test-only key of our authored reduced configs
    consts.update(code_overrides or {})

    def sub(key, default):
        return read_yaml(os.path.join(checkpoint_dir, p.get(key, default)))

    ssg, slg = sub("ss_generator_config_path", "ss_generator.yaml"), sub("slat_generator_config_path", "slat_generator.yaml")
    arch = {
        "consts": consts,
        "ss_fuser": _fuser(ssg, consts),
        "slat_fuser": _fuser(slg, consts),
        "ss_flow": _ss_flow(ssg),
        "slat_flow": _slat_flow(slg),
        "ss_decoder": _ss_decoder(sub("ss_decoder_config_path", "ss_decoder.yaml")),
        "mesh_decoder": _decoder(sub("slat_decoder_mesh_config_path", "slat_decoder_mesh.yaml"), "mesh", consts),
        "files": {k: p.get(f"{k}_ckpt_path", f"{k}.ckpt") for k in
                  ("ss_generator", "slat_generator", "ss_decoder", "slat_decoder_mesh", "slat_decoder_gs")},
    }
    gs_path = os.path.join(checkpoint_dir, p.get("slat_decoder_gs_config_path", "slat_decoder_gs.yaml"))
    arch["gs_decoder"] = _decoder(read_yaml(gs_path), "gs", consts) if os.path.exists(gs_path) else None
    sampler = {k: p.get(k, consts[k]) for k in ("ss_inference_steps", "ss_rescale_t", "ss_cfg_strength",
                                                 "slat_inference_steps", "slat_rescale_t", "slat_cfg_strength")}
    arch["sampler"] = sampler
    arch["slat_mean"] = [float(v) for v in p["slat_mean"]]
    arch["slat_std"] = [float(v) for v in p["slat_std"]]
    arch["downsample_ss_dist"] = int(p.get("downsample_ss_dist", 0))
    arch["pose_decoder"] = p.get("pose_decoder_name", "ScaleShiftInvariant")
    arch["crop"] = _crop(p, consts)
    # Derived sizes the pack manifest needs.
    ss = arch["ss_flow"]
    shape = [n for n, l in ss["latents"].items() if l["pos"] == "fixed"]
    if len(shape) != 1:
        raise ValueError("expected exactly one fixed-position (shape) latent")
    arch["shape_latent"] = shape[0]
    dec = arch["ss_decoder"]
    arch["occupancy_res"] = ss["latents"][shape[0]]["res"] * 2 ** (len(dec["channels"]) - 1)
    dino = [e for e in arch["ss_fuser"]["embedders"] if e["kind"] == "dino"]
    arch["image_size"] = dino[0]["input_size"]
    return arch


def _crop(p, consts):
    for t in (p.get("ss_preprocessor") or {}).get("img_mask_pointmap_joint_transform", []) or []:
        if str(t.get("_target_", "")).endswith("crop_around_mask_with_padding"):
            return {"boxSizeFactor": float(t.get("box_size_factor", 1.2)), "paddingFactor": float(t.get("padding_factor", 0))}
    return {"boxSizeFactor": consts["crop_box_size_factor"], "paddingFactor": 0.0}
