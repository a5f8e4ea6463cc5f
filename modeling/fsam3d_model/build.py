"""Builds every tiny network from one fixed seed, in a fixed order (the pack and the reference
pipeline both call this, so their weights are identical)."""
import torch

from . import config as C
from .condition import SlatCondition, SSCondition, TinyDino
from .decoders import GaussianDecoder, MeshDecoder
from .layers import randomize_
from .slat_flow import SlatFlow
from .ss_decoder import SSDecoder
from .ss_flow import SSFlow

STAGES = ["ss_condition", "ss_denoiser", "ss_decoder", "slat_condition", "slat_denoiser", "mesh_decoder",
          "gs_decoder"]


def build_models(seed=C.SEED):
    torch.manual_seed(seed)
    # SAM 3D loads four DINO copies that are probably identical; both stages share one image and
    # one mask backbone here.
    dino_image, dino_mask = TinyDino(), TinyDino()
    models = {
        "ss_condition": SSCondition(dino_image, dino_mask),
        "ss_denoiser": SSFlow(),
        "ss_decoder": SSDecoder(),
        "slat_condition": SlatCondition(dino_image, dino_mask),
        "slat_denoiser": SlatFlow(),
        "mesh_decoder": MeshDecoder(),
        "gs_decoder": GaussianDecoder(),
    }
    torch.manual_seed(seed + 1)
    for name in STAGES:
        # slat_condition's DINOs were already drawn with ss_condition.
        randomize_(models[name], skip=("dino_",) if name == "slat_condition" else ())
        models[name].eval()
    return models
