"""Minimal checkpoint-style YAML files for the self-check, AUTHORED HERE (not copied from any release).

They use the nesting of the official checkpoints/hf/*.yaml (so config.py's reader is exercised on the
real structure) but hold only the keys the reader needs. FULL carries the released architecture numbers
as stated in /work/shared/docs/reference/sam3d-architecture.md sections 1.5-1.11 and appendix A;
REDUCED is the same architecture shrunk for the committed test pack. The `_arch` key of the reduced DINO
is our own test-only extension (a real config names a torch.hub variant instead)."""
import os

import yaml

T = "sam3d_objects.model.backbone."

FULL = dict(dino=None, image=518, point_dim=512, point_input=256, point_patch=8, proj_mult=4.0,
            ss_width=1024, ss_depth=24, ss_heads=16, ss_res=16, ss_ch=8, cond=1024,
            slat_width=1024, slat_depth=24, slat_heads=16, slat_io=128, slat_io_blocks=2, slat_res=64,
            dec_ch=[512, 128, 32], dec_res_blocks=2, dec_mid=2,
            d_width=768, d_depth=12, d_heads=12, window=8, gaussians=32)

REDUCED = dict(dino=dict(width=48, depth=2, heads=4, patch=14, registers=4, mlp_ratio=4.0, pos_tokens=10),
               image=42, point_dim=32, point_input=16, point_patch=8, proj_mult=4.0,
               ss_width=48, ss_depth=2, ss_heads=4, ss_res=4, ss_ch=8, cond=48,
               slat_width=48, slat_depth=2, slat_heads=4, slat_io=16, slat_io_blocks=2, slat_res=16,
               dec_ch=[16, 8, 4], dec_res_blocks=1, dec_mid=1,
               d_width=64, d_depth=2, d_heads=4, window=4, gaussians=4)
# Code constants changed for the reduced build (group norm needs channels divisible by the groups).
REDUCED_CODE = {"subdivide_groups": 4, "swiglu_multiple_of": 16, "max_voxels": 4000}

SLAT_MEAN = [0.12211431, 0.37204156, -1.26521907, -2.05276058, -3.10432536, -0.11294304, -0.85146744, 0.45506954]
SLAT_STD = [2.37326008, 2.13174402, 2.2413953, 2.30589401, 2.1191894, 1.8969511, 2.41684989, 2.08374642]


def _dino(n, prenorm):
    e = {"_target_": T + "dit.embedder.dino.Dino", "dino_model": "dinov2_vitl14_reg", "input_size": n["image"],
         "normalize_images": True}
    if prenorm:
        e["prenorm_features"] = True
    if n["dino"]:
        e["_arch"] = n["dino"]
    return e


def _latent(cin, w, pos):
    return {"_target_": T + "tdfy_dit.models.mm_latent.Latent", "in_channels": cin, "model_channels": w, "pos_embedder": pos}


def _learnt(w):
    return {"_target_": T + "tdfy_dit.models.mm_latent.LearntPositionEmbedder", "model_channels": w, "token_len": 1}


