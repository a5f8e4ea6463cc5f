"""Stage 1 sampled as the engine samples it for this pack (its manifest's sampler: 25 Euler steps, time
rescale 3, CFG 7 on t*1000 <= 500), batched, in PyTorch. Used to measure stage 1 (`stage1_eval`) and to train
the stage-1 decoder on what stage 1 actually draws (`train.py --stage ss_refine`)."""
import torch

from fsam3d_ref.pipeline import euler_cfg

from . import config as C
from .export import manifest_constants

SAMPLER = manifest_constants({}, "trained")["ss"]["sampler"]


@torch.no_grad()
def sample_shape_latents(m, im, seed):
    """Images of a batch (Shards.images) -> sampled shape latents (B,512,8), normalised as the decoder takes
    them. The reference Euler + CFG loop has batch 1 in its time input: expanded here."""
    b = im["image_crop"].shape[0]
    zeros = torch.zeros(b, 3, C.IMAGE_SIZE, C.IMAGE_SIZE)
    cond = m["ss_condition"](im["image_crop"], im["image_full"], im["mask_crop"], im["mask_full"], zeros, zeros,
                             torch.zeros(b))
    names = ["shape"] + [n for n, _ in C.SS_LAYOUT]
    g = torch.Generator().manual_seed(seed)
    x = {"shape": torch.randn(b, C.SS_RES ** 3, C.SS_CHANNELS, generator=g)}
    x.update({n: torch.randn(b, 1, dim, generator=g) for n, dim in C.SS_LAYOUT})

    def net(x, t, c):
        v = m["ss_denoiser"](*[x[n] for n in names], t.expand(b), torch.zeros(b), c.expand(b, -1, -1))
        return dict(zip(names, v))

    x, _ = euler_cfg(net, x, SAMPLER, cond, torch.zeros(1, SAMPLER["uncondTokens"], C.COND_DIM))
    return x["shape"]
