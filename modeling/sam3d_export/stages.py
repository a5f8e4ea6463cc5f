"""One wrapper per pack stage (docs/pack-format.md), the tensor contract, and the checkpoint key map.

Every wrapper holds its network as `.net`, whose parameter names equal the official checkpoint keys
after the prefix below is stripped, so the key map is a prefix map per (checkpoint file, stage)."""
import torch
import torch.nn as nn

from .condition import EmbedderFuser
from .decoders import GaussianDecoder, MeshDecoder, shifts
from .slat_flow import SlatFlow
from .ss_decoder import SSDecoder
from .ss_flow import LATENT_TO_PACK, SSFlow

F32, I32, BOOL = "float32", "int32", "bool"

# (stage, checkpoint file key, prefix in that checkpoint). Files are raw state dicts or Lightning
# checkpoints with a "state_dict" entry (see checkpoint.py).
KEY_MAP = [
    ("ss_condition", "ss_generator", "_base_models.condition_embedder."),
    ("ss_denoiser", "ss_generator", "_base_models.generator.reverse_fn.backbone."),
    ("slat_condition", "slat_generator", "_base_models.condition_embedder."),
    ("slat_denoiser", "slat_generator", "_base_models.generator.reverse_fn.backbone."),
    ("ss_decoder", "ss_decoder", ""),
    ("mesh_decoder", "slat_decoder_mesh", ""),
    ("gs_decoder", "slat_decoder_gs", ""),
]
# Checkpoint keys that are known to be unused at inference; anything else left over stops the export.
IGNORED = {
    "ss_generator": [("_base_models.decoder.", "a copy of the SS VAE decoder stored with the generator "
                      "(a third-party converter reports it); the pipeline loads ss_decoder.ckpt instead")],
}


class ConditionStage(nn.Module):
    def __init__(self, f, consts, image_size):
        super().__init__()
        self.net = EmbedderFuser(f, consts, image_size)

    def forward(self, *args):
        return self.net(*args)


class Wrap(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, *args):
        return self.net(*args)


def build_stages(arch, device=None):
    """All pack stages as torch modules (uninitialised weights)."""
    c, size = arch["consts"], arch["image_size"]
    ss = arch["ss_flow"]
    r = ss["latents"][arch["shape_latent"]]["res"]
    stages = {
        "ss_condition": ConditionStage(arch["ss_fuser"], c, size),
        "ss_denoiser": Wrap(SSFlow(ss, arch["shape_latent"])),
        "ss_decoder": Wrap(SSDecoder(arch["ss_decoder"], r)),
        "slat_condition": ConditionStage(arch["slat_fuser"], c, size),
        "slat_denoiser": Wrap(SlatFlow(arch["slat_flow"])),
        "mesh_decoder": Wrap(MeshDecoder(arch["mesh_decoder"])),
    }
    if arch.get("gs_decoder"):
        stages["gs_decoder"] = Wrap(GaussianDecoder(arch["gs_decoder"]))
    return stages


def stage_specs(arch):
    """(inputs, outputs) per stage as (name, dtype, shape): the engine's contract (engine/pack/contract.ts)."""
    s, d = arch["image_size"], arch["ss_fuser"]["dim"]
    ss = arch["ss_flow"]
    shape = ss["latents"][arch["shape_latent"]]
    r3, cs, g = shape["tokens"], shape["in"], arch["occupancy_res"]
    cl = arch["slat_flow"]["in"]
    img = [("image_crop", F32, [1, 3, s, s]), ("image_full", F32, [1, 3, s, s]),
           ("mask_crop", F32, [1, 1, s, s]), ("mask_full", F32, [1, 1, s, s])]
    layout = [n for v in ss["share"].values() for n in v]
    lin = [(f"x_{LATENT_TO_PACK[n]}", F32, ["B", ss["latents"][n]["tokens"], ss["latents"][n]["in"]]) for n in layout]
    lout = [(f"v_{LATENT_TO_PACK[n]}", F32, ["B", ss["latents"][n]["tokens"], ss["latents"][n]["in"]]) for n in layout]
    win = []
    for i in range(2):
        win += [(f"win{i}_idx", I32, [f"W{i}", f"Lw{i}"]), (f"win{i}_valid", BOOL, [f"W{i}", f"Lw{i}"]),
                (f"win{i}_inv", I32, ["N"])]
    md = arch["mesh_decoder"]
    nsub = len(md["sub_channels"])
    dec_in = [("feats", F32, ["N", cl]), ("coords", I32, ["N", 3])] + win
    subs = [(f"nbr_sub{j}", I32, ["N" + str(8 ** j), 27]) for j in range(1, nsub + 1)]
    specs = {
        "ss_condition": (img + [("pointmap_crop", F32, [1, 3, s, s]), ("pointmap_full", F32, [1, 3, s, s]),
                                ("pointmap_weight", F32, [1])], [("cond", F32, [1, arch["ss_fuser"]["tokens"], d])]),
        "ss_denoiser": ([("x_shape", F32, ["B", r3, cs])] + lin + [("t", F32, ["B"])]
                        + ([("d", F32, ["B"])] if ss["shortcut"] else []) + [("cond", F32, ["B", "L", d])],
                        [("v_shape", F32, ["B", r3, cs])] + lout),
        "ss_decoder": ([("shape_latent", F32, ["B", r3, cs])], [("occupancy_logits", F32, ["B", g, g, g])]),
        "slat_condition": (img, [("cond", F32, [1, arch["slat_fuser"]["tokens"], d])]),
        "slat_denoiser": ([("x", F32, ["B", "N", cl]), ("t", F32, ["B"]), ("cond", F32, ["B", "L", d]),
                           ("nbr", I32, ["N", 27]), ("pool_children", I32, ["M", 8]), ("pool_scale", F32, ["M", 1]),
                           ("parent", I32, ["N"]), ("nbr_coarse", I32, ["M", 27]), ("coords_coarse", I32, ["M", 3])],
                          [("v", F32, ["B", "N", arch["slat_flow"]["out"]])]),
        "mesh_decoder": (dec_in + subs, [("cube_feats", F32, ["N" + str(8 ** nsub) if nsub else "N", md["channels"]])]),
    }
    if arch.get("gs_decoder"):
        specs["gs_decoder"] = (dec_in, [("gs_raw", F32, ["N", arch["gs_decoder"]["channels"]])])
    return specs


