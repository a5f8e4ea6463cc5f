"""Constants of the tiny test pack. Numbers shrink; roles, layouts and sampler rules stay real."""
import math

IMAGE_SIZE = 56
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]

# DINO-like ViT: patch 14 -> 4x4 patches, 4 registers.
DINO_DIM = 32
DINO_HEADS = 2
DINO_DEPTH = 2
DINO_PATCH = 14
DINO_REGISTERS = 4
DINO_PATCHES = (IMAGE_SIZE // DINO_PATCH) ** 2  # 16
DINO_TOKENS_NORM = 1 + DINO_PATCHES  # 17: cls + patches
DINO_TOKENS_PRENORM = 1 + DINO_REGISTERS + DINO_PATCHES  # 21: cls + registers + patches

# Point-patch embedder: map nearest-resized to 16, 8x8 windows -> 4 tokens.
POINT_DIM = 16
POINT_INPUT = 16
POINT_PATCH = 8
POINT_HEADS = 2
POINT_TOKENS = (POINT_INPUT // POINT_PATCH) ** 2  # 4

COND_DIM = 32
SS_TOKENS = 4 * DINO_TOKENS_NORM + 2 * POINT_TOKENS  # 76
SLAT_TOKENS = 4 * DINO_TOKENS_PRENORM  # 84

# Stage 1.
SS_RES = 4
SS_CHANNELS = 8
SS_OCC_RES = 16
SS_WIDTH = 32
SS_HEADS = 2
SS_DEPTH = 2
SS_LAYOUT = [("rot6d", 6), ("translation", 3), ("scale", 3), ("translation_scale", 1)]
SS_DEC_CHANNELS = [16, 8, 4]
# Analytic object prior, so random weights still decode to an object. The object is the ellipsoid
# Q < T with Q = sum_i OBJ_K[i] * (x_i - centre_i)^2, centre = the centre of voxel OBJ_CENTRE of the
# 16^3 grid. With integer OBJ_K, and x on voxel centres (occupancy) or on 64^3 grid vertices (mesh
# sdf), Q is an integer; thresholds at n + 0.5 therefore keep every logit / vertex sdf a fixed margin
# away from its decision boundary, and the bounded random net term stays below that margin. So the
# voxel set and the mesh topology are identical in PyTorch and ONNX Runtime, whatever the rounding.
OBJ_K = [4, 5, 8]
OBJ_CENTRE = [8, 7, 8]
SS_PRIOR_T = 130.5  # no voxel has Q within 1.5 of it
SS_PRIOR_SLOPE = 1.0  # logit = slope * (T - Q) + amplitude * tanh(net)
SS_NET_AMPLITUDE = 1.0  # < slope * 1.5: the net never flips a voxel

# Stage 2.
SLAT_RES = 16
SLAT_CHANNELS = 8
SLAT_IO = 8
SLAT_WIDTH = 32
SLAT_HEADS = 2
SLAT_DEPTH = 2
# Any fixed values; the real pack's vectors are used so magnitudes look familiar.
SLAT_MEAN = [0.12211431, 0.37204156, -1.26521907, -2.05276058, -3.10432536, -0.11294304, -0.85146744, 0.45506954]
SLAT_STD = [2.37326008, 2.13174402, 2.2413953, 2.30589401, 2.1191894, 1.8969511, 2.41684989, 2.08374642]

# Decoders.
DEC_WIDTH = 32
DEC_HEADS = 2
DEC_DEPTH = 2
WINDOW = 4
SHIFTS = [0, 2]
SUBDIVISIONS = 2
SUB_CHANNELS = [16, 8]
SUB_GROUPS = 4
MESH_RES = SLAT_RES * 2 ** SUBDIVISIONS  # 64
MESH_CHANNELS = 101
MESH_LAYOUT = {"sdf": [0, 8], "deform": [8, 32], "beta": [32, 44], "alpha": [44, 52], "gamma": [52, 53], "color": [53, 101]}
# Mesh sdf at a corner with grid vertex v (64^3 units): (sqrt(Q'(v)) - sqrt(T'))/(64 sqrt(min K)) - sdfBias,
# Q'(v) = sum K_i (v_i - 4 centre_i)^2 (integer), so sdf + sdfBias is SDF-like with its zero set
# inside the kept voxel shell; the random part's amplitude is below the smallest |sdf + sdfBias|.
MESH_SDF_BIAS = -1.0 / MESH_RES  # as the real pack: -1/res
MESH_PRIOR_T = 1600.5
_gap = min(math.sqrt(MESH_PRIOR_T + 0.5) - math.sqrt(MESH_PRIOR_T), math.sqrt(MESH_PRIOR_T) - math.sqrt(MESH_PRIOR_T - 0.5))
MESH_SDF_SCALE = 1.0 / (MESH_RES * math.sqrt(min(OBJ_K)))
MESH_SDF_NET_AMPLITUDE = 0.5 * _gap * MESH_SDF_SCALE  # half the smallest possible |sdf + sdfBias|
GS_PER_VOXEL = 4
GS_CHANNELS = GS_PER_VOXEL * 14  # 56

ROT6D_MEAN = [-0.06366084883674913, 0.008438224692279752, 0.00017084786438302483,
              0.0007126610473540038, -0.0030916726538816417, 0.5166093753457688]
ROT6D_STD = [0.6656971967514863, 0.6787012271867754, 0.30345010594844524,
             0.4394504420678794, 0.39817973931717104, 0.6176286868761914]

SEED = 20251121
