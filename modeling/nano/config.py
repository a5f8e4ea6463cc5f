"""Nano pack sizes (DESIGN.md). Everything the networks, the trainer and the exporter share."""
IMAGE_SIZE = 112
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]

# Condition encoder (one per stage): conv stem to 7x7 patches + 1 summary token per view, ViT blocks.
COND_DIM = 128
ENC_DEPTH = 3
ENC_HEADS = 4
VIEW_TOKENS = 50                # 49 patches + 1 summary token
POINT_TOKENS = 4                # per pointmap view (2x2 pooled), zero-weighted without depth
SS_TOKENS = 2 * VIEW_TOKENS + 2 * POINT_TOKENS   # 108
SLAT_TOKENS = 2 * VIEW_TOKENS                    # 100

# Stage 1.
SS_RES = 8                      # latent grid (ss.latentRes): 512 shape tokens in the contract
SS_CHANNELS = 8
SS_OCC_RES = 32
SS_PATCH = 2                    # the denoiser runs on 4^3 = 64 patch tokens internally
SS_WIDTH = 160
SS_DEPTH = 6
SS_HEADS = 5
SS_LAYOUT = [("rot6d", 6), ("translation", 3), ("scale", 3), ("translation_scale", 1)]
SS_VAE_CHANNELS = [64, 32, 8]   # 8^3, 16^3, 32^3

# Stage 2.
SLAT_RES = 32
SLAT_CHANNELS = 8
SLAT_IO = 32
SLAT_WIDTH = 128
SLAT_DEPTH = 4
SLAT_HEADS = 4

# Mesh decoder (= the SLaT autoencoder's decoder).
DEC_WIDTH = 64
DEC_DEPTH = 2
DEC_HEADS = 4
WINDOW = 8
SHIFTS = [0, 4]
SUBDIVISIONS = 1
SUB_CHANNELS = [32]
SUB_GROUPS = 8
MESH_RES = SLAT_RES * 2 ** SUBDIVISIONS  # 64
MESH_CHANNELS = 101
MESH_LAYOUT = {"sdf": [0, 8], "deform": [8, 32], "beta": [32, 44], "alpha": [44, 52], "gamma": [52, 53],
               "color": [53, 101]}
MESH_SDF_BIAS = -1.0 / MESH_RES
# SLaT encoder input per voxel: the 3^3 mesh-grid corners inside it, sdf (x MESH_RES, clamped) + rgb.
ENC_IN = 27 * 4

# Layout gauge (DESIGN.md "Layout targets"): canonical camera with DEFAULT_FOV_DEG on the long side,
# translation rescaled so that z = LAYOUT_DEPTH.
DEFAULT_FOV_DEG = 60.0
LAYOUT_DEPTH = 2.0

SEED = 20251122