def manifest_constants(arch, pack_id, name, description, license_):
    ss, sl, md = arch["ss_flow"], arch["slat_flow"], arch["mesh_decoder"]
    sp = arch["sampler"]
    shape = ss["latents"][arch["shape_latent"]]
    layout = [n for v in ss["share"].values() for n in v]
    ch = md["channels"]
    lay = {"sdf": [0, 8], "deform": [8, 32], "beta": [32, 44], "alpha": [44, 52], "gamma": [52, 53],
           "color": [53, ch] if md["use_color"] else [53, 53]}
    nsub = len(md["sub_channels"])
    m = {
        "schema": "fsam3d-pack/1", "id": pack_id, "name": name, "version": "1.0.0", "description": description,
        "license": license_,
        "image": {"size": arch["image_size"], "normalize": {"where": "graph", "mean": arch["consts"]["image_mean"],
                                                            "std": arch["consts"]["image_std"]}},
        "crop": arch["crop"],
        "condition": {"dim": arch["ss_fuser"]["dim"], "ssTokens": arch["ss_fuser"]["tokens"],
                      "slatTokens": arch["slat_fuser"]["tokens"]},
        "ss": {
            "latentRes": shape["res"], "latentChannels": shape["in"], "occupancyRes": arch["occupancy_res"],
            "layout": [{"name": LATENT_TO_PACK[n], "dim": ss["latents"][n]["in"]} for n in layout],
            "sampler": {"steps": int(sp["ss_inference_steps"]), "rescaleT": float(sp["ss_rescale_t"]),
                        "timeScale": ss["time_scale"],
                        "cfg": {"strength": float(sp["ss_cfg_strength"]), "interval": ss["cfg_interval"], "outputs": "all"},
                        "shortcutD": 0 if ss["shortcut"] else None, "uncondTokens": 1},
            "occupancyThreshold": 0, "pruneInterior": arch["downsample_ss_dist"] > 0,
            "maxVoxels": arch["consts"]["max_voxels"], "downsampleFactor": 2,
        },
        "pose": {"convention": arch["pose_decoder"], "rot6dMean": ROT6D_MEAN, "rot6dStd": ROT6D_STD},
        "slat": {
            "res": sl["res"], "latentChannels": sl["in"], "poolFactor": 2, "poolMeanIncludeSelf": True,
            "sampler": {"steps": int(sp["slat_inference_steps"]), "rescaleT": float(sp["slat_rescale_t"]),
                        "timeScale": sl["time_scale"],
                        "cfg": {"strength": float(sp["slat_cfg_strength"]), "interval": sl["cfg_interval"], "outputs": "all"},
                        "shortcutD": None, "uncondTokens": 1},
            "mean": arch["slat_mean"], "std": arch["slat_std"],
        },
        "decoder": {
            "window": md["window"], "shifts": shifts(md), "subdivisions": nsub,
            "mesh": {"res": md["res"] * 2 ** nsub, "channels": ch, "sdfBias": -1.0 / (md["res"] * 2 ** nsub),
                     "weightScale": 0.99, "layout": lay, "cornerOrder": "x_fastest"},
        },
        "output": {"zUpToYUp": [[1, 0, 0], [0, 0, -1], [0, 1, 0]]},
    }
    if arch.get("gs_decoder"):
        g = arch["gs_decoder"]
        m["decoder"]["gaussians"] = {"perVoxel": g["num_gaussians"], "channels": g["channels"]}
    return m


# inference_utils.py constants of the ScaleShiftInvariant pose decoder (code, not YAML).
ROT6D_MEAN = [-0.06366084883674913, 0.008438224692279752, 0.00017084786438302483,
              0.0007126610473540038, -0.0030916726538816417, 0.5166093753457688]
ROT6D_STD = [0.6656971967514863, 0.6787012271867754, 0.30345010594844524,
             0.4394504420678794, 0.39817973931717104, 0.6176286868761914]