def configs(n):
    ss_w, d = n["ss_width"], n["cond"]
    ss_gen = {"module": {
        "condition_embedder": {"backbone": {
            "_target_": T + "dit.embedder.embedder_fuser.EmbedderFuser",
            "embedder_list": [
                [_dino(n, False), [["image", "cropped"], ["rgb_image", "full"]]],
                [_dino(n, False), [["mask", "cropped"], ["rgb_image_mask", "full"]]],
                [{"_target_": T + "dit.embedder.pointmap.PointPatchEmbed", "embed_dim": n["point_dim"],
                  "input_size": n["point_input"], "patch_size": n["point_patch"], "remap_output": "linear"},
                 [["pointmap", "cropped"], ["rgb_pointmap", "full"]]]],
            "projection_net_hidden_dim_multiplier": n["proj_mult"], "use_pos_embedding": "learned"}},
        "generator": {"backbone": {
            "_target_": T + "generator.shortcut.model.ShortCut", "time_scale": 1000.0,
            "reverse_fn": {"interval": [0, 500], "backbone": {
                "cond_channels": d, "in_channels": n["ss_ch"], "is_shortcut_model": True,
                "latent_mapping": {
                    "6drotation_normalized": _latent(6, ss_w, _learnt(ss_w)),
                    "scale": _latent(3, ss_w, _learnt(ss_w)),
                    "shape": _latent(n["ss_ch"], ss_w, {
                        "_target_": T + "tdfy_dit.models.mm_latent.ShapePositionEmbedder", "model_channels": ss_w,
                        "patch_size": 1, "resolution": n["ss_res"]}),
                    "translation": _latent(3, ss_w, _learnt(ss_w)),
                    "translation_scale": _latent(1, ss_w, _learnt(ss_w))},
                "latent_share_transformer": {"6drotation_normalized": [
                    "6drotation_normalized", "translation", "scale", "translation_scale"]},
                "mlp_ratio": 4, "model_channels": ss_w, "num_blocks": n["ss_depth"], "num_heads": n["ss_heads"],
                "out_channels": n["ss_ch"], "patch_size": 1, "pe_mode": "ape", "qk_rms_norm": True,
                "resolution": n["ss_res"]}}}}}}
    slat_gen = {"module": {
        "condition_embedder": {"backbone": {
            "_target_": T + "dit.embedder.embedder_fuser.EmbedderFuser",
            "embedder_list": [[_dino(n, True), [["image", "cropped"], ["rgb_image", "full"]]],
                              [_dino(n, True), [["mask", "cropped"], ["rgb_image_mask", "full"]]]],
            "projection_net_hidden_dim_multiplier": n["proj_mult"], "use_pos_embedding": "learned"}},
        "generator": {"backbone": {
            "_target_": T + "generator.flow_matching.model.FlowMatching", "time_scale": 1000.0,
            "reverse_fn": {"backbone": {
                "cond_channels": d, "in_channels": 8, "io_block_channels": [n["slat_io"]], "mlp_ratio": 4,
                "model_channels": n["slat_width"], "num_blocks": n["slat_depth"], "num_heads": n["slat_heads"],
                "num_io_res_blocks": n["slat_io_blocks"], "out_channels": 8, "patch_size": 2, "pe_mode": "ape",
                "qk_rms_norm": True, "resolution": n["slat_res"], "use_fp16": True}}}}}}
    dec = lambda extra: {"resolution": n["slat_res"], "model_channels": n["d_width"], "latent_channels": 8,
                         "num_blocks": n["d_depth"], "num_heads": n["d_heads"], "mlp_ratio": 4, "attn_mode": "swin",
                         "window_size": n["window"], "use_fp16": True, **extra}
    return {
        "pipeline.yaml": {"ss_generator_config_path": "ss_generator.yaml", "slat_generator_config_path": "slat_generator.yaml",
                          "ss_decoder_config_path": "ss_decoder.yaml", "slat_decoder_gs_config_path": "slat_decoder_gs.yaml",
                          "slat_decoder_mesh_config_path": "slat_decoder_mesh.yaml", "slat_cfg_strength": 1,
                          "slat_rescale_t": 1, "downsample_ss_dist": 1, "pose_decoder_name": "ScaleShiftInvariant",
                          "ss_preprocessor": {"img_mask_pointmap_joint_transform": [
                              {"_target_": "x.crop_around_mask_with_padding", "box_size_factor": 1.2, "padding_factor": 0.0}]},
                          "slat_mean": SLAT_MEAN, "slat_std": SLAT_STD},
        "ss_generator.yaml": ss_gen,
        "slat_generator.yaml": slat_gen,
        "ss_decoder.yaml": {"out_channels": 1, "latent_channels": n["ss_ch"], "num_res_blocks": n["dec_res_blocks"],
                            "num_res_blocks_middle": n["dec_mid"], "channels": n["dec_ch"], "reshape_input_to_cube": False},
        "slat_decoder_mesh.yaml": dec({"representation_config": {"use_color": True}}),
        "slat_decoder_gs.yaml": dec({"representation_config": {"num_gaussians": n["gaussians"], "voxel_size": 1.5,
                                                                "perturb_offset": True}}),
    }


def write(numbers, out_dir, code_overrides=None):
    os.makedirs(out_dir, exist_ok=True)
    cfgs = configs(numbers)
    if code_overrides:
        cfgs["pipeline.yaml"]["_code_overrides"] = code_overrides
    for name, cfg in cfgs.items():
        with open(os.path.join(out_dir, name), "w") as f:
            f.write("# authored by modeling/sam3d_export/testconfigs.py for tests; not a release file\n")
            yaml.safe_dump(cfg, f, sort_keys=False)
    return out_dir
